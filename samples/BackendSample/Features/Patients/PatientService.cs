using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Features.Patients;

public interface IPatientService
{
    Task<PagedResult<PatientSummary>> ListAsync(string? lastNamePrefix, PageRequest paging, CancellationToken cancellationToken);

    Task<PatientDetails?> GetByIdAsync(int id, CancellationToken cancellationToken);

    Task<Outcome<PatientDetails>> CreateAsync(CreatePatientRequest request, CancellationToken cancellationToken);

    Task<Outcome<PatientDetails>> UpdateAsync(int id, UpdatePatientRequest request, CancellationToken cancellationToken);
}

public sealed class PatientService(ClinicDbContext db, TimeProvider clock, ILogger<PatientService> logger) : IPatientService
{
    public async Task<PagedResult<PatientSummary>> ListAsync(string? lastNamePrefix, PageRequest paging, CancellationToken cancellationToken)
    {
        var query = db.Patients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(lastNamePrefix))
        {
            var prefix = lastNamePrefix.Trim();
            query = query.Where(p => p.LastName.StartsWith(prefix));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(p => p.LastName)
            .ThenBy(p => p.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(p => new PatientSummary(p.Id, p.FirstName, p.LastName, p.DateOfBirth, p.Email))
            .ToListAsync(cancellationToken);

        return PagedResult<PatientSummary>.From(items, paging, total);
    }

    public Task<PatientDetails?> GetByIdAsync(int id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Patients
            .AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new PatientDetails(
                p.Id,
                p.FirstName,
                p.LastName,
                p.DateOfBirth,
                p.Email,
                p.Phone,
                p.CreatedAt,
                p.Appointments.Count(a => a.Status == AppointmentStatus.Scheduled && a.StartsAt >= now)))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Outcome<PatientDetails>> CreateAsync(CreatePatientRequest request, CancellationToken cancellationToken)
    {
        var email = NormalizeEmail(request.Email);
        if (await db.Patients.AsNoTracking().AnyAsync(p => p.Email == email, cancellationToken))
        {
            return Outcome<PatientDetails>.Conflict("A patient with this email address already exists.");
        }

        var patient = new Patient
        {
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            DateOfBirth = request.DateOfBirth.GetValueOrDefault(),
            Email = email,
            Phone = request.Phone,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Patients.Add(patient);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Registered patient {PatientId}", patient.Id);

        return Outcome<PatientDetails>.Success(ToDetails(patient, upcomingAppointments: 0));
    }

    public async Task<Outcome<PatientDetails>> UpdateAsync(int id, UpdatePatientRequest request, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.FindAsync([id], cancellationToken);
        if (patient is null)
        {
            return Outcome<PatientDetails>.NotFound($"Patient {id} does not exist.");
        }

        var email = NormalizeEmail(request.Email);
        if (email != patient.Email && await db.Patients.AsNoTracking().AnyAsync(p => p.Email == email, cancellationToken))
        {
            return Outcome<PatientDetails>.Conflict("A patient with this email address already exists.");
        }

        patient.FirstName = request.FirstName.Trim();
        patient.LastName = request.LastName.Trim();
        patient.Email = email;
        patient.Phone = request.Phone;
        await db.SaveChangesAsync(cancellationToken);

        var details = await GetByIdAsync(id, cancellationToken);
        return details is null
            ? Outcome<PatientDetails>.NotFound($"Patient {id} does not exist.")
            : Outcome<PatientDetails>.Success(details);
    }

    private static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private static PatientDetails ToDetails(Patient patient, int upcomingAppointments) =>
        new(patient.Id, patient.FirstName, patient.LastName, patient.DateOfBirth, patient.Email, patient.Phone, patient.CreatedAt, upcomingAppointments);
}
