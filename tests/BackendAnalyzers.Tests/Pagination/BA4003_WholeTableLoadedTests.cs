using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Pagination.WholeTableLoadedAnalyzer>;

namespace BackendAnalyzers.Tests.Pagination;

public class BA4003_WholeTableLoadedTests
{
    private static DiagnosticResult Expected(int location, string method, string entity) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(method, entity);

    [Fact]
    public async Task Flags_whole_tables_materialized_in_services_and_jobs()
    {
        const string source = """
            using Clinic;

            public class ReportJob
            {
                private readonly AppDb _db;
                public ReportJob(AppDb db) => _db = db;

                public async Task RunAsync(CancellationToken ct)
                {
                    var patients = await {|#0:_db.Patients.ToListAsync(ct)|};
                    var doctors = {|#1:_db.Doctors.AsNoTracking().OrderBy(d => d.Name).ToArray()|};
                    var byId = await {|#2:_db.Set<Appointment>().Include(a => a.Patient).ToDictionaryAsync(a => a.Id, ct)|};
                    var names = {|#3:_db.Patients.Select(p => p.Name).ToHashSet()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Expected(0, "ToListAsync", "Patient"), Expected(1, "ToArray", "Doctor"), Expected(2, "ToDictionaryAsync", "Appointment"), Expected(3, "ToHashSet", "Patient"));
    }

    [Fact]
    public async Task Flags_a_query_built_across_locals_without_a_filter()
    {
        const string source = """
            using Clinic;

            public class Export
            {
                public List<Patient> All(AppDb db)
                {
                    var query = db.Patients.AsNoTracking();
                    query = query.OrderBy(p => p.Name);
                    return {|#0:query.ToList()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "ToList", "Patient"));
    }

    [Fact]
    public async Task Leaves_filtered_limited_and_endpoint_queries_alone()
    {
        const string source = """
            using Clinic;

            public static class Paging
            {
                public static IQueryable<T> Page<T>(this IQueryable<T> q, int page) => q.Skip(page * 20).Take(20);
            }

            public class PatientService
            {
                private readonly AppDb _db;
                public PatientService(AppDb db) => _db = db;

                public Task<List<Patient>> ForDoctor(int doctorId) => _db.Patients.Where(p => p.DoctorId == doctorId).ToListAsync();
                public Task<List<Patient>> First50() => _db.Patients.OrderBy(p => p.Id).Take(50).ToListAsync();
                public Task<List<Patient>> Paged(int page) => _db.Patients.OrderBy(p => p.Id).Page(page).ToListAsync();
                public Task<List<int>> Counts() => _db.Patients.GroupBy(p => p.DoctorId).Select(g => g.Count()).ToListAsync();
                public Task<List<Patient>> Raw() => _db.Patients.FromSqlRaw("SELECT * FROM Patients WHERE Id < 10").ToListAsync();
                public List<Patient> InMemory(List<Patient> all) => all.Where(p => p.Id > 0).ToList();
                public List<Patient> AfterLoading() => _db.Patients.Where(p => p.Id > 0).ToList().ToList();
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet] public Task<List<Patient>> All() => _db.Patients.ToListAsync(); // BA4001's business
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/doctors", (AppDb db) => db.Doctors.ToListAsync());
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_small_tables_named_by_option_alone()
    {
        const string source = """
            using Clinic;

            public class Lookups
            {
                public Task<List<Country>> Countries(AppDb db) => db.Countries.ToListAsync();
            }
            """;
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.small_tables = Country");
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                using Clinic;

                public class Broken
                {
                    public void A(AppDb db) { var x = db.Missing.ToList(); var y = db.Patients.
                    public void B(AppDb db) => db.Patients.Where(p => ).ToList();
                    public void C(AppDb db) => {|#0:db.Doctors.ToArray()|}
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "ToArray", "Doctor"));
        await test.RunAsync();
    }
}
