using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.SqlBuiltFromStringsAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.SqlBuiltFromStringsAnalyzer, BackendAnalyzers.CodeFixes.Security.SqlBuiltFromStringsCodeFix>;

namespace BackendAnalyzers.Tests.Security;

public class BA5002_SqlBuiltFromStringsTests
{
    [Fact]
    public async Task Flags_ef_raw_sql_built_by_interpolation_concatenation_and_format()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("search")]
                public async Task<List<Patient>> Search(string name) =>
                    await _db.Patients.FromSqlRaw({|#0:$"SELECT * FROM Patients WHERE Name = '{name}'"|}).ToListAsync();

                [HttpDelete("{email}")]
                public async Task<int> Delete(string email, CancellationToken ct)
                {
                    var sql = "DELETE FROM Patients WHERE Email = '" + email + "'";
                    return await _db.Database.ExecuteSqlRawAsync({|#1:sql|}, ct);
                }

                [HttpGet("count")]
                public int Count(string table) =>
                    _db.Database.SqlQueryRaw<int>({|#2:string.Format("SELECT COUNT(*) AS Value FROM {0}", table)|}).Single();
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("FromSqlRaw", "interpolation"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("ExecuteSqlRawAsync", "concatenation"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("SqlQueryRaw", "string.Format"));
    }

    [Fact]
    public async Task Flags_dapper_sql_built_through_locals_loops_and_string_builder()
    {
        const string source = """
            using System.Data;
            using System.Text;
            using Dapper;

            public record PatientRow(int Id, string Name);

            public class PatientQueries
            {
                private readonly IDbConnection _connection;
                public PatientQueries(IDbConnection connection) => _connection = connection;

                public IEnumerable<PatientRow> ByName(string name, string sort)
                {
                    var sql = "SELECT Id, Name FROM Patients";
                    sql += " WHERE Name LIKE '%" + name + "%'";
                    return _connection.Query<PatientRow>({|#0:sql|});
                }

                public Task<int> Rename(int id, string name)
                {
                    var builder = new StringBuilder("UPDATE Patients SET ");
                    builder.Append("Name = '").Append(name).Append("'");
                    builder.AppendLine($" WHERE Id = {id}");
                    return _connection.ExecuteAsync({|#1:builder.ToString()|});
                }

                public IEnumerable<PatientRow> ByNames(string[] names)
                {
                    var sql = "SELECT Id, Name FROM Patients WHERE 1 = 0";
                    foreach (var name in names)
                    {
                        sql += " OR Name = '" + name + "'";
                    }

                    return _connection.Query<PatientRow>({|#2:sql|});
                }

                public PatientRow? Single(string email) =>
                    _connection.QuerySingleOrDefault<PatientRow>(sql: {|#3:$"SELECT Id, Name FROM Patients WHERE Email = '{email.Trim()}'"|});
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Dapper's Query", "concatenation"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Dapper's ExecuteAsync", "a StringBuilder"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Dapper's Query", "concatenation"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("Dapper's QuerySingleOrDefault", "interpolation"));
    }

    [Fact]
    public async Task Flags_ado_net_command_text_and_command_constructors_in_minimal_api()
    {
        const string source = """
            using System.Data.Common;
            using Dapper;
            using Microsoft.Data.Sqlite;

            public static class Reports
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/reports/{doctor}", async (string doctor, SqliteConnection connection) =>
                    {
                        await connection.OpenAsync();
                        using var command = new SqliteCommand({|#0:"SELECT COUNT(*) FROM Patients WHERE Doctor = '" + doctor + "'"|}, connection);
                        using DbCommand other = connection.CreateCommand();
                        other.CommandText = {|#1:$"SELECT * FROM Appointments WHERE Doctor = '{doctor}'"|};
                        var init = new SqliteCommand { CommandText = {|#2:"DELETE FROM Notes WHERE Author = '" + doctor + "'"|}, Connection = connection };
                        var definition = new CommandDefinition({|#3:"SELECT 1 WHERE 'x' = '" + doctor + "'"|});
                        return Results.Ok(await command.ExecuteScalarAsync());
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("new SqliteCommand", "concatenation"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("CommandText", "interpolation"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("CommandText", "concatenation"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("new CommandDefinition", "concatenation"));
    }

    [Fact]
    public async Task Leaves_constants_parameters_and_formattable_apis_alone()
    {
        const string source = """
            using System.Data;
            using Clinic;
            using Dapper;

            public class Queries
            {
                private const string Table = "Patients";
                private static readonly string Columns = "Id, Name";
                private readonly AppDb _db;
                private readonly IDbConnection _connection;
                public Queries(AppDb db, IDbConnection connection) { _db = db; _connection = connection; }

                public async Task Run(string name, int id, int[] ids, Guid key, DateTime since, string prebuiltSql, CancellationToken ct)
                {
                    // Constants and constant concatenation.
                    await _db.Patients.FromSqlRaw("SELECT * FROM " + Table + " WHERE Id = {0}", id).ToListAsync(ct);
                    await _db.Patients.FromSqlRaw($"SELECT * FROM {Table} WHERE Name = {{0}}", name).ToListAsync(ct);
                    await _db.Patients.FromSqlRaw($"SELECT * FROM {nameof(AppDb.Patients)}").ToListAsync(ct);
                    var local = "SELECT " + Columns + " FROM Patients";
                    _connection.Query<Patient>(local);
                    var table = "Patients";
                    _connection.Query<Patient>("SELECT * FROM " + table + " WHERE Name = @name", new { name });

                    // EF's FormattableString APIs parameterize the holes.
                    await _db.Patients.FromSql($"SELECT * FROM Patients WHERE Name = {name}").ToListAsync(ct);
                    await _db.Patients.FromSqlInterpolated($"SELECT * FROM Patients WHERE Name = {name}").ToListAsync(ct);
                    await _db.Database.ExecuteSqlAsync($"DELETE FROM Patients WHERE Name = {name}", ct);
                    await _db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM Patients WHERE Name = {name}", ct);
                    _db.Database.SqlQuery<int>($"SELECT Id AS Value FROM Patients WHERE Name = {name}").ToList();

                    // Numbers, GUIDs and dates cannot carry SQL.
                    _connection.Execute($"DELETE FROM Patients WHERE Id = {id}");
                    _connection.Execute("DELETE FROM Patients WHERE Id IN (" + string.Join(",", ids) + ")");
                    _connection.Execute($"DELETE FROM Sessions WHERE Key = '{key}' AND Created < '{since:O}'");

                    // SQL of unknown origin is not judged here; parameters are fine.
                    _connection.Execute(prebuiltSql, new { name });
                    await _db.Database.ExecuteSqlRawAsync(prebuiltSql, ct);
                    await _db.Database.ExecuteSqlRawAsync("DELETE FROM Patients WHERE Name = {0}", name);

                    // Strings that never reach a SQL API.
                    var message = $"Deleted {name}";
                    Console.WriteLine("SELECT * FROM Patients WHERE Name = '" + name + "'");
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using System.Data;
            using Clinic;
            using Dapper;

            public class Broken
            {
                public void Run(AppDb db, IDbConnection connection, string name, Missing missing)
                {
                    db.Patients.FromSqlRaw($"SELECT * FROM Patients WHERE Name = '{missing}'");
                    db.Patients.FromSqlRaw();
                    connection.Query<Patient>("SELECT * FROM Patients WHERE Name = '" + unknown + "'");
                    var sql = "SELECT * FROM Patients WHERE Name = '" + name
                    connection.Execute({|#0:sql|});
                    new Unknown().CommandText = "x" + name;
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("Dapper's Execute", "concatenation"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_switches_ef_raw_calls_to_their_formattable_twins()
    {
        const string source = """
            using Clinic;

            public class Patients
            {
                private readonly AppDb _db;
                public Patients(AppDb db) => _db = db;

                public Task<List<Patient>> Search(string name, int id) =>
                    _db.Patients.FromSqlRaw({|#0:$"SELECT * FROM Patients WHERE Name = '{name}' AND DoctorId > {id}"|}).ToListAsync();

                public Task<int> Delete(string email, CancellationToken ct) =>
                    _db.Database.ExecuteSqlRawAsync({|#1:$"DELETE FROM Patients WHERE Email = {email}"|}, ct);

                public int Count(string name) =>
                    _db.Database.SqlQueryRaw<int>({|#2:$"SELECT COUNT(*) AS Value FROM Patients WHERE Name = '{name}'"|}).Single();
            }
            """;
        const string fixedSource = """
            using Clinic;

            public class Patients
            {
                private readonly AppDb _db;
                public Patients(AppDb db) => _db = db;

                public Task<List<Patient>> Search(string name, int id) =>
                    _db.Patients.FromSql($"SELECT * FROM Patients WHERE Name = {name} AND DoctorId > {id}").ToListAsync();

                public Task<int> Delete(string email, CancellationToken ct) =>
                    _db.Database.ExecuteSqlAsync($"DELETE FROM Patients WHERE Email = {email}", ct);

                public int Count(string name) =>
                    _db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM Patients WHERE Name = {name}").Single();
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("FromSqlRaw", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("ExecuteSqlRawAsync", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("SqlQueryRaw", "interpolation"));
    }

    [Fact]
    public async Task Fix_turns_dapper_holes_into_parameters()
    {
        const string source = """
            using System.Data;
            using Dapper;

            public record PatientRow(int Id, string Name);
            public record Filter(string Email, int DoctorId);

            public class PatientQueries(IDbConnection connection)
            {
                public IEnumerable<PatientRow> ByName(string name, int doctorId) =>
                    connection.Query<PatientRow>({|#0:$"SELECT Id, Name FROM Patients WHERE Name = '{name}' AND DoctorId = {doctorId}"|});

                public Task<PatientRow?> ByFilter(Filter filter, IDbTransaction transaction) =>
                    connection.QueryFirstOrDefaultAsync<PatientRow>({|#1:$"SELECT Id, Name FROM {nameof(Patients)} WHERE Email = '{filter.Email}' OR Email = '{filter.Email}'"|}, transaction: transaction);

                public int Rename(int p0, string name) =>
                    connection.Execute(sql: {|#2:$"UPDATE Patients SET Name = {name.Trim()} WHERE Id = {p0}"|});

                private const string Patients = "Patients";
            }
            """;
        const string fixedSource = """
            using System.Data;
            using Dapper;

            public record PatientRow(int Id, string Name);
            public record Filter(string Email, int DoctorId);

            public class PatientQueries(IDbConnection connection)
            {
                public IEnumerable<PatientRow> ByName(string name, int doctorId) =>
                    connection.Query<PatientRow>("SELECT Id, Name FROM Patients WHERE Name = @name AND DoctorId = @doctorId", new { name, doctorId });

                public Task<PatientRow?> ByFilter(Filter filter, IDbTransaction transaction) =>
                    connection.QueryFirstOrDefaultAsync<PatientRow>($"SELECT Id, Name FROM {nameof(Patients)} WHERE Email = @p0 OR Email = @p0", new { p0 = filter.Email }, transaction: transaction);

                public int Rename(int p0, string name) =>
                    connection.Execute(sql: "UPDATE Patients SET Name = @p1 WHERE Id = @p0", param: new { p1 = name.Trim(), p0 });

                private const string Patients = "Patients";
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("Dapper's Query", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("Dapper's QueryFirstOrDefaultAsync", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("Dapper's Execute", "interpolation"));
    }

    [Fact]
    public async Task No_fix_where_a_hole_is_not_a_plain_value()
    {
        const string source = """
            using System.Data;
            using Clinic;
            using Dapper;

            public class Queries(AppDb db, IDbConnection connection)
            {
                public object Like(string name) =>
                    connection.Query<Patient>({|#0:$"SELECT * FROM Patients WHERE Name LIKE '%{name}%'"|});

                public object Table(string table) =>
                    connection.Query<Patient>({|#1:$"SELECT * FROM {table}"|});

                public object Sort(string column) =>
                    db.Patients.FromSqlRaw({|#2:$"SELECT * FROM Patients ORDER BY {column}"|});

                public object List(string ids) =>
                    connection.Query<Patient>({|#3:$"SELECT * FROM Patients WHERE Id IN ({ids})"|});

                public object WithParams(string name, object extra) =>
                    connection.Query<Patient>({|#4:$"SELECT * FROM Patients WHERE Name = {name}"|}, extra);

                public object EfWithParameters(string name, int id) =>
                    db.Patients.FromSqlRaw({|#5:$"SELECT * FROM Patients WHERE Name = '{name}' AND Id = {{0}}"|}, id);
            }
            """;
        await VerifyFix.CodeFixAsync(source, source,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("Dapper's Query", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("Dapper's Query", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("FromSqlRaw", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(3).WithArguments("Dapper's Query", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(4).WithArguments("Dapper's Query", "interpolation"),
            VerifyFix.Diagnostic().WithLocation(5).WithArguments("FromSqlRaw", "interpolation"));
    }
}
