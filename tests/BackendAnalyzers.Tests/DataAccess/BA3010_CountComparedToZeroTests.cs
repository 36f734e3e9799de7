using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.CountComparedToZeroAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.CountComparedToZeroAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.CountComparedToZeroCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3010_CountComparedToZeroTests
{
    private static string InService(string statements, string members = "") => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, string name, List<Patient> patients, IQueryable<Patient> source, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
                return null;
            }
        {{members}}
        }
        """;

    private static Task VerifyAsync(string statements, string members = "", params DiagnosticResult[] expected) =>
        VerifyCS.AnalyzerAsync(InService(statements, members), expected);

    private static DiagnosticResult Diagnostic(int location, string count, string any) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(count, any);

    // ---------------------------------------------------------------- flags

    [Theory]
    [InlineData("db.Patients.Count() > 0", "Count()", "Any()")]
    [InlineData("db.Patients.Count() != 0", "Count()", "Any()")]
    [InlineData("db.Patients.Count() >= 1", "Count()", "Any()")]
    [InlineData("0 < db.Patients.Count()", "Count()", "Any()")]
    [InlineData("0 != db.Patients.Count(p => p.DoctorId == id)", "Count()", "Any()")]
    [InlineData("1 <= db.Patients.Count()", "Count()", "Any()")]
    [InlineData("db.Patients.Count() == 0", "Count()", "!Any()")]
    [InlineData("db.Patients.Count(p => p.Name == name) < 1", "Count()", "!Any()")]
    [InlineData("db.Patients.Count() <= 0", "Count()", "!Any()")]
    [InlineData("0 == db.Patients.Count()", "Count()", "!Any()")]
    [InlineData("1 > db.Patients.Count()", "Count()", "!Any()")]
    [InlineData("0 >= db.Patients.Count()", "Count()", "!Any()")]
    [InlineData("db.Patients.LongCount() > 0", "LongCount()", "Any()")]
    [InlineData("db.Patients.LongCount() == 0L", "LongCount()", "!Any()")]
    [InlineData("await db.Patients.CountAsync(ct) > 0", "CountAsync()", "AnyAsync()")]
    [InlineData("await db.Patients.CountAsync(p => p.Id == id, ct) == 0", "CountAsync()", "!AnyAsync()")]
    [InlineData("await db.Patients.LongCountAsync() != 0", "LongCountAsync()", "AnyAsync()")]
    [InlineData("0 < await db.Patients.Where(p => p.Id > id).CountAsync(ct)", "CountAsync()", "AnyAsync()")]
    [InlineData("await db.Patients.CountAsync(ct).ConfigureAwait(false) > 0", "CountAsync()", "AnyAsync()")]
    public async Task Flags_count_compared_with_zero(string comparison, string count, string any) => await VerifyAsync($$"""
        var result = {|#0:{{comparison}}|};
        """, expected: Diagnostic(0, count, any));

    [Fact]
    public async Task Flags_in_conditions_of_a_controller_a_minimal_api_and_a_query()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpDelete("{id}")]
                public async Task<IActionResult> Delete(int id, CancellationToken ct)
                {
                    if ({|#0:await _db.Patients.CountAsync(p => p.DoctorId == id, ct) > 0|})
                    {
                        return Conflict();
                    }

                    return NoContent();
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/doctors/idle", async (AppDb db, CancellationToken ct) =>
                        await db.Doctors.Where(d => {|#1:db.Patients.Count(p => p.DoctorId == d.DoctorId) == 0|}).ToListAsync(ct));
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "CountAsync()", "AnyAsync()"), Diagnostic(1, "Count()", "!Any()"));
    }

    [Fact]
    public async Task Flags_a_query_built_in_a_local_and_a_repository() => await VerifyAsync("""
        var query = db.Patients.Where(p => p.DoctorId == id);
        query = query.Where(p => p.Name != name);
        var any = {|#0:query.Count() > 0|};
        var fromRepository = {|#1:await Query().CountAsync(ct) == 0|};
        """, """
            private IQueryable<Patient> Query() => db.Patients.AsNoTracking();
        """, Diagnostic(0, "Count()", "Any()"), Diagnostic(1, "CountAsync()", "!AnyAsync()"));

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_counts_used_as_numbers_alone() => await VerifyAsync("""
        var count = await db.Patients.CountAsync(ct);
        var many = db.Patients.Count() > 1;
        var few = db.Patients.Count() < 10;
        var exact = db.Patients.Count() == 3;
        var total = db.Patients.Count() + 1;
        var stored = count > 0;
        var doubled = db.Patients.Count() * 2 > 0;
        """);

    [Fact]
    public async Task Leaves_in_memory_counts_and_queries_not_known_to_be_EF_alone() => await VerifyAsync("""
        var a = patients.Count() > 0;
        var b = patients.Count > 0;
        var c = patients.AsQueryable().Count() > 0;
        var d = source.Count() == 0;
        var e = patients.Count(p => p.Id > id) != 0;
        var f = db.Patients.ToList().Count() > 0;
        """);

    [Fact]
    public async Task Leaves_grouped_counts_alone() => await VerifyAsync("""
        var grouped = db.Patients.GroupBy(p => p.DoctorId).Count() > 0;
        """);

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public bool Run(List<int> ids) => ids.AsQueryable().Count() > 0;
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("var r = db.Patients.Count( > 0;")]
    [InlineData("var r = db.Missing.Count() > 0;")]
    [InlineData("var r = db.Patients.Count(p => p.Missing) > 0;")]
    [InlineData("var r = db.Patients.Count() > ;")]
    [InlineData("var r = await db.Patients.CountAsync(ct) > \"0\";")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        if (statements.Contains("{|#0:", StringComparison.Ordinal))
        {
            test.ExpectedDiagnostics.Add(Diagnostic(0, "Count()", "Any()"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    [Fact]
    public async Task Fix_uses_Any_with_the_same_predicate_and_token_and_negates_where_needed()
    {
        var source = InService("""
            var any = {|#0:db.Patients.Count() > 0|};
            var none = {|#1:db.Patients.Count(p => p.DoctorId == id) == 0|};
            var anyAsync = {|#2:await db.Patients.CountAsync(p => p.Name == name, ct) != 0|};
            var noneAsync = {|#3:0 == await db.Patients.Where(p => p.Id > id).LongCountAsync(ct)|};
            if ({|#4:await db.Patients.CountAsync(ct).ConfigureAwait(false) >= 1|} && {|#5:db.Doctors.Count<Doctor>() < 1|})
            {
                return null;
            }
            var nested = {|#6:db.Doctors.Count(d => {|#7:db.Patients.Count(p => p.DoctorId == d.DoctorId) > 0|}) == 0|};
            """);
        var fixedSource = InService("""
            var any = db.Patients.Any();
            var none = !db.Patients.Any(p => p.DoctorId == id);
            var anyAsync = await db.Patients.AnyAsync(p => p.Name == name, ct);
            var noneAsync = !await db.Patients.Where(p => p.Id > id).AnyAsync(ct);
            if (await db.Patients.AnyAsync(ct).ConfigureAwait(false) && !db.Doctors.Any<Doctor>())
            {
                return null;
            }
            var nested = !db.Doctors.Any(d => db.Patients.Any(p => p.DoctorId == d.DoctorId));
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diagnostic(0, "Count()", "Any()"),
            Diagnostic(1, "Count()", "!Any()"),
            Diagnostic(2, "CountAsync()", "AnyAsync()"),
            Diagnostic(3, "LongCountAsync()", "!AnyAsync()"),
            Diagnostic(4, "CountAsync()", "AnyAsync()"),
            Diagnostic(5, "Count()", "!Any()"),
            Diagnostic(6, "Count()", "!Any()"),
            Diagnostic(7, "Count()", "Any()"));
    }

    [Fact]
    public async Task Fix_keeps_parentheses_only_where_needed()
    {
        var source = InService("""
            var flag = {|#0:(await db.Patients.CountAsync(ct)) == 0|};
            var text = ({|#1:db.Patients.Count() > 0|}).ToString();
            """);
        var fixedSource = InService("""
            var flag = !await db.Patients.AnyAsync(ct);
            var text = (db.Patients.Any()).ToString();
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "CountAsync()", "!AnyAsync()"), Diagnostic(1, "Count()", "Any()"));
    }
}
