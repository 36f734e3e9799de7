using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.CollectionIncludesWithoutSplitQueryAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.CollectionIncludesWithoutSplitQueryAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.CollectionIncludesWithoutSplitQueryCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3006_CollectionIncludesWithoutSplitQueryTests
{
    private const string Hospital = """

        namespace Hospital
        {
            public class Ward
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
                public List<Nurse> Nurses { get; set; } = new();
                public ICollection<Bed> Beds { get; set; } = new List<Bed>();
                public Clinic.Doctor? Head { get; set; }
            }

            public class Nurse
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
            }

            public class Bed
            {
                public int Id { get; set; }
                public int WardId { get; set; }
            }

            public class HospitalDb : DbContext
            {
                public DbSet<Ward> Wards => Set<Ward>();
                public DbSet<Nurse> Nurses => Set<Nurse>();
                public DbSet<Bed> Beds => Set<Bed>();
            }
        }
        """;

    private static DiagnosticResult Diagnostic(int location, int count, string paths) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(count, paths).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string InService(string members) => $$"""
        using Clinic;
        using Hospital;

        public class WardService
        {
            private readonly AppDb db;
            private readonly HospitalDb hospital;
            public WardService(AppDb db, HospitalDb hospital) { this.db = db; this.hospital = hospital; }

        {{members}}
        }
        """ + Hospital;

    // ---------------------------------------------------------------- flags

    [Fact]
    public async Task Flags_queries_with_two_collection_includes() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task<object> RunAsync(int id, CancellationToken ct)
            {
                var a = await hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).{|#0:ToListAsync(ct)|};
                var b = await db.Doctors.Include(d => d.Patients).ThenInclude(p => p.Appointments).{|#1:FirstOrDefaultAsync(d => d.DoctorId == id, ct)|};
                var c = db.Doctors.Include("Patients.Appointments").{|#2:ToList()|};
                var d = hospital.Wards
                    .Include(w => w.Nurses.Where(n => n.Name != "").OrderBy(n => n.Name).Take(5))
                    .Include(w => w.Head)
                    .Include(w => w.Beds)
                    .Where(w => w.Id == id)
                    .{|#3:Single()|};
                return new object?[] { a, b, c, d };
            }
        """),
        Diagnostic(0, 2, "Nurses, Beds"),
        Diagnostic(1, 2, "Patients, Patients.Appointments"),
        Diagnostic(2, 2, "Patients, Patients.Appointments"),
        Diagnostic(3, 2, "Nurses, Beds"));

    [Fact]
    public async Task Flags_queries_built_across_locals_a_repository_and_an_endpoint() => await VerifyCS.AnalyzerAsync(new[]
    {
        """
        using Hospital;

        public class WardRepository
        {
            private readonly HospitalDb _db;
            public WardRepository(HospitalDb db) => _db = db;
            public IQueryable<Ward> WithStaff() => _db.Wards.Include(w => w.Nurses).Include(w => w.Beds);
        }

        [ApiController]
        [Route("wards")]
        public class WardsController : ControllerBase
        {
            private readonly WardRepository _repository;
            private readonly HospitalDb _db;
            public WardsController(WardRepository repository, HospitalDb db) { _repository = repository; _db = db; }

            [HttpGet]
            public async Task<List<Ward>> List(CancellationToken ct) => await _repository.WithStaff().Where(w => w.Name != "").{|#0:ToListAsync(ct)|};

            [HttpGet("{id}")]
            public Ward? Get(int id, bool withBeds)
            {
                var query = _db.Wards.Include(w => w.Nurses);
                IQueryable<Ward> filtered = query.Where(w => w.Id == id);
                filtered = filtered.Include(w => w.Beds);
                return filtered.{|#1:FirstOrDefault()|};
            }
        }

        public static class WardEndpoints
        {
            public static void Map(WebApplication app) =>
                app.MapGet("/wards/all", (HospitalDb db) => db.Wards.Include(w => w.Beds).Include(w => w.Nurses).{|#2:ToArray()|});
        }
        """ + Hospital,
    },
    Diagnostic(0, 2, "Nurses, Beds"), Diagnostic(1, 2, "Nurses, Beds"), Diagnostic(2, 2, "Beds, Nurses"));

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_one_collection_and_reference_includes_alone_but_counts_collections_behind_references() => await VerifyCS.AnalyzerAsync(InService("""
            public object Run()
            {
                var a = db.Patients.Include(p => p.Doctor).Include(p => p.Appointments).ToList();
                var b = db.Appointments.Include(a => a.Patient).ThenInclude(p => p!.Doctor).ToList();
                var c = db.Patients.Include(p => p.Appointments).Include(p => p.Appointments).ToList();
                var d = hospital.Wards.Include(w => w.Nurses).Include(w => w.Head).ThenInclude(h => h!.Patients).{|#0:ToList()|};
                return new object[] { a, b, c, d };
            }
        """), Diagnostic(0, 2, "Nurses, Head.Patients"));

    [Fact]
    public async Task Leaves_queries_that_state_splitting_or_project_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task<object> RunAsync(CancellationToken ct)
            {
                var a = await hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).AsSplitQuery().ToListAsync(ct);
                var b = await hospital.Wards.AsSingleQuery().Include(w => w.Nurses).Include(w => w.Beds).ToListAsync(ct);
                var c = await hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).Select(w => new { w.Name, Count = w.Beds.Count }).ToListAsync(ct);
                var d = await hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).CountAsync(ct);
                var list = new List<Ward>();
                var e = list.Where(w => w.Nurses.Count > 0).ToList();
                return new object[] { a, b, c, d, e };
            }
        """));

    [Fact]
    public async Task Leaves_a_model_that_splits_queries_by_default_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public object Run() => hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).ToList();
        """) + """

        public class SplitDb : DbContext
        {
            protected override void OnConfiguring(DbContextOptionsBuilder options) =>
                options.UseSqlite("Data Source=app.db", o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
        }
        """);

    [Theory]
    [InlineData("var r = hospital.Wards.Include(w => w.).Include(w => w.Beds).ToList();", false)]
    [InlineData("var r = hospital.Wards.Include(w => w.Nurses).Include(w => w.Beds).{|#0:ToList()|}", true)]
    [InlineData("var r = hospital.Wards.Include(\"Missing.Beds\").Include(w => w.Nurses).ToList();", false)]
    [InlineData("var r = hospital.Wards.Include(w => w.Nurses).Include(Unknown).ToList();", false)]
    public async Task Does_not_throw_on_half_typed_code(string statements, bool flagged)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService($$"""
                public void Run()
                {
                    {{statements}}
                }
            """));
        test.AddDefaults(null);
        if (flagged)
        {
            test.ExpectedDiagnostics.Add(Diagnostic(0, 2, "Nurses, Beds"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    [Fact]
    public async Task Fix_adds_AsSplitQuery_before_the_call_that_runs_each_query() => await VerifyFix.CodeFixAsync(
        InService("""
            public async Task<object> RunAsync(int id, CancellationToken ct)
            {
                var wards = await hospital.Wards
                    .Include(w => w.Nurses)
                    .Include(w => w.Beds)
                    .{|#0:ToListAsync(ct)|};
                var doctor = db.Doctors.Include(d => d.Patients).ThenInclude(p => p.Appointments).{|#1:First(d => d.DoctorId == id)|};
                return new object[] { wards, doctor };
            }
        """),
        InService("""
            public async Task<object> RunAsync(int id, CancellationToken ct)
            {
                var wards = await hospital.Wards
                    .Include(w => w.Nurses)
                    .Include(w => w.Beds)
                    .AsSplitQuery()
                    .ToListAsync(ct);
                var doctor = db.Doctors.Include(d => d.Patients).ThenInclude(p => p.Appointments).AsSplitQuery().First(d => d.DoctorId == id);
                return new object[] { wards, doctor };
            }
        """),
        Diagnostic(0, 2, "Nurses, Beds"), Diagnostic(1, 2, "Patients, Patients.Appointments"));
}
