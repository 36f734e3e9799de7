// BA3010 - Count compared to zero.
// These checks count every matching row only to learn whether there is one. Any()/AnyAsync() asks the database
// for EXISTS, which stops at the first match. Apart from that the endpoints are written properly.
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Features.Doctors;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record DoctorAvailability(int DoctorId, bool HasScheduledAppointments);

[ApiController]
[Route("problems/ba3010")]
public sealed class CountComparedToZeroController(ClinicDbContext db) : ControllerBase
{
    /// <summary>(a) An awaited CountAsync compared with zero.</summary>
    [HttpGet("doctors/{doctorId:int}/availability")]
    public async Task<ActionResult<DoctorAvailability>> Availability(int doctorId, CancellationToken cancellationToken)
    {
        // BA3010: counts all of the doctor's scheduled appointments. Fix: await db.Appointments.AnyAsync(...).
        var busy = await db.Appointments
            .AsNoTracking()
            .CountAsync(a => a.DoctorId == doctorId && a.Status == AppointmentStatus.Scheduled, cancellationToken) > 0;

        return new DoctorAvailability(doctorId, busy);
    }

    /// <summary>(b) Count() == 0 inside a query: a COUNT subquery per doctor where NOT EXISTS would do.</summary>
    [HttpGet("doctors/without-appointments")]
    public async Task<ActionResult<List<DoctorSummary>>> DoctorsWithoutAppointments(
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        return await db.Doctors
            .AsNoTracking()
            // BA3010: Fix: !d.Appointments.Any() or !db.Appointments.Any(...).
            .Where(d => db.Appointments.Count(a => a.DoctorId == d.Id) == 0)
            .OrderBy(d => d.LastName)
            .ThenBy(d => d.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
            .ToListAsync(cancellationToken);
    }
}
