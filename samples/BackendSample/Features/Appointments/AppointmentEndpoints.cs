using BackendSample.Domain;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackendSample.Features.Appointments;

public static class AppointmentEndpoints
{
    public static IEndpointRouteBuilder MapAppointmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/appointments").WithTags("Appointments");

        group.MapGet("/", async Task<Ok<PagedResult<AppointmentSummary>>> (
            IAppointmentService appointments,
            CancellationToken cancellationToken,
            int? patientId,
            int? doctorId,
            DateTime? from,
            DateTime? to,
            AppointmentStatus? status,
            int page = 1,
            int pageSize = PageRequest.DefaultPageSize) =>
        {
            var filter = new AppointmentFilter(patientId, doctorId, from, to, status);
            var result = await appointments.ListAsync(filter, PageRequest.Create(page, pageSize), cancellationToken);
            return TypedResults.Ok(result);
        })
        .WithName("ListAppointments");

        group.MapGet("/{id:int}", async Task<Results<Ok<AppointmentSummary>, NotFound>> (
            int id,
            IAppointmentService appointments,
            CancellationToken cancellationToken) =>
            await appointments.GetByIdAsync(id, cancellationToken) is { } appointment
                ? TypedResults.Ok(appointment)
                : TypedResults.NotFound())
        .WithName("GetAppointment");

        group.MapPost("/", async Task<Results<CreatedAtRoute<AppointmentSummary>, ProblemHttpResult>> (
            CreateAppointmentRequest request,
            IAppointmentService appointments,
            CancellationToken cancellationToken) =>
        {
            var outcome = await appointments.BookAsync(request, cancellationToken);
            return outcome is { Succeeded: true, Value: { } booked }
                ? TypedResults.CreatedAtRoute(booked, "GetAppointment", new { id = booked.Id })
                : outcome.ToProblem();
        })
        .RequireAuthorization();

        group.MapPost("/{id:int}/cancel", async Task<Results<Ok<AppointmentSummary>, ProblemHttpResult>> (
            int id,
            IAppointmentService appointments,
            CancellationToken cancellationToken) =>
        {
            var outcome = await appointments.CancelAsync(id, cancellationToken);
            return outcome is { Succeeded: true, Value: { } cancelled }
                ? TypedResults.Ok(cancelled)
                : outcome.ToProblem();
        })
        .RequireAuthorization();

        return app;
    }
}
