// BA3007 - Read-only query is tracked.
// Both endpoints load entities only to read them into a response, yet the queries track them: the DbContext keeps
// a snapshot of every row for a SaveChanges that never comes. The code fix adds AsNoTracking() after the DbSet.
// The clean endpoints under /api state AsNoTracking() on every read.
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record DoctorCard(int Id, string Name, string Specialty);

public sealed record PatientCard(int Id, string Name, DateTime CreatedAt);

[ApiController]
[Route("problems/ba3007")]
public sealed class ReadOnlyQueryTrackedController(ClinicDbContext db) : ControllerBase
{
    /// <summary>(a) One doctor, read into a card.</summary>
    [HttpGet("doctors/{id:int}")]
    public async Task<ActionResult<DoctorCard>> Doctor(int id, CancellationToken cancellationToken)
    {
        // BA3007: tracked, although nothing changes it. Fix: db.Doctors.AsNoTracking().
        var doctor = await db.Doctors.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (doctor is null)
        {
            return NotFound();
        }

        return new DoctorCard(doctor.Id, doctor.FirstName + " " + doctor.LastName, doctor.Specialty);
    }

    /// <summary>(b) The newest patients, read into cards.</summary>
    [HttpGet("patients/newest")]
    public async Task<ActionResult<List<PatientCard>>> NewestPatients(CancellationToken cancellationToken)
    {
        // BA3007: twenty tracked patients, each snapshotted for nothing.
        var patients = await db.Patients
            .OrderByDescending(p => p.CreatedAt)
            .ThenBy(p => p.Id)
            .Take(20)
            .ToListAsync(cancellationToken);

        return patients.Select(p => new PatientCard(p.Id, p.FirstName + " " + p.LastName, p.CreatedAt)).ToList();
    }
}
