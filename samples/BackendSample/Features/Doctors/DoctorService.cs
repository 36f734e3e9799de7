using BackendSample.Data;
using BackendSample.Domain;
using BackendSample.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace BackendSample.Features.Doctors;

public interface IDoctorService
{
    Task<PagedResult<DoctorSummary>> ListAsync(string? specialty, PageRequest paging, CancellationToken cancellationToken);

    Task<DoctorSummary?> GetByIdAsync(int id, CancellationToken cancellationToken);

    Task<DoctorSummary> CreateAsync(SaveDoctorRequest request, CancellationToken cancellationToken);

    Task<DoctorSummary?> UpdateAsync(int id, SaveDoctorRequest request, CancellationToken cancellationToken);
}

public sealed class DoctorService(ClinicDbContext db, IMemoryCache cache, ILogger<DoctorService> logger) : IDoctorService
{
    // Doctor profiles change rarely and are read on every booking screen.
    private static readonly TimeSpan ProfileLifetime = TimeSpan.FromMinutes(10);

    public async Task<PagedResult<DoctorSummary>> ListAsync(string? specialty, PageRequest paging, CancellationToken cancellationToken)
    {
        var query = db.Doctors.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(specialty))
        {
            var wanted = specialty.Trim();
            query = query.Where(d => d.Specialty == wanted);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(d => d.LastName)
            .ThenBy(d => d.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
            .ToListAsync(cancellationToken);

        return PagedResult<DoctorSummary>.From(items, paging, total);
    }

    public async Task<DoctorSummary?> GetByIdAsync(int id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(id), out DoctorSummary? cached))
        {
            return cached;
        }

        var doctor = await db.Doctors
            .AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
            .FirstOrDefaultAsync(cancellationToken);
        if (doctor is not null)
        {
            cache.Set(CacheKey(id), doctor, ProfileLifetime);
        }

        return doctor;
    }

    public async Task<DoctorSummary> CreateAsync(SaveDoctorRequest request, CancellationToken cancellationToken)
    {
        var doctor = new Doctor
        {
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            Specialty = request.Specialty.Trim(),
        };
        db.Doctors.Add(doctor);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Added doctor {DoctorId}", doctor.Id);

        return ToSummary(doctor);
    }

    public async Task<DoctorSummary?> UpdateAsync(int id, SaveDoctorRequest request, CancellationToken cancellationToken)
    {
        var doctor = await db.Doctors.FindAsync([id], cancellationToken);
        if (doctor is null)
        {
            return null;
        }

        doctor.FirstName = request.FirstName.Trim();
        doctor.LastName = request.LastName.Trim();
        doctor.Specialty = request.Specialty.Trim();
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey(id));

        return ToSummary(doctor);
    }

    private static string CacheKey(int id) => $"doctor:{id}";

    private static DoctorSummary ToSummary(Doctor doctor) =>
        new(doctor.Id, doctor.FirstName, doctor.LastName, doctor.Specialty);
}
