// BA2004 - Exception logged without the exception.
// The catch below logs the exception's message as a template argument, but not the exception itself: the log entry
// has no exception type, no stack trace and no inner exception (for a database error, the inner exception is where
// the provider's real message is). The fix passes the exception first: logger.LogError(ex, "...", ...).
using System.Data.Common;
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba2004")]
public sealed class ExceptionLoggedWithoutExceptionController(
    ClinicDbContext db,
    ILogger<ExceptionLoggedWithoutExceptionController> logger) : ControllerBase
{
    /// <summary>The specialty of one doctor.</summary>
    [HttpGet("doctors/{doctorId:int}/specialty")]
    public async Task<ActionResult<string>> Specialty(int doctorId, CancellationToken cancellationToken)
    {
        try
        {
            var specialty = await db.Doctors
                .Where(d => d.Id == doctorId)
                .Select(d => d.Specialty)
                .SingleOrDefaultAsync(cancellationToken);
            return specialty is null ? NotFound() : Ok(specialty);
        }
        catch (DbException ex)
        {
            // BA2004: only the message is logged; the exception (type, stack trace, inner exception) is lost.
            logger.LogError("Reading the specialty of doctor {DoctorId} failed: {Error}", doctorId, ex.Message);
            throw;
        }
    }
}
