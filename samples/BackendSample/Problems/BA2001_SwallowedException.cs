// BA2001 - Exception is swallowed.
// The endpoint below counts a doctor's appointments for today. When the query fails (the database is down, the
// connection pool is exhausted), the empty catch turns the outage into "0 appointments": the client sees a free
// day, and the logs show nothing. The fix is to let the exception reach the global handler, or to log it and
// answer with an error.
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba2001")]
public sealed class SwallowedExceptionController(ClinicDbContext db, TimeProvider clock) : ControllerBase
{
    /// <summary>How many appointments the doctor has today.</summary>
    [HttpGet("doctors/{doctorId:int}/today")]
    public async Task<ActionResult<int>> AppointmentsToday(int doctorId, CancellationToken cancellationToken)
    {
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var tomorrow = today.AddDays(1);
        var count = 0;
        try
        {
            count = await db.Appointments.CountAsync(
                a => a.DoctorId == doctorId && a.StartsAt >= today && a.StartsAt < tomorrow,
                cancellationToken);
        }
        catch (Exception)
        {
            // BA2001: the failure disappears; a database outage looks like a free day.
        }

        return Ok(count);
    }
}
