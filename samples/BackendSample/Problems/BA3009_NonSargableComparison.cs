// BA3009 - Non-sargable comparison in a query.
// Patients' emails are stored trimmed and lower-cased, with a unique index. Lower-casing the column in the query
// makes the database compute LOWER(Email) for every row, so the index cannot be used and the lookup scans the
// table. Normalize the value you compare with instead. Apart from that the endpoint is written properly.
using BackendSample.Data;
using BackendSample.Features.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba3009")]
public sealed class NonSargableComparisonController(ClinicDbContext db) : ControllerBase
{
    [HttpGet("patients/by-email")]
    public async Task<ActionResult<PatientSummary>> ByEmail([FromQuery] string email, CancellationToken cancellationToken)
    {
        // BA3009: LOWER(Email) on every row. Fix: p.Email == email.Trim().ToLowerInvariant().
        var patient = await db.Patients
            .AsNoTracking()
            .Where(p => p.Email.ToLower() == email.Trim().ToLowerInvariant())
            .Select(p => new PatientSummary(p.Id, p.FirstName, p.LastName, p.DateOfBirth, p.Email))
            .FirstOrDefaultAsync(cancellationToken);

        return patient is null ? NotFound() : patient;
    }
}
