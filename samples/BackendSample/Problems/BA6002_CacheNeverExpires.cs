// BA6002 - Cache entry never expires.
// Both endpoints below put entries into IMemoryCache with no expiration: one entry per distinct date or
// start date, kept until memory pressure evicts it. The cache grows with every new key, and a schedule
// computed once is served forever, even after the opening hours change. The clean services under Features/
// give every entry an absolute expiration.
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace BackendSample.Problems;

public sealed record OpeningHours(TimeOnly Opens, TimeOnly Closes);

public sealed record ClinicDaySchedule(DateOnly Date, OpeningHours? Hours, DateTimeOffset ComputedAt);

[ApiController]
[Route("problems/ba6002")]
public sealed class CacheNeverExpiresController(IMemoryCache cache, IConfiguration configuration, TimeProvider clock) : ControllerBase
{
    /// <summary>The clinic's opening hours on a date, computed from configuration and cached per date.</summary>
    [HttpGet("schedule/{date}")]
    public ActionResult<ClinicDaySchedule> Schedule(DateOnly date)
    {
        // BA6002: the factory never sets an expiration on the entry.
        var schedule = cache.GetOrCreate("schedule:" + date.ToString("O"), _ => ComputeSchedule(date));
        return schedule is null ? NotFound() : Ok(schedule);
    }

    /// <summary>The seven days starting at a date, cached per start date (cache-aside with TryGetValue and Set).</summary>
    [HttpGet("week/{start}")]
    public ActionResult<IReadOnlyList<ClinicDaySchedule>> Week(DateOnly start)
    {
        var key = "week:" + start.ToString("O");
        if (!cache.TryGetValue(key, out IReadOnlyList<ClinicDaySchedule>? week) || week is null)
        {
            week = Enumerable.Range(0, 7).Select(offset => ComputeSchedule(start.AddDays(offset))).ToList();

            // BA6002: Set without an expiration.
            cache.Set(key, week);
        }

        return Ok(week);
    }

    private ClinicDaySchedule ComputeSchedule(DateOnly date)
    {
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var opens = TimeOnly.Parse(configuration["Clinic:Opens"] ?? "08:00");
        var closes = TimeOnly.Parse(configuration[weekend ? "Clinic:WeekendCloses" : "Clinic:Closes"] ?? (weekend ? "12:00" : "18:00"));
        return new ClinicDaySchedule(date, new OpeningHours(opens, closes), clock.GetUtcNow());
    }
}
