// BA2007 - Fire-and-forget work captures request services.
// The endpoint below starts background work with Task.Run and does not await it. The work uses the request's
// ClinicDbContext, which the DI scope disposes when the response has been sent: the query then fails with an
// ObjectDisposedException (or, worse, runs concurrently with the request's own queries on the same context).
// The fix is to await the work, or to hand it to a queue whose worker creates its own scope.
using BackendSample.Data;
using BackendSample.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record PatientVisitSummary(int Id, string Name, int Appointments);

[ApiController]
[Route("problems/ba2007")]
public sealed class FireAndForgetController(ClinicDbContext db, ILogger<FireAndForgetController> logger) : ControllerBase
{
    /// <summary>A short summary of one patient; logs how many appointments are still to come.</summary>
    [HttpGet("patients/{id:int}/summary")]
    public async Task<ActionResult<PatientVisitSummary>> Summary(int id, CancellationToken cancellationToken)
    {
        var summary = await db.Patients
            .Where(p => p.Id == id)
            .Select(p => new PatientVisitSummary(p.Id, p.FirstName + " " + p.LastName, p.Appointments.Count))
            .SingleOrDefaultAsync(cancellationToken);
        if (summary is null)
        {
            return NotFound();
        }

        // BA2007: the work outlives the request, but uses the request's DbContext.
        _ = Task.Run(async () =>
        {
            var upcoming = await db.Appointments.CountAsync(a => a.PatientId == id && a.Status == AppointmentStatus.Scheduled);
            logger.LogInformation("Patient {PatientId} viewed; {Upcoming} upcoming appointments", id, upcoming);
        });

        return Ok(summary);
    }
}
