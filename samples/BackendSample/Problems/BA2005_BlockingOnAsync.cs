// BA2005 - Blocking on async code in a request path.
// The endpoint below calls an async EF Core query and blocks on .Result. The request thread sits idle until the
// database answers; under load every thread-pool thread ends up waiting like this, new requests queue, and the
// server stops responding (thread-pool starvation). The fix is to make the action async and await the query.
using BackendSample.Data;
using BackendSample.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba2005")]
public sealed class BlockingOnAsyncController(ClinicDbContext db, TimeProvider clock) : ControllerBase
{
    /// <summary>When the doctor's next scheduled appointment starts.</summary>
    [HttpGet("doctors/{doctorId:int}/next-appointment")]
    public ActionResult<DateTime> NextAppointment(int doctorId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        // BA2005: .Result blocks the request thread until the query completes.
        var next = db.Appointments
            .Where(a => a.DoctorId == doctorId && a.Status == AppointmentStatus.Scheduled && a.StartsAt >= now)
            .OrderBy(a => a.StartsAt)
            .Select(a => (DateTime?)a.StartsAt)
            .FirstOrDefaultAsync(cancellationToken)
            .Result;

        return next is null ? NotFound() : Ok(next.Value);
    }
}
