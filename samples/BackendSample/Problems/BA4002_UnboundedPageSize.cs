// BA4002 - Client-controlled page size is not bounded.
// The endpoint below pages its query, but takes the page size as the client sends it: ?take=1000000 returns the
// whole table in one response. Clamp it (Math.Clamp) or reject values above a maximum.
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba4002")]
public sealed class UnboundedPageSizeController(ClinicDbContext db) : ControllerBase
{
    public sealed record DoctorName(int Id, string Name);

    [HttpGet("doctors")]
    public async Task<ActionResult<List<DoctorName>>> Doctors(int take = 20, CancellationToken cancellationToken = default)
    {
        // BA4002: Take(take) with a client value and no upper bound.
        return await db.Doctors
            .AsNoTracking()
            .OrderBy(d => d.Id)
            .Take(take)
            .Select(d => new DoctorName(d.Id, d.FirstName + " " + d.LastName))
            .ToListAsync(cancellationToken);
    }
}
