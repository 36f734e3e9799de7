// BA3006 - Several collection Includes without split query.
// The endpoint loads a patient with both the appointments and the prescriptions collections in one SQL statement:
// the JOINs return one row per appointment-prescription pair. The code fix adds AsSplitQuery(), which loads each
// collection with a statement of its own.
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed record PatientChart(int Id, string Name, int Appointments, int Prescriptions);

[ApiController]
[Route("problems/ba3006")]
public sealed class CollectionIncludesWithoutSplitQueryController(ClinicDbContext db) : ControllerBase
{
    [HttpGet("patients/{id:int}/chart")]
    public async Task<ActionResult<PatientChart>> Chart(int id, CancellationToken cancellationToken)
    {
        // BA3006: two collection Includes in one statement. Fix: .AsSplitQuery() before FirstOrDefaultAsync.
        var patient = await db.Patients
            .AsNoTracking()
            .Include(p => p.Appointments)
            .Include(p => p.Prescriptions)
            .FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (patient is null)
        {
            return NotFound();
        }

        return new PatientChart(patient.Id, patient.FirstName + " " + patient.LastName, patient.Appointments.Count, patient.Prescriptions.Count);
    }
}
