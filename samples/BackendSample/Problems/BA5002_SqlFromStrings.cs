// BA5002 - SQL built from strings.
// The search below pastes the caller's text into the SQL. A last name such as  x' OR '1'='1  returns every
// patient, and  x'; DROP TABLE Patients; --  is worse. The same goes for the ADO.NET command, which builds its
// text by concatenation.
// The fix for the EF Core call switches FromSqlRaw to FromSql, which sends each interpolated value as a parameter;
// the command needs a parameter added by hand (command.Parameters.AddWithValue("$lastName", lastName)).
using BackendSample.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba5002")]
public sealed class SqlFromStringsController(ClinicDbContext db, IConfiguration configuration) : ControllerBase
{
    public sealed record PatientName(int Id, string FirstName, string LastName);

    [HttpGet("patients")]
    public async Task<ActionResult<List<PatientName>>> SearchByLastName(string lastName, CancellationToken cancellationToken)
    {
        // BA5002: the last name becomes part of the SQL text. (EF Core's own analyzer reports this one too, as
        // EF1002; it is silenced here so that the sample's build shows what BackendAnalyzers reports.)
#pragma warning disable EF1002
        var patients = await db.Patients
            .FromSqlRaw($"SELECT * FROM Patients WHERE LastName = '{lastName}'")
            .AsNoTracking()
            .OrderBy(p => p.Id)
            .Take(50)
            .Select(p => new PatientName(p.Id, p.FirstName, p.LastName))
            .ToListAsync(cancellationToken);
#pragma warning restore EF1002
        return patients;
    }

    [HttpGet("patients/count")]
    public async Task<long> CountByLastName(string lastName, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(configuration.GetConnectionString("Clinic"));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // BA5002: concatenation into CommandText.
        command.CommandText = "SELECT COUNT(*) FROM Patients WHERE LastName = '" + lastName + "'";
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }
}
