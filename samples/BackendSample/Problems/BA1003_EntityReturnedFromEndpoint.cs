// BA1003 - EF Core entity returned from endpoint.
// The endpoint below serializes Patient entities: every column goes out (email, phone, CreatedAt), and the
// response shape changes whenever the table does. The clean endpoints under /api project to PatientSummary.
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba1003")]
public sealed class EntityReturnedFromEndpointController(ClinicDbContext db) : ControllerBase
{
    [HttpGet("patients/{id:int}")]
    public async Task<IActionResult> Get(int id, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

        // BA1003: the entity itself is the response.
        return patient is null ? NotFound() : Ok(patient);
    }
}
