// BA5004 - Hard-coded secret.
// The insurance lookup below carries its API key and the reporting database password in the source code. Both end
// up in every clone of the repository and in the compiled assembly, and rotating either one needs a release.
// Better: read them from configuration (user secrets in development, environment variables or a vault in
// production), as Program.cs does with ConnectionStrings:Clinic and Auth:ApiKey.
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba5004")]
public sealed class HardCodedSecretController(IHttpClientFactory httpClientFactory) : ControllerBase
{
    // BA5004: an API key in a constant.
    private const string InsuranceApiKey = "ins_live_4f9c2e7a81b34d60a5";

    // BA5004: a connection string with its password.
    private const string ReportingConnection = "Data Source=reporting.db;Password=Rep0rting!2024";

    [HttpGet("coverage/{policyNumber}")]
    public async Task<IActionResult> Coverage(string policyNumber, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://insurer.example/coverage/{Uri.EscapeDataString(policyNumber)}");
        request.Headers.Add("X-Api-Key", InsuranceApiKey);
        using var response = await client.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? Ok(await response.Content.ReadAsStringAsync(cancellationToken)) : StatusCode(StatusCodes.Status502BadGateway);
    }

    [HttpGet("reporting/ping")]
    public async Task<IActionResult> PingReporting(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ReportingConnection);
        await connection.OpenAsync(cancellationToken);
        return NoContent();
    }
}
