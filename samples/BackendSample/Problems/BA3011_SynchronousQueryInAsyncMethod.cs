// BA3011 - Synchronous query in an async method.
// The handlers below are async, yet they call EF Core synchronously: each call holds a thread-pool thread for
// the whole database round trip and cannot be cancelled. The code fix awaits the Async form and passes the
// request's CancellationToken. Apart from that the endpoints are written properly.
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Features.Patients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba3011")]
public sealed class SynchronousQueryController(ClinicDbContext db, ILogger<SynchronousQueryController> logger) : ControllerBase
{
    /// <summary>(a) Find and a projection, both synchronous, in an async action.</summary>
    [HttpGet("patients/{id:int}")]
    public async Task<ActionResult<PatientSummary>> Patient(int id, CancellationToken cancellationToken)
    {
        // BA3011: Fix: await db.Patients.FindAsync(new object[] { id }, cancellationToken).
        var patient = db.Patients.Find(id);
        if (patient is null)
        {
            return NotFound();
        }

        await Task.Yield();
        return new PatientSummary(patient.Id, patient.FirstName, patient.LastName, patient.DateOfBirth, patient.Email);
    }

    /// <summary>(b) A synchronous SaveChanges after async work.</summary>
    [HttpPost("appointments/{id:int}/complete")]
    [Authorize]
    public async Task<IActionResult> Complete(int id, CancellationToken cancellationToken)
    {
        var appointment = await db.Appointments.FindAsync([id], cancellationToken);
        if (appointment is null)
        {
            return NotFound();
        }

        appointment.Status = AppointmentStatus.Completed;

        // BA3011: Fix: await db.SaveChangesAsync(cancellationToken).
        db.SaveChanges();
        logger.LogInformation("Completed appointment {AppointmentId}", id);
        return NoContent();
    }
}
