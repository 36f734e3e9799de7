using BackendAnalyzers.CodeFixes.Pagination;
using BackendAnalyzers.Pagination;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Pagination.UnboundedListEndpointAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Pagination.UnboundedListEndpointAnalyzer, BackendAnalyzers.CodeFixes.Pagination.UnboundedListEndpointCodeFix>;

namespace BackendAnalyzers.Tests.Pagination;

public class BA4001_UnboundedListEndpointTests
{
    private static DiagnosticResult Expected(int location, string entity, string where = "") =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(entity, where).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    // ---------------------------------------------------------------- flags

    [Fact]
    public async Task Flags_controller_returning_Ok_of_ToListAsync()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<IActionResult> List(CancellationToken ct) => Ok(await {|#0:_db.Patients.ToListAsync(ct)|});
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Flags_action_result_of_list_returned_directly_and_through_a_local()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpGet]
                public ActionResult<List<Doctor>> All() => {|#0:_db.Doctors.Where(d => d.Name != "").ToList()|};

                [HttpGet("names")]
                public async Task<ActionResult<List<string>>> Names(CancellationToken ct)
                {
                    var query = _db.Doctors.OrderBy(d => d.Name).Select(d => d.Name);
                    var names = await {|#1:query.ToListAsync(ct)|};
                    return names;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Doctor"), Expected(1, "Doctor"));
    }

    [Fact]
    public async Task Flags_minimal_api_in_map_group_with_results_and_typed_results()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var api = app.MapGroup("/api");
                    var patients = api.MapGroup("/patients");
                    patients.MapGet("/", async (AppDb db, CancellationToken ct) => Results.Ok(await {|#0:db.Patients.ToListAsync(ct)|}));
                    patients.MapGet("/typed", async (AppDb db) => TypedResults.Ok(await {|#1:db.Patients.AsNoTracking().Select(p => new PatientDto(p.Id, p.Name)).ToListAsync()|}));
                    app.MapGet("/doctors", (AppDb db) => {|#2:db.Doctors.ToList()|});
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"), Expected(1, "Patient"), Expected(2, "Doctor"));
    }

    [Fact]
    public async Task Flags_unmaterialized_queryable_and_async_enumerable()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/appointments")]
            public class AppointmentsController : ControllerBase
            {
                private readonly AppDb _db;
                public AppointmentsController(AppDb db) => _db = db;

                [HttpGet]
                public IQueryable<Appointment> Query() => {|#0:_db.Appointments.Where(a => a.StartsAt > DateTime.UtcNow)|};

                [HttpGet("stream")]
                public IAsyncEnumerable<Appointment> Stream() => {|#1:_db.Appointments.AsAsyncEnumerable()|};
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Appointment"), Expected(1, "Appointment"));
    }

    [Fact]
    public async Task Flags_method_group_handler_on_the_method_group()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/patients", {|#0:ListPatients|});

                private static async Task<List<Patient>> ListPatients(AppDb db) => await db.Patients.ToListAsync();
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Flags_query_built_in_a_service_behind_a_single_implementation_and_names_it()
    {
        const string source = """
            using Clinic;

            public interface IPatientService { Task<List<PatientDto>> GetAllAsync(CancellationToken ct); }

            public class PatientService : IPatientService
            {
                private readonly AppDb _db;
                public PatientService(AppDb db) => _db = db;
                public Task<List<PatientDto>> GetAllAsync(CancellationToken ct) =>
                    _db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToListAsync(ct);
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly IPatientService _service;
                public PatientsController(IPatientService service) => _service = service;

                [HttpGet]
                public async Task<ActionResult<List<PatientDto>>> List(CancellationToken ct) => Ok(await {|#0:_service.GetAllAsync(ct)|});
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Expected(0, "Patient", " (the query is built in PatientService.GetAllAsync, which is where the Take belongs)"));
    }

    // ---------------------------------------------------------------- leaves alone

    [Fact]
    public async Task Flags_filter_on_a_foreign_key_against_a_captured_value_that_has_an_Id()
    {
        // Found on a real minimal API: owner.Id is the current user's id, not the row's key, so the
        // Where returns every row the user owns.
        const string source = """
            using Clinic;

            public class CurrentUser { public int Id { get; set; } }

            internal static class PatientsApi
            {
                public static RouteGroupBuilder MapPatients(this IEndpointRouteBuilder routes)
                {
                    var group = routes.MapGroup("/patients");
                    group.MapGet("/", async (AppDb db, CurrentUser owner) =>
                    {
                        return await {|#0:db.Patients.Where(p => p.DoctorId == owner.Id).Select(p => new PatientDto(p.Id, p.Name)).AsNoTracking().ToListAsync()|};
                    });
                    group.MapGet("/{id}", async (AppDb db, int id, CurrentUser owner) =>
                        await db.Patients.Where(p => p.Id == id && p.DoctorId == owner.Id).ToListAsync());
                    return group;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Flags_each_unpaged_arm_of_a_conditional_coalesce_or_switch()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<IActionResult> List(bool firstPageOnly) =>
                    firstPageOnly ? Ok(await _db.Patients.OrderBy(p => p.Id).Take(20).ToListAsync()) : Ok(await {|#0:_db.Patients.ToListAsync()|});

                [HttpGet("by-name")]
                public async Task<ActionResult<List<Patient>>> ByName(string? name) =>
                    Ok(name is null ? await {|#1:_db.Patients.ToListAsync()|} : await {|#2:_db.Patients.Where(p => p.Name == name).ToListAsync()|});

                [HttpGet("cached")]
                public async Task<List<Doctor>> Cached(List<Doctor>? cached) => cached ?? await {|#3:_db.Doctors.ToListAsync()|};

                [HttpGet("by-kind/{kind}")]
                public async Task<List<Patient>> ByKind(int kind) => kind switch
                {
                    0 => new List<Patient>(),
                    1 => await _db.Patients.OrderBy(p => p.Id).Take(10).ToListAsync(),
                    _ => await {|#4:_db.Patients.Where(p => p.DoctorId == kind).ToListAsync()|},
                };
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"), Expected(1, "Patient"), Expected(2, "Patient"), Expected(3, "Doctor"), Expected(4, "Patient"));
    }

    [Fact]
    public async Task Flags_query_syntax()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async (AppDb db) => await {|#0:(from p in db.Patients where p.Name != "" select p).ToListAsync()|});
                    app.MapGet("/patients/{id}", async (AppDb db, int id) => await (from p in db.Patients where p.Id == id select p).ToListAsync());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Leaves_lookups_by_a_list_of_keys_alone()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("batch")]
                public Task<List<Patient>> Batch([FromQuery] int[] ids) => _db.Patients.Where(p => ids.Contains(p.Id)).ToListAsync();

                [HttpGet("batch-list")]
                public Task<List<Patient>> BatchList([FromQuery] List<int> ids) => _db.Patients.Where(p => p.Name != "" && ids.Contains(p.Id)).ToListAsync();

                [HttpGet("search")]
                public Task<List<Patient>> Search(string term) => {|#0:_db.Patients.Where(p => p.Name.Contains(term)).ToListAsync()|};

                [HttpGet("kinds")]
                public Task<List<DayOfWeek>> Days() => _db.Appointments.Select(a => a.StartsAt.DayOfWeek).Distinct().ToListAsync();

                [HttpGet("names")]
                public Task<List<string>> Names() => {|#2:_db.Patients.Select(p => p.Name).Distinct().ToListAsync()|};

                [HttpGet("of-doctors")]
                public Task<List<Patient>> OfDoctors([FromQuery] int[] doctorIds) => {|#1:_db.Patients.Where(p => doctorIds.Contains(p.DoctorId)).ToListAsync()|};
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "Patient"), Expected(1, "Patient"), Expected(2, "Patient"));
    }

    [Fact]
    public async Task Leaves_bounded_queries_alone()
    {
        const string source = """
            using Clinic;

            public static class QueryPaging
            {
                public static IQueryable<T> Page<T>(this IQueryable<T> query, int page, int size) => query.Skip((page - 1) * size).Take(size);
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<List<Patient>> Paged(int page = 1, int pageSize = 20) =>
                    await _db.Patients.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();

                [HttpGet("helper")]
                public Task<List<Patient>> Helper(int page) => _db.Patients.OrderBy(p => p.Id).Page(page, 20).ToListAsync();

                [HttpGet("{id}")]
                public Task<Patient?> One(int id) => _db.Patients.FirstOrDefaultAsync(p => p.Id == id);

                [HttpGet("{id}/as-list")]
                public Task<List<Patient>> ByKey(int id) => _db.Patients.Where(p => p.Id == id).ToListAsync();

                [HttpGet("count")]
                public Task<int> Count() => _db.Patients.CountAsync();

                [HttpGet("by-doctor")]
                public Task<List<int>> ByDoctor() => _db.Patients.GroupBy(p => p.DoctorId).Select(g => g.Count()).ToListAsync();

                [HttpPost("import")]
                public async Task<List<Patient>> Import() => await _db.Patients.ToListAsync();

                [HttpGet("memory")]
                public List<string> Memory() => new List<string> { "a", "b" }.Where(s => s.Length > 0).ToList();
            }

            public class ReportService
            {
                private readonly AppDb _db;
                public ReportService(AppDb db) => _db = db;
                public Task<List<Patient>> AllForNightlyReport() => _db.Patients.ToListAsync();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_small_tables_named_by_option_alone()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/countries", (AppDb db) => db.Countries.ToListAsync());
            }
            """;
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.small_tables = Country, Currency");
    }

    [Fact]
    public async Task Leaves_services_that_page_alone()
    {
        const string source = """
            using Clinic;

            public class PatientService
            {
                private readonly AppDb _db;
                public PatientService(AppDb db) => _db = db;
                public Task<List<Patient>> FirstPage() => _db.Patients.OrderBy(p => p.Id).Take(50).ToListAsync();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/patients", (PatientService service) => service.FirstPage());
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                using Clinic;

                [ApiController, Route("api/x")]
                public class XController : ControllerBase
                {
                    private readonly AppDb _db;
                    public XController(AppDb db) => _db = db;

                    [HttpGet]
                    public IActionResult List() => Ok(_db.Patients.Where(p => p.).ToList()
                    [HttpGet("y")]
                    public IActionResult Other() => Ok(_db.Unknown.ToList());
                }

                public static class E { public static void Map(WebApplication app) => app.MapGet("/z", (AppDb db) => {|#0:db.Patients.Select(p => ).ToList()|}; }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        // The broken predicate does not hide the unbounded query around it.
        test.ExpectedDiagnostics.Add(Expected(0, "Patient"));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- fixes

    [Fact]
    public async Task Fix_pages_a_controller_action_with_a_block_body()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<IActionResult> List(CancellationToken ct)
                {
                    var patients = await {|#0:_db.Patients.AsNoTracking().ToListAsync(ct)|};
                    return Ok(patients);
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<IActionResult> List(CancellationToken ct, int page = 1, int pageSize = 50)
                {
                    page = Math.Max(page, 1);
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    var patients = await _db.Patients.AsNoTracking().OrderBy(x => x.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
                    return Ok(patients);
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Fix_orders_by_the_key_before_a_projection_to_dtos()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async (AppDb db) =>
                        await {|#0:db.Patients.Where(p => p.Name != "").Select(p => new { p.Name, p.Email }).ToListAsync()|});
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async (AppDb db, int page = 1, int pageSize = 50) =>
                    {
                        page = Math.Max(page, 1);
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        return await db.Patients.Where(p => p.Name != "").OrderBy(x => x.Id).Select(p => new { p.Name, p.Email }).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "Patient"));
    }

    [Fact]
    public async Task Fix_converts_an_expression_body_uses_options_and_keeps_an_existing_order()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<List<Doctor>> List(CancellationToken ct = default) => await {|#0:_db.Doctors.OrderBy(d => d.Name).ToListAsync(ct)|};
            }
            """;
        const string fixedSource = """
            using Clinic;

            [ApiController, Route("api/doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<List<Doctor>> List(int page = 1, int pageSize = 20, CancellationToken ct = default)
                {
                    page = Math.Max(page, 1);
                    pageSize = Math.Clamp(pageSize, 1, 40);
                    return await _db.Doctors.OrderBy(d => d.Name).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            "backend_analyzers.default_page_size = 20\nbackend_analyzers.ba4001.max_page_size = 40\nbackend_analyzers.max_page_size = 1000",
            Expected(0, "Doctor"));
    }

    [Fact]
    public async Task Fix_pages_a_minimal_api_lambda_and_fix_all_pages_every_endpoint()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var group = app.MapGroup("/api");
                    group.MapGet("/patients", async (AppDb db, CancellationToken ct) => await {|#0:db.Patients.ToListAsync(ct)|});
                    group.MapGet("/doctors", (AppDb db) => {|#1:db.Doctors.Where(d => d.Name != "").ToList()|});
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var group = app.MapGroup("/api");
                    group.MapGet("/patients", async (AppDb db, CancellationToken ct, int page = 1, int pageSize = 50) =>
                    {
                        page = Math.Max(page, 1);
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        return await db.Patients.OrderBy(x => x.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
                    });
                    group.MapGet("/doctors", (AppDb db, int page = 1, int pageSize = 50) =>
                    {
                        page = Math.Max(page, 1);
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        return db.Doctors.Where(d => d.Name != "").OrderBy(x => x.DoctorId).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "Patient"), Expected(1, "Doctor"));
    }

    [Fact]
    public async Task Fix_all_in_one_action_with_two_returns_adds_parameters_once()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<Patient>>> List(bool active, CancellationToken ct)
                {
                    if (active)
                    {
                        return await {|#0:_db.Patients.Where(p => p.DoctorId > 0).ToListAsync(ct)|};
                    }

                    return await {|#1:_db.Patients.ToListAsync(ct)|};
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<Patient>>> List(bool active, CancellationToken ct, int page = 1, int pageSize = 50)
                {
                    page = Math.Max(page, 1);
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    if (active)
                    {
                        return await _db.Patients.Where(p => p.DoctorId > 0).OrderBy(x => x.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
                    }

                    return await _db.Patients.OrderBy(x => x.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "Patient"), Expected(1, "Patient"));
    }

    [Fact]
    public async Task No_fix_when_the_query_lives_in_a_service()
    {
        const string source = """
            using Clinic;

            public class PatientService
            {
                private readonly AppDb _db;
                public PatientService(AppDb db) => _db = db;
                public Task<List<Patient>> All() => _db.Patients.ToListAsync();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/patients", async (PatientService service) => await {|#0:service.All()|});
            }
            """;
        await VerifyFix.CodeFixAsync(source, source,
            Expected(0, "Patient", " (the query is built in PatientService.All, which is where the Take belongs)"));
    }
}
