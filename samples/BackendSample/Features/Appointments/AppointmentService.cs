using System.Linq.Expressions;
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Features.Appointments;

public interface IAppointmentService
{
    Task<PagedResult<AppointmentSummary>> ListAsync(AppointmentFilter filter, PageRequest paging, CancellationToken cancellationToken);

    Task<AppointmentSummary?> GetByIdAsync(int id, CancellationToken cancellationToken);

    Task<Outcome<AppointmentSummary>> BookAsync(CreateAppointmentRequest request, CancellationToken cancellationToken);

    Task<Outcome<AppointmentSummary>> CancelAsync(int id, CancellationToken cancellationToken);
}

public sealed class AppointmentService(ClinicDbContext db, TimeProvider clock, ILogger<AppointmentService> logger) : IAppointmentService
{
    // One projection for every read: the names come from a join, never from loading navigations.
    private static readonly Expression<Func<Appointment, AppointmentSummary>> ToSummary = a => new AppointmentSummary(
        a.Id,
        a.PatientId,
        a.Patient.FirstName + " " + a.Patient.LastName,
        a.DoctorId,
        a.Doctor.FirstName + " " + a.Doctor.LastName,
        a.StartsAt,
        a.EndsAt,
        a.Status,
        a.Reason);

    public async Task<PagedResult<AppointmentSummary>> ListAsync(AppointmentFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        var query = db.Appointments.AsNoTracking();
        if (filter.PatientId is { } patientId)
        {
            query = query.Where(a => a.PatientId == patientId);
        }

        if (filter.DoctorId is { } doctorId)
        {
            query = query.Where(a => a.DoctorId == doctorId);
        }

        if (filter.From is { } from)
        {
            var fromUtc = ToUtc(from);
            query = query.Where(a => a.StartsAt >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = ToUtc(to);
            query = query.Where(a => a.StartsAt < toUtc);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(a => a.StartsAt)
            .ThenBy(a => a.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(ToSummary)
            .ToListAsync(cancellationToken);

        return PagedResult<AppointmentSummary>.From(items, paging, total);
    }

    public Task<AppointmentSummary?> GetByIdAsync(int id, CancellationToken cancellationToken) =>
        db.Appointments
            .AsNoTracking()
            .Where(a => a.Id == id)
            .Select(ToSummary)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<AppointmentSummary>> BookAsync(CreateAppointmentRequest request, CancellationToken cancellationToken)
    {
        var startsAt = request.StartsAt.GetValueOrDefault().UtcDateTime;
        if (startsAt <= clock.GetUtcNow().UtcDateTime)
        {
            return Outcome<AppointmentSummary>.Invalid("Appointments can only be booked in the future.");
        }

        var endsAt = startsAt.AddMinutes(request.DurationMinutes);
        if (!await db.Patients.AsNoTracking().AnyAsync(p => p.Id == request.PatientId, cancellationToken))
        {
            return Outcome<AppointmentSummary>.NotFound($"Patient {request.PatientId} does not exist.");
        }

        if (!await db.Doctors.AsNoTracking().AnyAsync(d => d.Id == request.DoctorId, cancellationToken))
        {
            return Outcome<AppointmentSummary>.NotFound($"Doctor {request.DoctorId} does not exist.");
        }

        var slotTaken = await db.Appointments
            .AsNoTracking()
            .AnyAsync(
                a => a.DoctorId == request.DoctorId
                    && a.Status == AppointmentStatus.Scheduled
                    && a.StartsAt < endsAt
                    && a.EndsAt > startsAt,
                cancellationToken);
        if (slotTaken)
        {
            return Outcome<AppointmentSummary>.Conflict("The doctor already has an appointment in that time slot.");
        }

        var appointment = new Appointment
        {
            PatientId = request.PatientId,
            DoctorId = request.DoctorId,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Status = AppointmentStatus.Scheduled,
            Reason = request.Reason.Trim(),
        };
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Booked appointment {AppointmentId} with doctor {DoctorId}", appointment.Id, appointment.DoctorId);

        return await LoadOutcomeAsync(appointment.Id, cancellationToken);
    }

    public async Task<Outcome<AppointmentSummary>> CancelAsync(int id, CancellationToken cancellationToken)
    {
        var appointment = await db.Appointments.FindAsync([id], cancellationToken);
        if (appointment is null)
        {
            return Outcome<AppointmentSummary>.NotFound($"Appointment {id} does not exist.");
        }

        if (appointment.Status != AppointmentStatus.Scheduled)
        {
            return Outcome<AppointmentSummary>.Conflict($"Appointment {id} is {appointment.Status} and can no longer be cancelled.");
        }

        appointment.Status = AppointmentStatus.Cancelled;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Cancelled appointment {AppointmentId}", id);

        return await LoadOutcomeAsync(id, cancellationToken);
    }

    private async Task<Outcome<AppointmentSummary>> LoadOutcomeAsync(int id, CancellationToken cancellationToken) =>
        await GetByIdAsync(id, cancellationToken) is { } summary
            ? Outcome<AppointmentSummary>.Success(summary)
            : Outcome<AppointmentSummary>.NotFound($"Appointment {id} does not exist.");

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
