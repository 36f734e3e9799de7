// BA3001 - Database query inside a loop (N+1).
// Each endpoint below makes one database round trip per item instead of one query for all of them:
// 20 items cost 21 queries, and the latency grows with the page size. Everything else here is done right
// (paging, AsNoTracking, DTOs, CancellationToken), so BA3001 is the only rule these endpoints break.
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Features.Doctors;
using BackendSample.Features.Patients;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record ScheduleEntry(int AppointmentId, DateTime StartsAt, string PatientName);

public sealed record UpcomingVisit(int AppointmentId, DateTime StartsAt, PatientDetails? Patient);

[ApiController]
[Route("problems/ba3001")]
public sealed class QueryInLoopController(
    ClinicDbContext db,
    IPatientService patients,
    IDbContextFactory<ClinicDbContext> contextFactory,
    TimeProvider clock) : ControllerBase
{
    private const int MaxBatch = 50;

    /// <summary>(a) A query written directly in the loop body: one patient lookup per appointment.</summary>
    [HttpGet("doctors/{doctorId:int}/schedule")]
    public async Task<ActionResult<List<ScheduleEntry>>> DoctorSchedule(
        int doctorId,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        var appointments = await db.Appointments
            .AsNoTracking()
            .Where(a => a.DoctorId == doctorId)
            .OrderBy(a => a.StartsAt)
            .ThenBy(a => a.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(a => new { a.Id, a.PatientId, a.StartsAt })
            .ToListAsync(cancellationToken);

        var schedule = new List<ScheduleEntry>(appointments.Count);
        foreach (var appointment in appointments)
        {
            // BA3001: FirstOrDefaultAsync runs once per appointment. Fix: project the patient's name in the query above.
            var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == appointment.PatientId, cancellationToken);
            var name = patient is null ? "(unknown)" : patient.FirstName + " " + patient.LastName;
            schedule.Add(new ScheduleEntry(appointment.Id, appointment.StartsAt, name));
        }

        return Ok(schedule);
    }

    /// <summary>(b) The query hides behind a service: IPatientService.GetByIdAsync -> PatientService.GetByIdAsync -> FirstOrDefaultAsync.</summary>
    [HttpGet("appointments/upcoming")]
    public async Task<ActionResult<List<UpcomingVisit>>> UpcomingVisits(
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = await db.Appointments
            .AsNoTracking()
            .Where(a => a.Status == AppointmentStatus.Scheduled && a.StartsAt >= now)
            .OrderBy(a => a.StartsAt)
            .ThenBy(a => a.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(a => new { a.Id, a.PatientId, a.StartsAt })
            .ToListAsync(cancellationToken);

        var visits = new List<UpcomingVisit>(upcoming.Count);
        foreach (var appointment in upcoming)
        {
            // BA3001: looks like a plain method call, but every iteration is a database round trip.
            var patient = await patients.GetByIdAsync(appointment.PatientId, cancellationToken);
            visits.Add(new UpcomingVisit(appointment.Id, appointment.StartsAt, patient));
        }

        return Ok(visits);
    }

    /// <summary>(c) "Parallel" N+1: Task.WhenAll over one query per id is still one round trip per id.</summary>
    [HttpGet("doctors/batch")]
    public async Task<ActionResult<List<DoctorSummary>>> DoctorsByIds([FromQuery] int[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length > MaxBatch)
        {
            return Problem(detail: $"At most {MaxBatch} ids per request.", statusCode: StatusCodes.Status400BadRequest);
        }

        // BA3001: one query (and one connection) per id. Fix: a single query with Where(d => ids.Contains(d.Id)).
        var doctors = await Task.WhenAll(ids.Distinct().Select(async id =>
        {
            await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
            return await context.Doctors
                .AsNoTracking()
                .Where(d => d.Id == id)
                .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
                .FirstOrDefaultAsync(cancellationToken);
        }));

        return Ok(doctors.OfType<DoctorSummary>().ToList());
    }
}
