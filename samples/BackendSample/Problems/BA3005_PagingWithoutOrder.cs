// BA3005 - Paging without a defined order.
// Each endpoint below pages a query that has no OrderBy. SQL returns rows in no defined order, so page 2 can
// repeat rows of page 1 or skip some, and "the first five" are any five. The code fix orders the query by its
// primary key. The clean endpoints under /api order by a column and end with the key (ThenBy(x => x.Id)).
using BackendSample.Data;
using BackendSample.Features.Appointments;
using BackendSample.Features.Prescriptions;
using BackendSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba3005")]
public sealed class PagingWithoutOrderController(ClinicDbContext db) : ControllerBase
{
    /// <summary>(a) Skip/Take over a filtered query: pages overlap or miss prescriptions.</summary>
    [HttpGet("patients/{patientId:int}/prescriptions")]
    public async Task<ActionResult<PagedResult<PrescriptionSummary>>> Prescriptions(
        int patientId,
        CancellationToken cancellationToken,
        [FromQuery] int page = 1,
        [FromQuery] int pageSize = PageRequest.DefaultPageSize)
    {
        var paging = PageRequest.Create(page, pageSize);
        var query = db.Prescriptions.AsNoTracking().Where(p => p.PatientId == patientId);
        var total = await query.CountAsync(cancellationToken);

        // BA3005: no OrderBy before Skip. Fix: .OrderBy(p => p.Id) (or by IssuedAt, then Id).
        var items = await query
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .Select(p => new PrescriptionSummary(
                p.Id,
                p.PatientId,
                p.DoctorId,
                p.Doctor.FirstName + " " + p.Doctor.LastName,
                p.Medication,
                p.Dosage,
                p.IssuedAt,
                p.ValidUntil))
            .ToListAsync(cancellationToken);

        return PagedResult<PrescriptionSummary>.From(items, paging, total);
    }

    /// <summary>(b) "A few appointments" of a doctor: which five is up to the database.</summary>
    [HttpGet("doctors/{doctorId:int}/appointments/preview")]
    public async Task<ActionResult<List<AppointmentSummary>>> AppointmentPreview(int doctorId, CancellationToken cancellationToken) =>
        await db.Appointments
            .AsNoTracking()
            .Where(a => a.DoctorId == doctorId)
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
            // BA3005: Take without OrderBy.
            .Take(5)
            .ToListAsync(cancellationToken);
}
