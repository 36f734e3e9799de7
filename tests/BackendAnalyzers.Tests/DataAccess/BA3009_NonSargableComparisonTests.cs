using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.NonSargableComparisonAnalyzer>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3009_NonSargableComparisonTests
{
    private static string InService(string statements) => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, string name, string email, List<Patient> patients, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
                return null;
            }
        }
        """;

    private static DiagnosticResult Diagnostic(int location, string function, string column, string op) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(function, column, op);

    // ---------------------------------------------------------------- flags

    [Theory]
    [InlineData("db.Patients.Where(p => {|#0:p.Email.ToLower()|} == email).ToList()", "ToLower", "Email", "Where")]
    [InlineData("db.Patients.Where(p => {|#0:p.Email.ToUpperInvariant()|} == email.ToUpperInvariant()).ToList()", "ToUpperInvariant", "Email", "Where")]
    [InlineData("await db.Patients.FirstOrDefaultAsync(p => {|#0:p.Name.Trim()|} == name, ct)", "Trim", "Name", "FirstOrDefaultAsync")]
    [InlineData("await db.Patients.AnyAsync(p => {|#0:p.Email.ToLowerInvariant()|}.StartsWith(email), ct)", "ToLowerInvariant", "Email", "AnyAsync")]
    [InlineData("db.Patients.Count(p => {|#0:p.Doctor!.Name.ToUpper()|} == name)", "ToUpper", "Name", "Count")]
    [InlineData("db.Patients.OrderBy(p => {|#0:p.Name.ToLower()|}).Take(10).ToList()", "ToLower", "Name", "OrderBy")]
    [InlineData("db.Patients.OrderBy(p => p.Id).ThenBy(p => {|#0:p.Name.TrimStart()|}).Take(10).ToList()", "TrimStart", "Name", "ThenBy")]
    [InlineData("db.Patients.Where(p => {|#0:string.Format(\"{0}-{1}\", p.Name, p.Id)|} == name).ToList()", "Format", "Name", "Where")]
    [InlineData("db.Doctors.Where(d => d.Patients.Any(p => {|#0:p.Email.ToLower()|} == email)).ToList()", "ToLower", "Email", "Where")]
    public async Task Flags_functions_applied_to_a_column(string query, string function, string column, string op) =>
        await VerifyCS.AnalyzerAsync(InService($"var result = {query};"), Diagnostic(0, function, column, op));

    [Fact]
    public async Task Flags_queries_built_across_locals_in_repositories_and_endpoints()
    {
        const string source = """
            using Clinic;

            public class PatientRepository
            {
                private readonly AppDb _db;
                public PatientRepository(AppDb db) => _db = db;

                public Task<Patient?> FindByEmailAsync(string email, CancellationToken ct)
                {
                    var query = _db.Patients.AsNoTracking();
                    return query.SingleOrDefaultAsync(p => {|#0:p.Email.ToLower()|} == email.ToLower(), ct);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var group = app.MapGroup("/patients");
                    group.MapGet("/search", (AppDb db, string name) =>
                        db.Patients.Where(p => {|#1:p.Name.ToUpper()|}.Contains(name.ToUpper())).OrderBy(p => p.Id).Take(20).ToListAsync());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "ToLower", "Email", "SingleOrDefaultAsync"), Diagnostic(1, "ToUpper", "Name", "Where"));
    }

    [Fact]
    public async Task A_subquery_reports_its_own_calls_once()
    {
        await VerifyCS.AnalyzerAsync(
            InService("var result = db.Patients.Where(p => db.Doctors.Any(d => {|#0:d.Name.ToLower()|} == p.Name)).ToList();"),
            Diagnostic(0, "ToLower", "Name", "Any"));
    }

    // ---------------------------------------------------------------- leaves alone

    [Theory]
    [InlineData("db.Patients.Where(p => p.Email == email.ToLower()).ToList()")]
    [InlineData("db.Patients.Where(p => p.Email == email.Trim().ToLowerInvariant()).ToList()")]
    [InlineData("db.Patients.Where(p => p.Name == string.Format(\"{0} {1}\", name, id)).ToList()")]
    [InlineData("db.Patients.Where(p => p.Email == email).OrderBy(p => p.Name).ToList()")]
    [InlineData("db.Patients.Select(p => p.Name.ToLower()).ToList()")]
    [InlineData("db.Patients.Select(p => new { Name = p.Name.Trim() }).Where(x => x.Name == name).ToList()")]
    [InlineData("patients.Where(p => p.Email.ToLower() == email).ToList()")]
    [InlineData("patients.AsQueryable().Where(p => p.Email.ToLower() == email).ToList()")]
    [InlineData("db.Patients.Where(p => EF.Functions.Like(p.Email, email)).ToList()")]
    [InlineData("new[] { \"a\" }.Where(s => s.ToLower() == name).ToList()")]
    public async Task Leaves_value_side_projections_and_in_memory_linq_alone(string query) =>
        await VerifyCS.AnalyzerAsync(InService($"var result = {query};"));

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = InService("""
                var a = db.Patients.Where(p => p.Email.ToLower( == email).ToList();
                var b = db.Missing.Where(m => m.Name.ToLower() == name).ToList();
                var c = db.Patients.Where(p => p.Unknown.ToLower() == name).ToList();
                var d = db.Patients.OrderBy(p => ).ToList();
                """),
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync();
    }
}
