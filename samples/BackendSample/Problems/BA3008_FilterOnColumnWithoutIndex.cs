// BA3008 - Filter or sort on a column without an index.
// Prescriptions are indexed by their keys, patient, doctor and issue date, but not by medication. Finding every
// prescription of one medication therefore reads the whole table. The code fix adds the index where the entity's
// model is written (here [Index(nameof(Medication))] on Prescription). Apart from that the endpoint is written
// properly.
using BackendSample.Data;
using BackendSample.Features.Prescriptions;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba3008")]
public sealed class FilterOnColumnWithoutIndexController(ClinicDbContext db) : ControllerBase
{
    [HttpGet("prescriptions")]
    public async Task<ActionResult<List<PrescriptionSummary>>> ByMedication(
        [FromQuery] string medication,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        var wanted = medication.Trim();

        // BA3008: no index starts with Medication.
        return await db.Prescriptions
            .AsNoTracking()
            .Where(p => p.Medication == wanted)
            .OrderBy(p => p.IssuedAt)
            .ThenBy(p => p.Id)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(p => new PrescriptionSummary(
                p.Id, p.PatientId, p.DoctorId, p.Doctor.LastName, p.Medication, p.Dosage, p.IssuedAt, p.ValidUntil))
            .ToListAsync(cancellationToken);
    }
}
