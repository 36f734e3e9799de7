// BA4001 - List endpoint returns an unbounded query.
// Each endpoint below returns every matching row: fine with the seed data, a timeout and an out-of-memory
// once the table grows. The clean endpoints under /api page with OrderBy + Skip + Take and a clamped page size.
// Apart from the missing Take these endpoints are written properly (DTOs, AsNoTracking, CancellationToken).
using BackendSample.Data;
using BackendSample.Features.Appointments;
using BackendSample.Features.Doctors;
using BackendSample.Features.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba4001")]
public sealed class UnboundedListController(ClinicDbContext db, IAppointmentHistory history) : ControllerBase
{
    /// <summary>(a) The whole Patients table, straight into Ok(...).</summary>
    [HttpGet("patients")]
    public async Task<ActionResult<List<PatientSummary>>> AllPatients(CancellationToken cancellationToken) =>
        // BA4001: no Take - returns every patient.
        Ok(await db.Patients
            .AsNoTracking()
            .Select(p => new PatientSummary(p.Id, p.FirstName, p.LastName, p.DateOfBirth, p.Email))
            .ToListAsync(cancellationToken));

    /// <summary>(c) The unbounded query is in a service method; the endpoint just passes its list on.</summary>
    [HttpGet("patients/{id:int}/appointments")]
    public async Task<ActionResult<List<AppointmentSummary>>> PatientHistory(int id, CancellationToken cancellationToken) =>
        // BA4001: IAppointmentHistory.GetAllForPatientAsync returns all of a patient's appointments.
        Ok(await history.GetAllForPatientAsync(id, cancellationToken));
}

public static class UnboundedListEndpoints
{
    /// <summary>(b) A minimal API in a MapGroup returning a whole table.</summary>
    public static IEndpointRouteBuilder MapUnboundedListProblems(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/problems/ba4001").WithTags("Problems");

        // BA4001: no Take - returns every doctor.
        group.MapGet("/doctors", async (ClinicDbContext db, CancellationToken cancellationToken) =>
            await db.Doctors
                .AsNoTracking()
                .Select(d => new DoctorSummary(d.Id, d.FirstName, d.LastName, d.Specialty))
                .ToListAsync(cancellationToken));

        return app;
    }
}

public interface IAppointmentHistory
{
    Task<List<AppointmentSummary>> GetAllForPatientAsync(int patientId, CancellationToken cancellationToken);
}

public sealed class AppointmentHistory(ClinicDbContext db) : IAppointmentHistory
{
    // Filtered and ordered, but not paged: a long-time patient has hundreds of appointments.
    public Task<List<AppointmentSummary>> GetAllForPatientAsync(int patientId, CancellationToken cancellationToken) =>
        db.Appointments
            .AsNoTracking()
            .Where(a => a.PatientId == patientId)
            .OrderByDescending(a => a.StartsAt)
            .Select(a => new AppointmentSummary(
                a.Id,
                a.PatientId,
                a.Patient.FirstName + " " + a.Patient.LastName,
                a.DoctorId,
                a.Doctor.FirstName + " " + a.Doctor.LastName,
                a.StartsAt,
                a.EndsAt,
                a.Status,
                a.Reason))
            .ToListAsync(cancellationToken);
}
