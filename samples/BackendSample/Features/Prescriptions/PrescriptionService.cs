using System.Linq.Expressions;
using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Features.Prescriptions;

public interface IPrescriptionService
{
    Task<PagedResult<PrescriptionSummary>> ListAsync(int? patientId, PageRequest paging, CancellationToken cancellationToken);

    Task<PrescriptionSummary?> GetByIdAsync(int id, CancellationToken cancellationToken);

    Task<Outcome<PrescriptionSummary>> IssueAsync(CreatePrescriptionRequest request, CancellationToken cancellationToken);
}

public sealed class PrescriptionService(ClinicDbContext db, TimeProvider clock, ILogger<PrescriptionService> logger) : IPrescriptionService
{
    private static readonly Expression<Func<Prescription, PrescriptionSummary>> ToSummary = p => new PrescriptionSummary(
        p.Id,
        p.PatientId,
        p.DoctorId,
        p.Doctor.FirstName + " " + p.Doctor.LastName,
        p.Medication,
        p.Dosage,
        p.IssuedAt,
        p.ValidUntil);

    public async Task<PagedResult<PrescriptionSummary>> ListAsync(int? patientId, PageRequest paging, CancellationToken cancellationToken)
    {
        var query = db.Prescriptions.AsNoTracking();
        if (patientId is { } id)
        {
            query = query.Where(p => p.PatientId == id);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(p => p.IssuedAt)
            .ThenByDescending(p => p.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(ToSummary)
            .ToListAsync(cancellationToken);

        return PagedResult<PrescriptionSummary>.From(items, paging, total);
    }

    public Task<PrescriptionSummary?> GetByIdAsync(int id, CancellationToken cancellationToken) =>
        db.Prescriptions
            .AsNoTracking()
            .Where(p => p.Id == id)
            .Select(ToSummary)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<PrescriptionSummary>> IssueAsync(CreatePrescriptionRequest request, CancellationToken cancellationToken)
    {
        if (!await db.Patients.AsNoTracking().AnyAsync(p => p.Id == request.PatientId, cancellationToken))
        {
            return Outcome<PrescriptionSummary>.NotFound($"Patient {request.PatientId} does not exist.");
        }

        if (!await db.Doctors.AsNoTracking().AnyAsync(d => d.Id == request.DoctorId, cancellationToken))
        {
            return Outcome<PrescriptionSummary>.NotFound($"Doctor {request.DoctorId} does not exist.");
        }

        var issuedAt = clock.GetUtcNow().UtcDateTime;
        var prescription = new Prescription
        {
            PatientId = request.PatientId,
            DoctorId = request.DoctorId,
            Medication = request.Medication.Trim(),
            Dosage = request.Dosage.Trim(),
            IssuedAt = issuedAt,
            ValidUntil = DateOnly.FromDateTime(issuedAt.AddDays(request.ValidForDays)),
        };
        db.Prescriptions.Add(prescription);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Issued prescription {PrescriptionId} for patient {PatientId}", prescription.Id, prescription.PatientId);

        return await GetByIdAsync(prescription.Id, cancellationToken) is { } summary
            ? Outcome<PrescriptionSummary>.Success(summary)
            : Outcome<PrescriptionSummary>.NotFound($"Prescription {prescription.Id} does not exist.");
    }
}
