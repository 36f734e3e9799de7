// BA6004 - HTTP response used without a status check.
// HttpClient.GetAsync does not throw on 404 or 500: the endpoint below deserializes whatever body comes back,
// so an upstream error page becomes a null or half-filled DTO instead of a clear failure.
// The fix is response.EnsureSuccessStatusCode() (or a test of IsSuccessStatusCode) before the read.
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

public sealed record InsuranceCoverage(string PolicyNumber, bool Active, decimal Copay);

[ApiController]
[Route("problems/ba6004")]
public sealed class ResponseWithoutStatusCheckController(IConfiguration configuration) : ControllerBase
{
    // One shared client with recycled connections: creating it here is not a BA6001 problem.
    private static readonly HttpClient Insurer = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Coverage of a policy, looked up at the insurer.</summary>
    [HttpGet("coverage/{policyNumber}")]
    public async Task<ActionResult<InsuranceCoverage>> Coverage(string policyNumber, CancellationToken cancellationToken)
    {
        var baseAddress = configuration["Insurer:BaseUrl"] ?? "https://insurer.example.org/";
        using var response = await Insurer.GetAsync(new Uri(new Uri(baseAddress), "coverage/" + Uri.EscapeDataString(policyNumber)), cancellationToken);

        // BA6004: the status code is never looked at; a 404 body is read as if it were coverage.
        var coverage = await response.Content.ReadFromJsonAsync<InsuranceCoverage>(cancellationToken);
        return coverage is null ? NotFound() : Ok(coverage);
    }
}
