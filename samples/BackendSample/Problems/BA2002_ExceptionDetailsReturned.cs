// BA2002 - Exception details are returned to the client.
// When the query below fails, the catch sends the database provider's message to the client: it can name tables,
// columns, constraints, the database file path or the server. That tells an attacker how the system is built and
// tells the user nothing useful. The fix logs the exception and returns a generic message (or lets the global
// exception handler answer with a ProblemDetails that carries no exception text).
using System.Data.Common;
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba2002")]
public sealed class ExceptionDetailsReturnedController(ClinicDbContext db) : ControllerBase
{
    /// <summary>The dosage of one prescription.</summary>
    [HttpGet("prescriptions/{id:int}/dosage")]
    public async Task<ActionResult<string>> Dosage(int id, CancellationToken cancellationToken)
    {
        try
        {
            var dosage = await db.Prescriptions
                .Where(p => p.Id == id)
                .Select(p => p.Dosage)
                .SingleOrDefaultAsync(cancellationToken);
            return dosage is null ? NotFound() : Ok(dosage);
        }
        catch (DbException ex)
        {
            // BA2002: the provider's error message goes straight into the response.
            return Problem(detail: ex.Message, statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
