// BA6001 - HttpClient created per call.
// The endpoint below builds a new HttpClient for every request. Each one opens its own connections, and the
// disposed ones linger in TIME_WAIT: under load the server runs out of sockets. The fix is a typed client or
// IHttpClientFactory (AddHttpClient), which pools and recycles the handlers.
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba6001")]
public sealed class HttpClientPerCallController(IConfiguration configuration) : ControllerBase
{
    private const string DefaultHolidayService = "https://holidays.example.org/";

    /// <summary>Public holidays from an external calendar service, fetched with a client made for this request only.</summary>
    [HttpGet("holidays/{year:int}")]
    public async Task<IActionResult> PublicHolidays(int year, CancellationToken cancellationToken)
    {
        var baseAddress = configuration["Holidays:BaseUrl"] ?? DefaultHolidayService;

        // BA6001: a new HttpClient (and connection pool) per request.
        using var client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(10) };

        // GetStringAsync throws on a non-success status, so the status is checked.
        var json = await client.GetStringAsync($"api/holidays/{year}", cancellationToken);
        return Content(json, "application/json");
    }
}
