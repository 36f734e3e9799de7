using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Features.Prescriptions;

[ApiController]
[Route("api/prescriptions")]
public sealed class PrescriptionsController(IPrescriptionService prescriptions) : ControllerBase
{
    [HttpGet]
    public async Task<ActionResult<PagedResult<PrescriptionSummary>>> List(
        [FromQuery] int? patientId,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize) =>
        Ok(await prescriptions.ListAsync(patientId, PageRequest.Create(page, pageSize), cancellationToken));

    [HttpGet("{id:int}")]
    public async Task<ActionResult<PrescriptionSummary>> GetById(int id, CancellationToken cancellationToken) =>
        await prescriptions.GetByIdAsync(id, cancellationToken) is { } prescription
            ? Ok(prescription)
            : NotFound();

    [HttpPost]
    [Authorize]
    public async Task<ActionResult<PrescriptionSummary>> Issue(CreatePrescriptionRequest request, CancellationToken cancellationToken)
    {
        var outcome = await prescriptions.IssueAsync(request, cancellationToken);
        return outcome is { Succeeded: true, Value: { } issued }
            ? CreatedAtAction(nameof(GetById), new { id = issued.Id }, issued)
            : Problem(detail: outcome.Detail, statusCode: outcome.StatusCode);
    }
}
