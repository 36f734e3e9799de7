// BA4003 - Whole table loaded.
// The export below reads every patient into memory before writing a single line. With 60 seeded patients that is
// nothing; with two million it is the server's memory. Stream the rows (AsAsyncEnumerable) or page through them.
using BackendSample.Data;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Problems;

public sealed class PatientEmailExport(ClinicDbContext db)
{
    /// <summary>Writes "name;email" lines for a mailing export.</summary>
    public async Task WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        // BA4003: ToListAsync over the whole Patients table.
        var contacts = await db.Patients
            .OrderBy(p => p.LastName)
            .Select(p => new { p.FirstName, p.LastName, p.Email })
            .ToListAsync(cancellationToken);

        foreach (var contact in contacts)
        {
            await writer.WriteLineAsync($"{contact.FirstName} {contact.LastName};{contact.Email}");
        }
    }
}
