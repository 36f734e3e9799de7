// BA3004 - Query materialized before filtering.
// Each endpoint below loads a whole table with ToListAsync and then filters, pages or counts the rows in memory:
// the database sends every row to find a few. Moving the operators before ToListAsync (the code fix does) lets
// the database use its indexes and send only what the response needs. Apart from that the endpoints are written
// properly (AsNoTracking, clamped paging, DTOs, CancellationToken).
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Features.Doctors;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record DoctorWorkload(int DoctorId, int ScheduledAppointments);

[ApiController]
[Route("problems/ba3004")]
public sealed class MaterializedBeforeFilteringController(ClinicDbContext db) : ControllerBase
{
    /// <summary>(a) Filtered, ordered, paged and projected after every doctor was loaded.</summary>
    [HttpGet("doctors")]
    public async Task<ActionResult<List<DoctorSummary>>> DoctorsBySpecialty(
        string specialty,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        var doctors = await db.Doctors.AsNoTracking().ToListAsync(cancellationToken);

        // BA3004: Where, OrderBy, Skip, Take and Select run in memory over the whole Doctors table.
        return doctors
            .Where(d => d.Specialty == specialty)
            .OrderBy(d => d.LastName)
            .ThenBy(d => d.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
            .ToList();
    }

    /// <summary>(b) Counted in memory: every appointment is loaded to count one doctor's.</summary>
    [HttpGet("doctors/{doctorId:int}/workload")]
    public async Task<ActionResult<DoctorWorkload>> Workload(int doctorId, CancellationToken cancellationToken)
    {
        // BA3004: Count runs in memory. Fix: await db.Appointments.CountAsync(predicate, cancellationToken).
        var scheduled = (await db.Appointments.AsNoTracking().ToListAsync(cancellationToken))
            .Count(a => a.DoctorId == doctorId && a.Status == AppointmentStatus.Scheduled);

        return new DoctorWorkload(doctorId, scheduled);
    }
}
