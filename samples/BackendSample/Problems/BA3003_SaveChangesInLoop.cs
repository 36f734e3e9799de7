// BA3003 - SaveChanges inside a loop.
// Each endpoint below loads what it needs with one query, then saves once per item: a round trip and a
// transaction per appointment, and a half-done batch when one save fails. Saving once after the loop does the
// same work in one batched command. Apart from that the endpoints are written properly (authorization,
// validated request, CancellationToken).
using System.ComponentModel.DataAnnotations;
using BackendSample.Data;
using BackendSample.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record AppointmentBatchRequest([Required, MinLength(1), MaxLength(100)] int[] AppointmentIds);

[ApiController]
[Route("problems/ba3003")]
[Authorize]
public sealed class SaveChangesInLoopController(ClinicDbContext db) : ControllerBase
{
    /// <summary>(a) The save is written in the loop body.</summary>
    [HttpPost("appointments/complete")]
    public async Task<IActionResult> CompleteAppointments(AppointmentBatchRequest request, CancellationToken cancellationToken)
    {
        var appointments = await db.Appointments
            .Where(a => request.AppointmentIds.Contains(a.Id) && a.Status == AppointmentStatus.Scheduled)
            .ToListAsync(cancellationToken);

        foreach (var appointment in appointments)
        {
            appointment.Status = AppointmentStatus.Completed;

            // BA3003: one round trip and one transaction per appointment. Fix: save once after the loop.
            await db.SaveChangesAsync(cancellationToken);
        }

        return NoContent();
    }

    /// <summary>(b) The save hides in a helper the loop calls: CancelAppointmentAsync -> SaveChangesAsync.</summary>
    [HttpPost("appointments/cancel")]
    public async Task<IActionResult> CancelAppointments(AppointmentBatchRequest request, CancellationToken cancellationToken)
    {
        var appointments = await db.Appointments
            .Where(a => request.AppointmentIds.Contains(a.Id) && a.Status == AppointmentStatus.Scheduled)
            .ToListAsync(cancellationToken);

        foreach (var appointment in appointments)
        {
            // BA3003: the helper saves, so every iteration writes to the database.
            await CancelAppointmentAsync(appointment, cancellationToken);
        }

        return NoContent();
    }

    private async Task CancelAppointmentAsync(Appointment appointment, CancellationToken cancellationToken)
    {
        appointment.Status = AppointmentStatus.Cancelled;
        await db.SaveChangesAsync(cancellationToken);
    }
}
