using BackendSample.Features.Appointments;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackendSample.Features.Doctors;

public static class DoctorEndpoints
{
    public static IEndpointRouteBuilder MapDoctorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/doctors").WithTags("Doctors");

        group.MapGet("/", ListDoctors);
        group.MapGet("/{id:int}", GetDoctor).WithName("GetDoctor");
        group.MapGet("/{id:int}/appointments", ListDoctorAppointments);
        group.MapPost("/", CreateDoctor).RequireAuthorization();
        group.MapPut("/{id:int}", UpdateDoctor).RequireAuthorization();

        return app;
    }

    private static async Task<Ok<PagedResult<DoctorSummary>>> ListDoctors(
        IDoctorService doctors,
        CancellationToken cancellationToken,
        string? specialty,
        int page = 1,
        int pageSize = PageRequest.DefaultPageSize) =>
        TypedResults.Ok(await doctors.ListAsync(specialty, PageRequest.Create(page, pageSize), cancellationToken));

    private static async Task<Results<Ok<DoctorSummary>, NotFound>> GetDoctor(
        int id,
        IDoctorService doctors,
        CancellationToken cancellationToken) =>
        await doctors.GetByIdAsync(id, cancellationToken) is { } doctor
            ? TypedResults.Ok(doctor)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PagedResult<AppointmentSummary>>, NotFound>> ListDoctorAppointments(
        int id,
        DateTime? from,
        IDoctorService doctors,
        IAppointmentService appointments,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = PageRequest.DefaultPageSize)
    {
        if (await doctors.GetByIdAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var filter = new AppointmentFilter(DoctorId: id, From: from);
        return TypedResults.Ok(await appointments.ListAsync(filter, PageRequest.Create(page, pageSize), cancellationToken));
    }

    private static async Task<CreatedAtRoute<DoctorSummary>> CreateDoctor(
        SaveDoctorRequest request,
        IDoctorService doctors,
        CancellationToken cancellationToken)
    {
        var doctor = await doctors.CreateAsync(request, cancellationToken);
        return TypedResults.CreatedAtRoute(doctor, "GetDoctor", new { id = doctor.Id });
    }

    private static async Task<Results<Ok<DoctorSummary>, NotFound>> UpdateDoctor(
        int id,
        SaveDoctorRequest request,
        IDoctorService doctors,
        CancellationToken cancellationToken) =>
        await doctors.UpdateAsync(id, request, cancellationToken) is { } doctor
            ? TypedResults.Ok(doctor)
            : TypedResults.NotFound();
}
