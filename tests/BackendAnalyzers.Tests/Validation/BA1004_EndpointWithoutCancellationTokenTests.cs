using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.EndpointWithoutCancellationTokenAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.EndpointWithoutCancellationTokenAnalyzer, BackendAnalyzers.CodeFixes.Validation.EndpointWithoutCancellationTokenCodeFix>;

namespace BackendAnalyzers.Tests.Validation;

public class BA1004_EndpointWithoutCancellationTokenTests
{
    [Fact]
    public async Task Flags_async_endpoints_that_await_cancellable_calls_without_a_token()
    {
        const string source = """
            using System.Net.Http;
            using Clinic;
            using Dapper;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly HttpClient _http;

                public PatientsController(AppDb db, HttpClient http) { _db = db; _http = http; }

                [HttpGet]
                public async Task<ActionResult<List<PatientDto>>> {|#0:List|}() =>
                    await _db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToListAsync();

                [HttpGet("{id}")]
                public async Task<IActionResult> [|Get|](int id)
                {
                    var patient = await _db.Patients.FindAsync(id);
                    return patient is null ? NotFound() : Ok(patient.Name);
                }

                [HttpGet("remote")]
                public async Task<string> [|Remote|]() => await _http.GetStringAsync("https://example.org").ConfigureAwait(false);

                [HttpPost]
                public async Task<IActionResult> [|Save|]()
                {
                    await _db.SaveChangesAsync();
                    return NoContent();
                }

                [HttpGet("sql")]
                public async Task<IActionResult> [|Sql|]([FromServices] System.Data.Common.DbConnection connection) =>
                    Ok(await connection.QueryAsync<int>(new CommandDefinition("select 1")));
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async [|(AppDb db)|] => await db.Patients.CountAsync());
                    var group = app.MapGroup("/api");
                    group.MapGet("/doctors/{id}", async [|(int id, AppDb db)|] => await db.Doctors.FirstOrDefaultAsync(d => d.DoctorId == id) is { } d ? Results.Ok(d.Name) : Results.NotFound());
                    group.MapGet("/appointments", [|Appointments|]);
                }

                private static async Task<int> Appointments(AppDb db) => await db.Appointments.CountAsync();
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'PatientsController.List'", "ToListAsync").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
    }

    [Fact]
    public async Task Leaves_endpoints_that_take_or_use_a_token_alone()
    {
        const string source = """
            using Clinic;
            using Dapper;

            public record Args(int Id, CancellationToken CancellationToken);

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;

                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<int> Count(CancellationToken cancellationToken) => await _db.Patients.CountAsync(cancellationToken);

                [HttpGet("aborted")]
                public async Task<int> Aborted() => await _db.Patients.CountAsync(HttpContext.RequestAborted);

                [HttpGet("sync")]
                public Task<int> NotAsync() => _db.Patients.CountAsync();

                [HttpGet("none")]
                public async Task<int> NothingCancellable()
                {
                    await Task.Delay(1);
                    return _db.Patients.Count();
                }

                [HttpGet("dapper")]
                public async Task<IActionResult> Dapper([FromServices] System.Data.Common.DbConnection connection) =>
                    Ok(await connection.QueryAsync<int>("select 1"));

                [HttpGet("later")]
                public async Task<int> NotAwaited()
                {
                    var task = _db.Patients.CountAsync();
                    return await task;
                }
            }

            public class PatientService
            {
                public async Task<int> CountAsync(AppDb db) => await db.Patients.CountAsync();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async (AppDb db, CancellationToken ct) => await db.Patients.CountAsync(ct));
                    app.MapGet("/aborted", async (AppDb db, HttpContext http) => await db.Patients.CountAsync(http.RequestAborted));
                    app.MapGet("/args", async ([AsParameters] Args args, AppDb db) => await db.Patients.CountAsync());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        const string source = """
            using Clinic;

            [ApiController]
            public class PatientsController : ControllerBase
            {
                [HttpGet]
                public async Task<int> Get(AppDb db) => await db.Patients.CountAsync(

                [HttpGet("x")]
                public async Task<int> Other(AppDb db) { return await db.Unknown.CountAsync(); }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/x", async (Unknown u) => await u.GoAsync());
                    app.MapGet(
                }
            }
            """;
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(source);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_adds_the_parameter_and_passes_the_token_everywhere()
    {
        const string source = """
            using System.Net.Http;
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;

                public PatientsController(AppDb db) => _db = db;

                [HttpPut("{id}")]
                public async Task<IActionResult> {|#0:Rename|}(int id, string name, int attempts = 1)
                {
                    var patient = await _db.Patients.FindAsync(id);
                    if (patient is null)
                    {
                        return NotFound();
                    }

                    var others = await _db.Patients.Where(p => p.Name == name).ToListAsync();
                    patient.Name = name;
                    await _db.SaveChangesAsync();
                    return Ok(others.Count);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/remote", async {|#1:(HttpClient http, AppDb db)|} =>
                    {
                        var text = await http.GetStringAsync("https://example.org");
                        return await db.Patients.AnyAsync(p => p.Name == text);
                    });
                }
            }
            """;
        const string fixedSource = """
            using System.Net.Http;
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;

                public PatientsController(AppDb db) => _db = db;

                [HttpPut("{id}")]
                public async Task<IActionResult> Rename(int id, string name, CancellationToken cancellationToken, int attempts = 1)
                {
                    var patient = await _db.Patients.FindAsync(new object[] { id }, cancellationToken);
                    if (patient is null)
                    {
                        return NotFound();
                    }

                    var others = await _db.Patients.Where(p => p.Name == name).ToListAsync(cancellationToken);
                    patient.Name = name;
                    await _db.SaveChangesAsync(cancellationToken);
                    return Ok(others.Count);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/remote", async (HttpClient http, AppDb db, CancellationToken cancellationToken) =>
                    {
                        var text = await http.GetStringAsync("https://example.org", cancellationToken);
                        return await db.Patients.AnyAsync(p => p.Name == text, cancellationToken);
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'PatientsController.Rename'", "FindAsync").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("MapGet(\"/remote\")", "GetStringAsync").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
    }

    [Fact]
    public async Task Fix_uses_named_arguments_past_skipped_optional_parameters_and_command_definitions()
    {
        const string source = """
            using Dapper;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/sql", async [|(System.Data.Common.DbConnection connection)|] =>
                    {
                        var rows = await connection.QueryAsync<int>(new CommandDefinition("select 1", commandTimeout: 5));
                        return rows.Count();
                    });
                    app.MapGet("/json", async [|(HttpClient http)|] => await http.GetFromJsonAsync<int[]>("https://example.org", options: null));
                }
            }
            """;
        const string fixedSource = """
            using Dapper;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/sql", async (System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
                    {
                        var rows = await connection.QueryAsync<int>(new CommandDefinition("select 1", commandTimeout: 5, cancellationToken: cancellationToken));
                        return rows.Count();
                    });
                    app.MapGet("/json", async (HttpClient http, CancellationToken cancellationToken) => await http.GetFromJsonAsync<int[]>("https://example.org", options: null, cancellationToken: cancellationToken));
                }
            }
            """;
        await VerifyFix.CodeFixAsync("using System.Net.Http;\nusing System.Net.Http.Json;\n" + source, "using System.Net.Http;\nusing System.Net.Http.Json;\n" + fixedSource);
    }
}
