using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.MaterializedBeforeFilteringAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.MaterializedBeforeFilteringAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.MaterializedBeforeFilteringCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3004_MaterializedBeforeFilteringTests
{
    /// <summary>Wraps statements in a service method with a context, a list, a token and a few values at hand.</summary>
    private static string InService(string statements, string members = "") => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, string name, List<int> ids, List<Patient> patients, IQueryable<Patient> source, CancellationToken ct)
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

    private static DiagnosticResult Diagnostic(int location, string op, string materializer) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(op, materializer).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    // ---------------------------------------------------------------- same chain

    [Theory]
    [InlineData("Where(p => p.Name != \"\")")]
    [InlineData("Where(p => p.DoctorId == id && p.Name.StartsWith(name))")]
    [InlineData("OrderBy(p => p.Name)")]
    [InlineData("OrderByDescending(p => p.Id)")]
    [InlineData("Skip(10)")]
    [InlineData("Take(20)")]
    [InlineData("Select(p => p.Name)")]
    [InlineData("Select(p => new { p.Id, p.Name, Doctor = p.Doctor!.Name })")]
    [InlineData("First()")]
    [InlineData("FirstOrDefault(p => p.Id == id)")]
    [InlineData("Single(p => p.Email == name)")]
    [InlineData("SingleOrDefault(p => p.Email == name.ToLower())")]
    [InlineData("Count()")]
    [InlineData("Count(p => p.Appointments.Count > 2)")]
    [InlineData("LongCount()")]
    [InlineData("Any(p => ids.Contains(p.Id))")]
    [InlineData("Any(p => p.Appointments.Any(a => a.StartsAt > DateTime.UtcNow.AddDays(-7)))")]
    public async Task Flags_each_operator_after_ToList(string op) => await VerifyAsync($$"""
        var result = db.Patients.ToList().{|#0:{{op}}|};
        """, expected: Diagnostic(0, op.Substring(0, op.IndexOf('(')), "ToList"));

    [Theory]
    [InlineData("ToList")]
    [InlineData("ToArray")]
    [InlineData("AsEnumerable")]
    public async Task Flags_each_sync_materializer(string materializer) => await VerifyAsync($$"""
        var result = db.Patients.Where(p => p.DoctorId == id).{{materializer}}().{|#0:Where(p => p.Name == name)|}.ToList();
        """, expected: Diagnostic(0, "Where", materializer));

    [Theory]
    [InlineData("ToListAsync")]
    [InlineData("ToArrayAsync")]
    public async Task Flags_awaited_async_materializers(string materializer) => await VerifyAsync($$"""
        var result = (await db.Patients.AsNoTracking().{{materializer}}(ct)).{|#0:OrderBy(p => p.Name)|}.ToList();
        var configured = (await db.Patients.{{materializer}}(ct).ConfigureAwait(false)).{|#1:Where(p => p.Id > id)|};
        """, expected: new[] { Diagnostic(0, "OrderBy", materializer), Diagnostic(1, "Where", materializer) });

    [Fact]
    public async Task Flags_AsAsyncEnumerable_followed_by_an_async_stream_operator() => await VerifyAsync("""
        await foreach (var p in db.Patients.AsAsyncEnumerable().{|#0:Where(p => p.DoctorId == id)|})
        {
            Console.WriteLine(p.Name);
        }
        """, expected: Diagnostic(0, "Where", "AsAsyncEnumerable"));

    [Fact]
    public async Task Flags_a_query_from_Set_a_repository_and_a_local_query() => await VerifyAsync("""
        var fromSet = db.Set<Appointment>().ToList().{|#0:Where(a => a.PatientId == id)|};
        var fromRepository = Query().ToList().{|#1:Count(p => p.DoctorId == id)|};
        var query = db.Patients.Where(p => p.DoctorId == id);
        query = query.OrderBy(p => p.Name);
        var fromLocal = (await query.ToListAsync(ct)).{|#2:Skip(20)|}.{|#3:Take(10)|};
        """, """
            private IQueryable<Patient> Query() => db.Patients.AsNoTracking();
        """,
        Diagnostic(0, "Where", "ToList"), Diagnostic(1, "Count", "ToList"), Diagnostic(2, "Skip", "ToListAsync"));

    // ---------------------------------------------------------------- through a local

    [Fact]
    public async Task Flags_a_local_used_only_by_the_in_memory_operators()
    {
        const string source = """
            using Clinic;

            public class PatientQueries
            {
                private readonly AppDb _db;
                public PatientQueries(AppDb db) => _db = db;

                public async Task<List<PatientDto>> ForDoctorAsync(int doctorId, CancellationToken ct)
                {
                    var patients = await _db.Patients.AsNoTracking().ToListAsync(ct);
                    return patients
                        .{|#0:Where(p => p.DoctorId == doctorId)|}
                        .OrderBy(p => p.Name)
                        .Select(p => new PatientDto(p.Id, p.Name))
                        .ToList();
                }

                public bool HasAny(int doctorId)
                {
                    var all = _db.Patients.ToArray();
                    var found = all.{|#1:Any(p => p.DoctorId == doctorId)|};
                    return found;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "Where", "ToListAsync"), Diagnostic(1, "Any", "ToArray"));
    }

    [Fact]
    public async Task Flags_in_controller_action_and_minimal_api()
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
                public async Task<ActionResult<List<PatientDto>>> Search(string term, CancellationToken ct)
                {
                    var all = await _db.Patients.ToListAsync(ct);
                    return all.{|#0:Where(p => p.Name.Contains(term))|}.Select(p => new PatientDto(p.Id, p.Name)).ToList();
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/doctors/{id}/patients/count", async (int id, AppDb db, CancellationToken ct) =>
                        Results.Ok((await db.Patients.ToListAsync(ct)).{|#1:Count(p => p.DoctorId == id)|}));
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "Where", "ToListAsync"), Diagnostic(1, "Count", "ToListAsync"));
    }

    // ---------------------------------------------------------------- operators EF Core cannot translate

    [Theory]
    [InlineData("Where(p => IsActive(p))")]
    [InlineData("Where(p => Helpers.Matches(p.Name, name))")]
    [InlineData("Where(p => p.Name == Normalize(name))")]
    [InlineData("Where(p => Local(p.Name))")]
    [InlineData("Where(p => string.Format(\"{0}-{1}\", p.Id, p.Name) == name)")]
    [InlineData("Where(p => $\"{p.Id}-{p.Name}\" == name)")]
    [InlineData("Where(p => System.Text.RegularExpressions.Regex.IsMatch(p.Email, name))")]
    [InlineData("Where(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase))")]
    [InlineData("Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))")]
    [InlineData("Where(p => p.Id.ToString() == name)")]
    [InlineData("Where(p => p.Name is \"a\" or \"b\")")]
    [InlineData("Where(p => (p.Id switch { 1 => \"a\", _ => \"b\" }) == name)")]
    [InlineData("Where(p => { return p.Id > id; })")]
    [InlineData("Where((p, index) => index > 2)")]
    [InlineData("Where(Filter)")]
    [InlineData("Where(p => p.DisplayName == name)")]
    [InlineData("Where(p => p.Hidden == name)")]
    [InlineData("OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)")]
    [InlineData("Select(p => Map(p))")]
    [InlineData("Select(p => p.Name.PadLeft(10))")]
    [InlineData("Select((p, i) => p.Name + i)")]
    [InlineData("Distinct()")]
    [InlineData("Reverse()")]
    [InlineData("FirstOrDefault(new Patient())")]
    [InlineData("Take(1..3)")]
    public async Task Leaves_operators_EF_cannot_translate_alone(string op)
    {
        var source = $$"""
            using System.ComponentModel.DataAnnotations.Schema;
            using Clinic;

            public class Extended
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
                public string DisplayName => Name.ToUpperInvariant();
                [NotMapped]
                public string Hidden { get; set; } = "";
            }

            public class ExtendedDb : DbContext
            {
                public DbSet<Extended> Items => Set<Extended>();
            }

            public static class Helpers
            {
                public static bool Matches(string a, string b) => a == b;
            }

            public class Service
            {
                public object Run(ExtendedDb db, string name, int id)
                {
                    return db.Items.ToList().{{op.Replace("new Patient()", "new Extended()")}};

                    bool Local(string value) => value.Length > 2;
                }

                private static bool IsActive(Extended e) => e.Id > 0;
                private static string Normalize(string value) => value.Trim();
                private static bool Filter(Extended e) => e.Id > 0;
                private static string Map(Extended e) => e.Name;
            }
            """;
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(source);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Leaves_null_conditional_navigation_alone() => await VerifyAsync("""
        var byDoctor = db.Patients.ToList().Where(p => p.Doctor?.Name == name).ToList();
        """);

    [Fact]
    public async Task Leaves_in_memory_operators_after_a_projection_EF_cannot_compose_alone() => await VerifyAsync("""
        var dtos = db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToList().Where(d => d.Id > id).ToList();
        var mapped = db.Patients.Select(p => Map(p)).ToList().Where(d => d.Id > id).ToList();
        var groups = db.Patients.GroupBy(p => p.DoctorId).ToList().Where(g => g.Count() > 2).ToList();
        var raw = db.Patients.FromSqlRaw("EXEC dbo.ActivePatients").ToList().Where(p => p.Id > id).ToList();
        """, """
            private static PatientDto Map(Patient p) => new(p.Id, p.Name);
        """);

    [Fact]
    public async Task Leaves_locals_used_elsewhere_or_in_a_loop_alone() => await VerifyAsync("""
        var all = await db.Patients.ToListAsync(ct);
        var adults = all.Where(p => p.Id > 10).ToList();
        Console.WriteLine(all.Count);

        var everyone = db.Patients.ToList();
        foreach (var patientId in ids)
        {
            var match = everyone.FirstOrDefault(p => p.Id == patientId);
        }

        var cached = db.Doctors.ToList();
        Func<int, Doctor?> lookup = doctorId => cached.FirstOrDefault(d => d.DoctorId == doctorId);

        var reassigned = db.Patients.ToList();
        reassigned = reassigned.Where(p => p.Id > 1).ToList();
        """);

    [Fact]
    public async Task Leaves_in_memory_sources_and_queries_not_known_to_be_EF_alone() => await VerifyAsync("""
        var fromList = patients.ToList().Where(p => p.Id > id).ToList();
        var fromAsQueryable = patients.AsQueryable().ToList().Where(p => p.Id > id).ToList();
        var fromParameter = source.ToList().Where(p => p.Id > id).ToList();
        var materializedTwice = db.Patients.AsEnumerable().Where(p => Local(p)).ToList().Where(p => p.Id > id).ToList();
        var count = db.Patients.ToList().Count;
        var dictionary = db.Patients.ToDictionary(p => p.Id).Where(pair => pair.Key > id).ToList();
        var query = db.Patients.Where(p => p.Id > id).OrderBy(p => p.Name).Skip(10).Take(10).ToList();

        bool Local(Patient p) => p.Name.Length > 3;
        """);

    [Fact]
    public async Task Leaves_ordering_on_values_SQLite_cannot_order_alone_when_the_app_uses_SQLite()
    {
        const string source = """
            public class Invoice
            {
                public int Id { get; set; }
                public decimal Total { get; set; }
                public DateTimeOffset IssuedAt { get; set; }
                public string Number { get; set; } = "";
            }

            public class Billing : DbContext
            {
                public DbSet<Invoice> Invoices => Set<Invoice>();
                protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite("Data Source=billing.db");
            }

            public class Reports
            {
                public object Run(Billing db, decimal limit)
                {
                    var byTotal = db.Invoices.ToList().OrderByDescending(i => i.Total).ToList();
                    var large = db.Invoices.ToList().Where(i => i.Total > limit).ToList();
                    var recent = db.Invoices.ToList().Where(i => i.IssuedAt > DateTimeOffset.UtcNow.AddDays(-1)).ToList();
                    var numbered = db.Invoices.ToList().{|#0:Where(i => i.Number != "")|}.ToList();
                    return (byTotal, large, recent, numbered);
                }
            }
            """;
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(("/0/Sqlite.cs", SqliteStub));
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Diagnostic(0, "Where", "ToList"));
        await test.RunAsync();
    }

    /// <summary>The test references have no SQLite provider: a stand-in with its namespace and name.</summary>
    private const string SqliteStub = """
        namespace Microsoft.EntityFrameworkCore
        {
            public static class SqliteDbContextOptionsBuilderExtensions
            {
                public static DbContextOptionsBuilder UseSqlite(this DbContextOptionsBuilder builder, string connectionString) => builder;
            }
        }
        """;

    [Fact]
    public async Task Flags_ordering_on_decimals_without_SQLite() => await VerifyCS.AnalyzerAsync("""
        public class Invoice
        {
            public int Id { get; set; }
            public decimal Total { get; set; }
        }

        public class Billing : DbContext
        {
            public DbSet<Invoice> Invoices => Set<Invoice>();
        }

        public class Reports
        {
            public object Run(Billing db) => db.Invoices.ToList().{|#0:OrderByDescending(i => i.Total)|}.ToList();
        }
        """, Diagnostic(0, "OrderByDescending", "ToList"));

    [Fact]
    public async Task Leaves_a_random_shuffle_alone() => await VerifyAsync("""
        var random = new Random();
        var covers = db.Patients.Select(p => p.Name).ToList();
        var four = covers.OrderBy(_ => random.Next()).Take(4).ToList();
        var shuffled = db.Patients.ToList().OrderBy(p => Guid.NewGuid()).ToList();
        """);

    [Fact]
    public async Task Flags_a_filter_whose_value_is_computed_once() => await VerifyAsync("""
        var cutoff = DateTime.UtcNow;
        var recent = db.Patients.ToList().{|#0:Where(p => p.Id > cutoff.AddDays(-1).Day)|}.ToList();
        """, "", Diagnostic(0, "Where", "ToList"));

    [Fact]
    public async Task Leaves_ordering_that_would_be_split_from_its_ThenBy_alone() => await VerifyAsync("""
        var ordered = db.Patients.ToList().OrderBy(p => p.Name).ThenBy(p => Rank(p)).ToList();
        """, """
            private static int Rank(Patient p) => p.Id % 3;
        """);

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public List<int> Run(List<int> ids) => ids.AsQueryable().ToList().Where(i => i > 2).ToList();
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- half-typed code

    [Theory]
    [InlineData("var r = db.Patients.ToList().Where(p => p.Missing == 1);")]
    [InlineData("var r = db.Patients.ToList().Where(p => p.Id == );")]
    [InlineData("var r = db.Patients.ToList().Where();")]
    [InlineData("var r = db.Missing.ToList().Where(p => p.Id > 1);")]
    [InlineData("var r = (await db.Patients.ToListAsync(ct)).{|#0:Where(p => p.Id > 1)|}")]
    [InlineData("var all = db.Patients.ToList(); var r = all.Where(x => x.);")]
    [InlineData("var r = db.Patients.ToList().Where(p => Unknown(p));")]
    [InlineData("var r = db.Patients.ToList(.Where(p => p.Id > 1);")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        if (statements.Contains("{|#0:", StringComparison.Ordinal))
        {
            test.ExpectedDiagnostics.Add(Diagnostic(0, "Where", statements.Contains("ToListAsync", StringComparison.Ordinal) ? "ToListAsync" : "ToList"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    private static string InFixService(string body) => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

        {{body}}
        }
        """;

    [Fact]
    public async Task Fix_moves_Where_before_an_awaited_ToListAsync()
    {
        var source = InFixService("""
                public async Task<List<Patient>> ForDoctorAsync(int doctorId, CancellationToken ct)
                {
                    var list = (await db.Patients.ToListAsync(ct)).{|#0:Where(p => p.DoctorId == doctorId)|}.ToList();
                    return list;
                }
            """);
        var fixedSource = InFixService("""
                public async Task<List<Patient>> ForDoctorAsync(int doctorId, CancellationToken ct)
                {
                    var list = (await db.Patients.Where(p => p.DoctorId == doctorId).ToListAsync(ct)).ToList();
                    return list;
                }
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Where", "ToListAsync"));
    }

    [Fact]
    public async Task Fix_keeps_a_chain_written_one_operator_per_line()
    {
        var source = InFixService("""
                public async Task<List<PatientDto>> SearchAsync(string term, CancellationToken ct)
                {
                    return (await db.Patients
                            .AsNoTracking()
                            .ToListAsync(ct))
                        .{|#0:Where(p => p.Name.Contains(term))|}
                        .OrderBy(p => p.Name)
                        .ThenBy(p => p.Id)
                        .Select(p => new PatientDto(p.Id, p.Name))
                        .ToList();
                }
            """);
        var fixedSource = InFixService("""
                public async Task<List<PatientDto>> SearchAsync(string term, CancellationToken ct)
                {
                    return (await db.Patients
                            .AsNoTracking()
                        .Where(p => p.Name.Contains(term))
                        .OrderBy(p => p.Name)
                        .ThenBy(p => p.Id)
                        .Select(p => new PatientDto(p.Id, p.Name))
                            .ToListAsync(ct))
                        .ToList();
                }
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Where", "ToListAsync"));
    }

    [Fact]
    public async Task Fix_replaces_sync_materializer_with_the_terminal_operator()
    {
        var source = InFixService("""
                public Patient? Find(string email) => db.Patients.ToList().{|#0:FirstOrDefault(p => p.Email == email)|};

                public int Count(int doctorId) => db.Patients.AsEnumerable().{|#1:Where(p => p.DoctorId == doctorId)|}.Count();
            """);
        var fixedSource = InFixService("""
                public Patient? Find(string email) => db.Patients.FirstOrDefault(p => p.Email == email);

                public int Count(int doctorId) => db.Patients.Where(p => p.DoctorId == doctorId).Count();
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "FirstOrDefault", "ToList"), Diagnostic(1, "Where", "AsEnumerable"));
    }

    [Fact]
    public async Task Fix_turns_a_terminal_operator_after_ToListAsync_into_its_Async_form()
    {
        var source = InFixService("""
                public async Task<bool> HasPatientsAsync(int doctorId, CancellationToken ct) =>
                    (await db.Patients.ToListAsync(ct)).{|#0:Any(p => p.DoctorId == doctorId)|};

                public async Task<int> CountAsync(int doctorId, CancellationToken ct)
                {
                    var count = (await db.Patients.ToListAsync(cancellationToken: ct)).{|#1:Where(p => p.DoctorId == doctorId)|}.Count();
                    return count;
                }

                public async Task<Patient> FirstAsync() => (await db.Patients.OrderBy(p => p.Id).ToArrayAsync().ConfigureAwait(false)).{|#2:First()|};
            """);
        var fixedSource = InFixService("""
                public async Task<bool> HasPatientsAsync(int doctorId, CancellationToken ct) =>
                    await db.Patients.AnyAsync(p => p.DoctorId == doctorId, ct);

                public async Task<int> CountAsync(int doctorId, CancellationToken ct)
                {
                    var count = await db.Patients.Where(p => p.DoctorId == doctorId).CountAsync(cancellationToken: ct);
                    return count;
                }

                public async Task<Patient> FirstAsync() => await db.Patients.OrderBy(p => p.Id).FirstAsync().ConfigureAwait(false);
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diagnostic(0, "Any", "ToListAsync"), Diagnostic(1, "Where", "ToListAsync"), Diagnostic(2, "First", "ToArrayAsync"));
    }

    [Fact]
    public async Task Fix_moves_operators_into_the_local_that_loads_the_rows()
    {
        var source = InFixService("""
                public async Task<List<PatientDto>> ForDoctorAsync(int doctorId, CancellationToken ct)
                {
                    var patients = await db.Patients.AsNoTracking().ToListAsync(ct);
                    return patients.{|#0:Where(p => p.DoctorId == doctorId)|}.Select(p => new PatientDto(p.Id, p.Name)).ToList();
                }

                public List<Patient> Page(int skip)
                {
                    List<Patient> all = db.Patients.OrderBy(p => p.Id).ToList();
                    var page = all.{|#1:Skip(skip)|}.Take(20).ToList();
                    return page;
                }
            """);
        var fixedSource = InFixService("""
                public async Task<List<PatientDto>> ForDoctorAsync(int doctorId, CancellationToken ct)
                {
                    var patients = await db.Patients.AsNoTracking().Where(p => p.DoctorId == doctorId).Select(p => new PatientDto(p.Id, p.Name)).ToListAsync(ct);
                    return patients.ToList();
                }

                public List<Patient> Page(int skip)
                {
                    List<Patient> all = db.Patients.OrderBy(p => p.Id).Skip(skip).Take(20).ToList();
                    var page = all.ToList();
                    return page;
                }
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Where", "ToListAsync"), Diagnostic(1, "Skip", "ToList"));
    }

    [Fact]
    public async Task No_fix_where_the_rewrite_would_change_a_declared_type_or_the_local()
    {
        var source = InFixService("""
                public List<string> Names(int doctorId)
                {
                    List<Patient> all = db.Patients.ToList();
                    return all.{|#0:Select(p => p.Name)|}.ToList();
                }

                public bool Any(int doctorId)
                {
                    var all = db.Patients.ToList();
                    return all.{|#1:Any(p => p.DoctorId == doctorId)|};
                }
            """);
        await VerifyFix.CodeFixAsync(source, source, Diagnostic(0, "Select", "ToList"), Diagnostic(1, "Any", "ToList"));
    }

    [Fact]
    public async Task Fix_moves_Where_before_AsAsyncEnumerable()
    {
        var source = InFixService("""
                public IAsyncEnumerable<Patient> Stream(int doctorId) => db.Patients.AsAsyncEnumerable().{|#0:Where(p => p.DoctorId == doctorId)|};
            """);
        var fixedSource = InFixService("""
                public IAsyncEnumerable<Patient> Stream(int doctorId) => db.Patients.Where(p => p.DoctorId == doctorId).AsAsyncEnumerable();
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Where", "AsAsyncEnumerable"));
    }
}
