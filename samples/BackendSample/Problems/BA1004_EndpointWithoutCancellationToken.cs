// BA1004 - Endpoint does not accept a CancellationToken.
// The action below awaits EF Core but takes no CancellationToken: when the client disconnects, the query still
// runs to the end. The clean endpoints under /api take the token and pass it to every call. The code fix adds
// the parameter and passes it on.
using BackendSample.Data;
using BackendSample.Features.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba1004")]
public sealed class EndpointWithoutCancellationTokenController(ClinicDbContext db) : ControllerBase
{
    // BA1004: Fix: add CancellationToken cancellationToken and pass it to FirstOrDefaultAsync.
    [HttpGet("patients/{id:int}")]
    public async Task<ActionResult<PatientSummary>> Get(int id)
    {
        var patient = await db.Patients
            .AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new PatientSummary(p.Id, p.FirstName, p.LastName, p.DateOfBirth, p.Email))
            .FirstOrDefaultAsync();
        return patient is null ? NotFound() : patient;
    }
}
