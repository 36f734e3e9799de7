using BackendSample.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Tests;

/// <summary>A clinic database in SQLite memory, alive as long as this object: the real schema, no files.</summary>
public sealed class SqliteClinic : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly DbContextOptions<ClinicDbContext> _options;

    public SqliteClinic()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        _options = new DbContextOptionsBuilder<ClinicDbContext>().UseSqlite(_connection).Options;
        using var db = CreateContext();
        db.Database.EnsureCreated();
    }

    /// <summary>A new context on the same database, as each request gets its own.</summary>
    public ClinicDbContext CreateContext() => new(_options);

    public void Dispose() => _connection.Dispose();
}
