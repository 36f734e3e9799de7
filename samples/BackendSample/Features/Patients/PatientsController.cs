using BackendSample.Features.Appointments;
using BackendSample.Features.Prescriptions;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Features.Patients;

[ApiController]
[Route("api/patients")]
public sealed class PatientsController(IPatientService patients) : ControllerBase
{
    /// <summary>Patients ordered by last name; <paramref name="search"/> matches the start of the last name.</summary>
    [HttpGet]
    public async Task<ActionResult<PagedResult<PatientSummary>>> List(
        [FromQuery] string? search,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize) =>
        Ok(await patients.ListAsync(search, PageRequest.Create(page, pageSize), cancellationToken));

    [HttpGet("{id:int}")]
    public async Task<ActionResult<PatientDetails>> GetById(int id, CancellationToken cancellationToken) =>
        await patients.GetByIdAsync(id, cancellationToken) is { } patient
            ? Ok(patient)
            : NotFound();

    [HttpGet("{id:int}/appointments")]
    public async Task<ActionResult<PagedResult<AppointmentSummary>>> ListAppointments(
        int id,
        [FromServices] IAppointmentService appointments,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize) =>
        Ok(await appointments.ListAsync(new AppointmentFilter(PatientId: id), PageRequest.Create(page, pageSize), cancellationToken));

    [HttpGet("{id:int}/prescriptions")]
    public async Task<ActionResult<PagedResult<PrescriptionSummary>>> ListPrescriptions(
        int id,
        [FromServices] IPrescriptionService prescriptions,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize) =>
        Ok(await prescriptions.ListAsync(id, PageRequest.Create(page, pageSize), cancellationToken));

    [HttpPost]
    [Authorize]
    public async Task<ActionResult<PatientDetails>> Create(CreatePatientRequest request, CancellationToken cancellationToken)
    {
        var outcome = await patients.CreateAsync(request, cancellationToken);
        return outcome is { Succeeded: true, Value: { } created }
            ? CreatedAtAction(nameof(GetById), new { id = created.Id }, created)
            : Problem(detail: outcome.Detail, statusCode: outcome.StatusCode);
    }

    [HttpPut("{id:int}")]
    [Authorize]
    public async Task<ActionResult<PatientDetails>> Update(int id, UpdatePatientRequest request, CancellationToken cancellationToken)
    {
        var outcome = await patients.UpdateAsync(id, request, cancellationToken);
        return outcome is { Succeeded: true, Value: { } updated }
            ? Ok(updated)
            : Problem(detail: outcome.Detail, statusCode: outcome.StatusCode);
    }
}
