using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.SynchronousQueryInAsyncMethodAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.SynchronousQueryInAsyncMethodAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.SynchronousQueryInAsyncMethodCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3011_SynchronousQueryInAsyncMethodTests
{
    private static string InService(string statements, string members = "") => InServiceIndented(statements.Replace("\n", "\n        "), members);

    private static string InServiceIndented(string statements, string members) => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, string name, List<Patient> patients, Patient patient, CancellationToken ct)
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

    private static DiagnosticResult Diagnostic(int location, string name, string asyncName, string kind = "method") =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(name, kind, asyncName);

    // ---------------------------------------------------------------- flags

    [Theory]
    [InlineData("db.Patients.ToList()", "ToList")]
    [InlineData("db.Patients.Where(p => p.Id > id).ToArray()", "ToArray")]
    [InlineData("db.Patients.ToDictionary(p => p.Id)", "ToDictionary")]
    [InlineData("db.Patients.First(p => p.Id == id)", "First")]
    [InlineData("db.Patients.FirstOrDefault()", "FirstOrDefault")]
    [InlineData("db.Patients.Single(p => p.Id == id)", "Single")]
    [InlineData("db.Patients.SingleOrDefault(p => p.Email == name)", "SingleOrDefault")]
    [InlineData("db.Patients.OrderBy(p => p.Id).Last()", "Last")]
    [InlineData("db.Patients.Count()", "Count")]
    [InlineData("db.Patients.LongCount(p => p.Id > id)", "LongCount")]
    [InlineData("db.Patients.Any(p => p.Name == name)", "Any")]
    [InlineData("db.Patients.All(p => p.Name != \"\")", "All")]
    [InlineData("db.Appointments.Sum(a => a.Id)", "Sum")]
    [InlineData("db.Appointments.Min(a => a.StartsAt)", "Min")]
    [InlineData("db.Appointments.Max(a => a.StartsAt)", "Max")]
    [InlineData("db.Appointments.Average(a => a.Id)", "Average")]
    [InlineData("db.Patients.Select(p => p.Id).Contains(id)", "Contains")]
    [InlineData("db.Patients.Find(id)", "Find")]
    [InlineData("db.Find<Patient>(id)", "Find")]
    [InlineData("db.SaveChanges()", "SaveChanges")]
    [InlineData("db.Patients.Where(p => p.Id == id).ExecuteDelete()", "ExecuteDelete")]
    [InlineData("db.Patients.Where(p => p.Id == id).ExecuteUpdate(s => s.SetProperty(p => p.Name, name))", "ExecuteUpdate")]
    [InlineData("db.Database.ExecuteSqlRaw(\"DELETE FROM Patients\")", "ExecuteSqlRaw")]
    [InlineData("db.Entry(patient).Reload()", "Reload")]
    [InlineData("db.Entry(patient).Collection(p => p.Appointments).Load()", "Load")]
    [InlineData("db.Patients.Where(p => p.Id > id).Load()", "Load")]
    public async Task Flags_sync_calls_in_an_async_method(string call, string name) => await VerifyAsync($$"""
        {|#0:{{call}}|};
        """, expected: Diagnostic(0, name, name + "Async"));

    [Fact]
    public async Task Flags_in_async_lambdas_and_local_functions() => await VerifyAsync("""
        var tasks = patients.Select(async p => {|#0:db.Patients.Count(x => x.DoctorId == p.DoctorId)|});
        Func<Task<int>> later = async () => {|#1:db.Patients.Count()|};
        async Task<Patient?> LoadAsync() => {|#2:db.Patients.Find(id)|};
        """, expected: new[]
        {
            Diagnostic(0, "Count", "CountAsync", "lambda"),
            Diagnostic(1, "Count", "CountAsync", "lambda"),
            Diagnostic(2, "Find", "FindAsync", "local function"),
        });

    [Fact]
    public async Task Flags_in_controller_action_minimal_api_and_through_a_context_interface()
    {
        const string source = """
            using Clinic;

            public interface IClinicContext
            {
                DbSet<Patient> Patients { get; }
                int SaveChanges();
                Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
            }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly IClinicContext _db;
                public PatientsController(IClinicContext db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<Patient>>> List()
                {
                    await Task.Yield();
                    return {|#0:_db.Patients.OrderBy(p => p.Id).Take(20).ToList()|};
                }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    _db.Patients.Add(new Patient { Name = dto.Name });
                    {|#1:_db.SaveChanges()|};
                    await Task.CompletedTask;
                    return NoContent();
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/patients/{id}", async (int id, AppDb db) => Results.Ok({|#2:db.Patients.Find(id)|}));
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Diagnostic(0, "ToList", "ToListAsync"),
            Diagnostic(1, "SaveChanges", "SaveChangesAsync"),
            Diagnostic(2, "Find", "FindAsync", "lambda"));
    }

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_sync_methods_and_sync_lambdas_alone() => await VerifyAsync("""
        var inTaskRun = await Task.Run(() => db.Patients.Count());
        var inSyncLambda = patients.Select(p => p.Id).ToList();
        Func<int> counter = () => db.Patients.Count();
        var subquery = await db.Doctors.Where(d => db.Patients.Any(p => p.DoctorId == d.DoctorId)).ToListAsync(ct);
        var projected = await db.Doctors.Select(d => new { d.Name, Count = d.Patients.Count() }).ToListAsync(ct);
        """, """
            public List<Patient> Sync() => db.Patients.ToList();
            public int SyncCount() { return db.Patients.Count(); }
        """);

    [Fact]
    public async Task Leaves_adds_updates_and_removes_alone() => await VerifyAsync("""
        db.Patients.Add(patient);
        db.Add(patient);
        db.Patients.AddRange(patients);
        db.Attach(patient);
        db.Update(patient);
        db.Patients.Remove(patient);
        db.RemoveRange(patients);
        var entry = db.Entry(patient);
        var query = db.Patients.Where(p => p.Id > id).OrderBy(p => p.Name);
        """);

    [Fact]
    public async Task Leaves_in_memory_operators_and_calls_without_an_Async_form_alone() => await VerifyAsync("""
        var list = patients.Where(p => p.Id > id).ToList();
        var count = patients.Count();
        var first = patients.First();
        var lookup = db.Patients.ToLookup(p => p.DoctorId);
        var materialized = (await db.Patients.ToListAsync(ct)).Count();
        """);

    [Fact]
    public async Task Leaves_calls_inside_a_lock_alone() => await VerifyAsync("""
        lock (patients)
        {
            var count = db.Patients.Count();
        }
        """);

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public async Task<int> Run(List<int> ids) { await Task.Yield(); return ids.AsQueryable().Count(); }
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("var r = {|#0:db.Patients.ToList(|};")]
    [InlineData("var r = db.Missing.ToList();")]
    [InlineData("var r = db.Patients.First(p => p.Missing);")]
    [InlineData("var r = {|#0:db.Patients.Find()|};")]
    [InlineData("var r = {|#0:db.Patients.Where(p => p.).ToList()|};")]
    [InlineData("var r = {|#0:db.Patients.ToList()|}")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        if (statements.Contains("{|#0:", StringComparison.Ordinal))
        {
            var name = statements.Contains("First", StringComparison.Ordinal) ? "First" : statements.Contains("Find", StringComparison.Ordinal) ? "Find" : "ToList";
            test.ExpectedDiagnostics.Add(Diagnostic(0, name, name + "Async"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    [Fact]
    public async Task Fix_awaits_the_Async_form_with_the_token_parameter()
    {
        var source = InService("""
            var list = {|#0:db.Patients.Where(p => p.Id > id).ToList()|};
            var first = {|#1:db.Patients.FirstOrDefault(p => p.Name == name)|};
            var count = {|#2:db.Patients.Count()|} + 1;
            var names = {|#3:db.Patients.ToList()|}.Select(p => p.Name).ToList();
            {|#4:db.SaveChanges()|};
            """);
        var fixedSource = InService("""
            var list = await db.Patients.Where(p => p.Id > id).ToListAsync(ct);
            var first = await db.Patients.FirstOrDefaultAsync(p => p.Name == name, ct);
            var count = await db.Patients.CountAsync(ct) + 1;
            var names = (await db.Patients.ToListAsync(ct)).Select(p => p.Name).ToList();
            await db.SaveChangesAsync(ct);
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diagnostic(0, "ToList", "ToListAsync"),
            Diagnostic(1, "FirstOrDefault", "FirstOrDefaultAsync"),
            Diagnostic(2, "Count", "CountAsync"),
            Diagnostic(3, "ToList", "ToListAsync"),
            Diagnostic(4, "SaveChanges", "SaveChangesAsync"));
    }

    [Fact]
    public async Task Fix_wraps_Find_keys_and_handles_nested_calls()
    {
        var source = InService("""
            var found = {|#0:db.Patients.Find(id)|};
            var byTwo = {|#1:db.Find<Appointment>(id, {|#2:db.Patients.Count()|})|};
            """);
        var fixedSource = InService("""
            var found = await db.Patients.FindAsync(new object[] { id }, ct);
            var byTwo = await db.FindAsync<Appointment>(new object[] { id, await db.Patients.CountAsync(ct) }, ct);
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diagnostic(0, "Find", "FindAsync"),
            Diagnostic(1, "Find", "FindAsync"),
            Diagnostic(2, "Count", "CountAsync"));
    }

    [Fact]
    public async Task Fix_uses_RequestAborted_or_no_token()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("count")]
                public async Task<int> Count()
                {
                    await Task.Yield();
                    return {|#0:_db.Patients.Count()|};
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients/{id}", async (int id, AppDb db, HttpContext http) => Results.Ok({|#1:db.Patients.Find(id)|}));
                    app.MapGet("/patients", async (AppDb db) => Results.Ok({|#2:db.Patients.OrderBy(p => p.Id).Take(10).ToList()|}));
                    app.MapDelete("/patients", async (AppDb db) => {|#3:db.Database.ExecuteSqlRaw("DELETE FROM Patients WHERE Id > {0}", 10)|});
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("count")]
                public async Task<int> Count()
                {
                    await Task.Yield();
                    return await _db.Patients.CountAsync(HttpContext.RequestAborted);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients/{id}", async (int id, AppDb db, HttpContext http) => Results.Ok(await db.Patients.FindAsync(new object[] { id }, http.RequestAborted)));
                    app.MapGet("/patients", async (AppDb db) => Results.Ok(await db.Patients.OrderBy(p => p.Id).Take(10).ToListAsync()));
                    app.MapDelete("/patients", async (AppDb db) => await db.Database.ExecuteSqlRawAsync("DELETE FROM Patients WHERE Id > {0}", 10));
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diagnostic(0, "Count", "CountAsync"),
            Diagnostic(1, "Find", "FindAsync", "lambda"),
            Diagnostic(2, "ToList", "ToListAsync", "lambda"),
            Diagnostic(3, "ExecuteSqlRaw", "ExecuteSqlRawAsync", "lambda"));
    }

    [Fact]
    public async Task Fix_picks_the_nearest_token_and_names_it_after_named_arguments()
    {
        var source = InService("""
            await Parallel.ForEachAsync(patients, ct, async (p, token) =>
            {
                var count = {|#0:db.Patients.Count(predicate: x => x.DoctorId == p.DoctorId)|};
            });
            """);
        var fixedSource = InService("""
            await Parallel.ForEachAsync(patients, ct, async (p, token) =>
            {
                var count = await db.Patients.CountAsync(predicate: x => x.DoctorId == p.DoctorId, cancellationToken: token);
            });
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Count", "CountAsync", "lambda"));
    }
}
