using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Pagination.UnboundedClientPageSizeAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Pagination.UnboundedClientPageSizeAnalyzer, BackendAnalyzers.CodeFixes.Pagination.UnboundedClientPageSizeCodeFix>;

namespace BackendAnalyzers.Tests.Pagination;

public class BA4002_UnboundedClientPageSizeTests
{
    private static DiagnosticResult Expected(int location, string text) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(text);

    [Fact]
    public async Task Flags_page_sizes_from_parameters_and_query_models()
    {
        const string source = """
            using Clinic;

            public record PageQuery(int Page, int Size);
            public class SearchQuery { public int Take { get; set; } }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public Task<List<Patient>> List(int pageSize) => _db.Patients.OrderBy(p => p.Id).Take({|#0:pageSize|}).ToListAsync();

                [HttpGet("search")]
                public Task<List<Patient>> Search([FromQuery] SearchQuery query) => _db.Patients.OrderBy(p => p.Id).Take({|#1:query.Take|}).ToListAsync();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var group = app.MapGroup("/api");
                    group.MapGet("/doctors", (AppDb db, int page, int size) =>
                        db.Doctors.OrderBy(d => d.DoctorId).Skip(page * size).Take({|#2:size|}).ToListAsync());
                    group.MapGet("/appointments", (AppDb db, [AsParameters] PageQuery paging) =>
                        db.Appointments.OrderBy(a => a.Id).Take({|#3:paging.Size|}).ToListAsync());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "pageSize"), Expected(1, "query.Take"), Expected(2, "size"), Expected(3, "paging.Size"));
    }

    [Fact]
    public async Task Leaves_bounded_page_sizes_alone()
    {
        const string source = """
            using System.ComponentModel.DataAnnotations;
            using Clinic;

            public class RangedQuery { [Range(1, 100)] public int Take { get; set; } }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("a")] public Task<List<Patient>> Clamped(int pageSize) => _db.Patients.OrderBy(p => p.Id).Take(Math.Clamp(pageSize, 1, 100)).ToListAsync();
                [HttpGet("b")] public Task<List<Patient>> Min(int pageSize) => _db.Patients.OrderBy(p => p.Id).Take(Math.Min(pageSize, 100)).ToListAsync();

                [HttpGet("c")]
                public async Task<ActionResult<List<Patient>>> Guarded(int pageSize)
                {
                    if (pageSize > 100) return BadRequest();
                    return await _db.Patients.OrderBy(p => p.Id).Take(pageSize).ToListAsync();
                }

                [HttpGet("d")]
                public Task<List<Patient>> Reassigned(int pageSize)
                {
                    pageSize = Math.Clamp(pageSize, 1, 50);
                    return _db.Patients.OrderBy(p => p.Id).Take(pageSize).ToListAsync();
                }

                [HttpGet("e")] public Task<List<Patient>> Ranged([Range(1, 100)] int pageSize) => _db.Patients.OrderBy(p => p.Id).Take(pageSize).ToListAsync();
                [HttpGet("f")] public Task<List<Patient>> RangedModel([FromQuery] RangedQuery q) => _db.Patients.OrderBy(p => p.Id).Take(q.Take).ToListAsync();
                [HttpGet("g")] public Task<List<Patient>> Constant() => _db.Patients.OrderBy(p => p.Id).Take(20).ToListAsync();
                [HttpGet("h")] public List<int> InMemory(int n) => new List<int> { 1, 2, 3 }.Take(n).ToList();
            }

            public class PatientService
            {
                private readonly AppDb _db;
                public PatientService(AppDb db) => _db = db;
                public Task<List<Patient>> Top(int count) => _db.Patients.OrderBy(p => p.Id).Take(count).ToListAsync(); // not an endpoint
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Range_on_a_minimal_api_parameter_counts_only_with_AddValidation()
    {
        const string withoutValidation = """
            using System.ComponentModel.DataAnnotations;
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/doctors", (AppDb db, [Range(1, 100)] int size) => db.Doctors.OrderBy(d => d.DoctorId).Take({|#0:size|}).ToListAsync());
            }
            """;
        await VerifyCS.AnalyzerAsync(withoutValidation, Expected(0, "size"));

        const string withValidation = """
            using System.ComponentModel.DataAnnotations;
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/doctors", (AppDb db, [Range(1, 100)] int size) => db.Doctors.OrderBy(d => d.DoctorId).Take(size).ToListAsync());

                public static void Configure(IServiceCollection services) => services.AddValidation();
            }
            """;
        await VerifyCS.AnalyzerAsync(withValidation);
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                using Clinic;

                public static class Endpoints
                {
                    public static void Map(WebApplication app)
                    {
                        app.MapGet("/a", (AppDb db, int size) => db.Doctors.Take({|#0:size|}).ToListAsync(
                        app.MapGet("/b", (AppDb db, Unknown q) => db.Doctors.Take(q.Size).ToList());
                        app.MapGet("/c", (AppDb db, int size) => db.Doctors.Take().ToList());
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        // The call left open does not hide the unbounded page size in it.
        test.ExpectedDiagnostics.Add(Expected(0, "size"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_clamps_every_page_size()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors", (AppDb db, int size) => db.Doctors.OrderBy(d => d.DoctorId).Take({|#0:size|}).ToListAsync());
                    app.MapGet("/patients", (AppDb db, int take) => db.Patients.OrderBy(p => p.Id).Take({|#1:take|}).ToListAsync());
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors", (AppDb db, int size) => db.Doctors.OrderBy(d => d.DoctorId).Take(Math.Clamp(size, 1, 25)).ToListAsync());
                    app.MapGet("/patients", (AppDb db, int take) => db.Patients.OrderBy(p => p.Id).Take(Math.Clamp(take, 1, 25)).ToListAsync());
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, "backend_analyzers.max_page_size = 25", Expected(0, "size"), Expected(1, "take"));
    }
}
