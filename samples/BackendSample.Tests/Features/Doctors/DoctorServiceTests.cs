using BackendSample.Features.Doctors;
using BackendSample.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackendSample.Tests.Features.Doctors;

public sealed class DoctorServiceTests : IDisposable
{
    private readonly SqliteClinic _clinic = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public void Dispose()
    {
        _cache.Dispose();
        _clinic.Dispose();
    }

    [Fact]
    public async Task CreateAsync_trims_the_names_and_stores_the_doctor()
    {
        var created = await CreateService().CreateAsync(new SaveDoctorRequest("  Ada ", " Lovelace", " Cardiology "), CancellationToken.None);

        Assert.Equal("Ada", created.FirstName);
        Assert.Equal("Lovelace", created.LastName);
        Assert.Equal("Cardiology", created.Specialty);
        var stored = await CreateService().GetByIdAsync(created.Id, CancellationToken.None);
        Assert.Equal(created, stored);
    }

    [Fact]
    public async Task GetByIdAsync_returns_null_for_an_unknown_doctor()
    {
        Assert.Null(await CreateService().GetByIdAsync(404, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_filters_by_specialty_and_pages_by_last_name()
    {
        var service = CreateService();
        await service.CreateAsync(new SaveDoctorRequest("Grace", "Hopper", "Neurology"), CancellationToken.None);
        await service.CreateAsync(new SaveDoctorRequest("Alan", "Turing", "Neurology"), CancellationToken.None);
        await service.CreateAsync(new SaveDoctorRequest("Edsger", "Dijkstra", "Surgery"), CancellationToken.None);

        var page = await CreateService().ListAsync("Neurology", PageRequest.Create(1, 1), CancellationToken.None);

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(2, page.TotalPages);
        Assert.Equal("Hopper", Assert.Single(page.Items).LastName);
    }

    private DoctorService CreateService() => new(_clinic.CreateContext(), _cache, NullLogger<DoctorService>.Instance);
}
