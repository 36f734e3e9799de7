// BA6005 - Signature compared in non-constant time.
// The webhook below checks an HMAC-SHA256 signature with != on the hex strings. String equality stops at the
// first differing character, so the response time tells a caller how many leading characters of a forged
// signature are right: enough requests recover a valid signature character by character.
// The fix compares the bytes with CryptographicOperations.FixedTimeEquals.
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba6005")]
public sealed class SignatureComparisonController(IConfiguration configuration) : ControllerBase
{
    /// <summary>Lab results pushed by an external laboratory, authenticated by the X-Lab-Signature header.</summary>
    [AllowAnonymous] // the laboratory authenticates with the signature, not with the API key
    [HttpPost("lab-results")]
    public async Task<IActionResult> LabResults(CancellationToken cancellationToken)
    {
        var secret = configuration["Webhooks:LabSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            return Problem(detail: "The laboratory webhook is not configured.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using var reader = new StreamReader(Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var provided = Request.Headers["X-Lab-Signature"].ToString();

        // BA6005: != returns at the first differing character.
        if (expected != provided)
        {
            return Unauthorized();
        }

        return Accepted();
    }
}
