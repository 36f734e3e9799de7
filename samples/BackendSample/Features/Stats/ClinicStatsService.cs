using BackendSample.Data;
using BackendSample.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace BackendSample.Features.Stats;

public sealed record ClinicStats(int Patients, int Doctors, int UpcomingAppointments, int PrescriptionsLast30Days, DateTime ComputedAt);

public interface IClinicStatsService
{
    Task<ClinicStats> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Dashboard numbers: four COUNT queries, cached briefly because every dashboard polls them.</summary>
public sealed class ClinicStatsService(ClinicDbContext db, IMemoryCache cache, TimeProvider clock) : IClinicStatsService
{
    private const string CacheKey = "clinic-stats";
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<ClinicStats> GetAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey, out ClinicStats? cached) && cached is not null)
        {
            return cached;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var monthAgo = now.AddDays(-30);
        var stats = new ClinicStats(
            Patients: await db.Patients.AsNoTracking().CountAsync(cancellationToken),
            Doctors: await db.Doctors.AsNoTracking().CountAsync(cancellationToken),
            UpcomingAppointments: await db.Appointments
                .AsNoTracking()
                .CountAsync(a => a.Status == AppointmentStatus.Scheduled && a.StartsAt >= now, cancellationToken),
            PrescriptionsLast30Days: await db.Prescriptions
                .AsNoTracking()
                .CountAsync(p => p.IssuedAt >= monthAgo, cancellationToken),
            ComputedAt: now);

        cache.Set(CacheKey, stats, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime });
        return stats;
    }
}

public static class ClinicStatsEndpoints
{
    public static IEndpointRouteBuilder MapClinicStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", async (IClinicStatsService stats, CancellationToken cancellationToken) =>
                TypedResults.Ok(await stats.GetAsync(cancellationToken)))
            .WithTags("Stats");

        return app;
    }
}
