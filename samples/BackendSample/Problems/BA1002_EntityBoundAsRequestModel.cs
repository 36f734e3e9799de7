// BA1002 - EF Core entity bound as request model.
// The action below binds the Doctor entity straight from the request body: a client can send an Id, or
// Appointments, and EF Core saves whatever arrived (over-posting). The clean doctor endpoints under /api bind
// SaveDoctorRequest, which carries only the fields a client may set, and copy them onto the entity.
using BackendSample.Data;
using BackendSample.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba1002")]
public sealed class EntityBoundAsRequestModelController(ClinicDbContext db) : ControllerBase
{
    [HttpPost("doctors")]
    [Authorize]
    public async Task<IActionResult> Create(Doctor doctor, CancellationToken cancellationToken)
    {
        // BA1002: every property of Doctor, the key included, comes from the client.
        db.Doctors.Add(doctor);
        await db.SaveChangesAsync(cancellationToken);
        return Created($"/api/doctors/{doctor.Id}", null);
    }
}
