using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.ExceptionDetailsReturnedAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.ExceptionDetailsReturnedAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.ExceptionDetailsReturnedCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2002_ExceptionDetailsReturnedTests
{
    private static DiagnosticResult Expected(int location, string what, string sink) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(what, sink);

    [Fact]
    public async Task Flags_exception_text_in_controller_results()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return NoContent();
                    }
                    catch (DbUpdateConcurrencyException ex)
                    {
                        var message = $"Saving failed: {ex.Message}";
                        return Conflict({|#0:message|});
                    }
                    catch (DbUpdateException ex)
                    {
                        return StatusCode(500, new { error = {|#1:ex.Message|}, stack = {|#6:ex.StackTrace|} });
                    }
                    catch (InvalidOperationException ex)
                    {
                        return Problem(detail: {|#2:ex.ToString()|});
                    }
                    catch (Exception ex)
                    {
                        return BadRequest({|#3:ex|});
                    }
                }

                [HttpGet("{id}")]
                public ActionResult<string> Describe(int id)
                {
                    try
                    {
                        return _db.Patients.Single(p => p.Id == id).Name;
                    }
                    catch (Exception ex)
                    {
                        return Content(string.Format("Lookup failed: {0}", {|#4:ex.Message|}));
                    }
                }

                [HttpGet("{id}/name")]
                public string Name(int id)
                {
                    try
                    {
                        return _db.Patients.Single(p => p.Id == id).Name;
                    }
                    catch (Exception ex)
                    {
                        return "Lookup failed: " + {|#5:ex.InnerException?.Message|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "The message of 'ex'", "Conflict"),
            Expected(1, "The message of 'ex'", "StatusCode").WithLocation(6),
            Expected(2, "The details (stack trace) of 'ex'", "Problem"),
            Expected(3, "The exception 'ex'", "BadRequest"),
            Expected(4, "The message of 'ex'", "Content"),
            Expected(5, "The message of 'ex'", "return"));
    }

    [Fact]
    public async Task Follows_the_text_into_an_application_response_factory()
    {
        const string source = """
            using Clinic;

            public class ApiResponse<T>
            {
                public bool IsSuccess { get; set; }
                public List<string> Messages { get; set; } = new();
                public T? Data { get; set; }

                public static ApiResponse<T> Error(string message) => new ApiResponse<T> { IsSuccess = false, Messages = new List<string> { message } };

                public static ApiResponse<T> Failed(string message)
                {
                    Console.Error.WriteLine(message);
                    return new ApiResponse<T> { IsSuccess = false, Messages = new List<string> { "The request failed." } };
                }
            }

            public static class Text
            {
                public static string Redact(string message) => message.Length > 0 ? "An error occurred." : "";
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return NoContent();
                    }
                    catch (DbUpdateException ex)
                    {
                        return StatusCode(500, ApiResponse<bool>.Error({|#0:ex.Message|}));
                    }
                    catch (InvalidOperationException ex)
                    {
                        return BadRequest(ApiResponse<bool>.Failed(ex.Message));
                    }
                    catch (Exception ex)
                    {
                        return BadRequest(ApiResponse<bool>.Error(Text.Redact(ex.Message)));
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "The message of 'ex'", "StatusCode"));
    }

    /// <summary>A library compiled beside the test: unsigned like a project of the solution, or strong-named like a package.</summary>
    private static MetadataReference Library(string assemblyName, string source, bool strongNamed)
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        if (strongNamed)
        {
            // Public-signed with the public key of an assembly at hand, as open-source packages are built.
            var publicKey = typeof(CSharpCompilation).Assembly.GetName().GetPublicKey()!;
            options = options.WithCryptoPublicKey(System.Collections.Immutable.ImmutableArray.Create(publicKey)).WithPublicSign(true);
        }

        var compilation = CSharpCompilation.Create(assemblyName, new[] { CSharpSyntaxTree.ParseText(source) }, Basic.Reference.Assemblies.Net100.References.All, options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    [Fact]
    public async Task Messages_of_exceptions_from_another_project_of_the_application_are_its_own()
    {
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.Sources.Add("""
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                [HttpGet("{id}")]
                public IActionResult Get(int id)
                {
                    try
                    {
                        return Ok(id);
                    }
                    catch (Clinic.Domain.PatientNotFoundException ex)
                    {
                        return NotFound(ex.Message);
                    }
                    catch (Vendor.Billing.BillingException ex)
                    {
                        return StatusCode(502, {|#0:ex.Message|});
                    }
                }
            }
            """);
        test.TestState.AdditionalReferences.Add(Library("Clinic.Domain", "namespace Clinic.Domain { public class PatientNotFoundException : System.Exception { } }", strongNamed: false));
        test.TestState.AdditionalReferences.Add(Library("Vendor.Billing", "namespace Vendor.Billing { public class BillingException : System.Exception { } }", strongNamed: true));
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "The message of 'ex'", "StatusCode"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_minimal_apis_middleware_handlers_and_filters()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Diagnostics;
            using Microsoft.AspNetCore.Mvc.Filters;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", async (PatientDto dto, AppDb db) =>
                    {
                        try
                        {
                            await db.SaveChangesAsync();
                            return Results.NoContent();
                        }
                        catch (DbUpdateException ex)
                        {
                            return Results.Problem({|#0:ex.InnerException?.Message|} ?? "failed");
                        }
                        catch (Exception ex)
                        {
                            return TypedResults.BadRequest({|#1:ex|});
                        }
                    });

                    app.UseExceptionHandler(errors => errors.Run(async context =>
                    {
                        var feature = context.Features.Get<IExceptionHandlerFeature>();
                        await context.Response.WriteAsync({|#2:feature!.Error.Message|});
                    }));
                }
            }

            public class ErrorMiddleware
            {
                private readonly RequestDelegate _next;
                public ErrorMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context)
                {
                    try
                    {
                        await _next(context);
                    }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        await context.Response.WriteAsync({|#3:ex.ToString()|});
                    }
                }
            }

            public class ApiExceptionHandler : IExceptionHandler
            {
                public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
                {
                    var problem = new ProblemDetails { Status = 500, Detail = exception.Message };
                    await httpContext.Response.WriteAsJsonAsync({|#4:problem|}, cancellationToken);
                    return true;
                }
            }

            public class ApiExceptionFilter : IExceptionFilter
            {
                public void OnException(ExceptionContext context)
                {
                    context.Result = new ObjectResult(new { error = {|#5:context.Exception.Message|} }) { StatusCode = 500 };
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "The message of 'ex'", "Results.Problem"),
            Expected(1, "The exception 'ex'", "TypedResults.BadRequest"),
            Expected(2, "The message of 'feature!.Error'", "WriteAsync"),
            Expected(3, "The details (stack trace) of 'ex'", "WriteAsync"),
            Expected(4, "The message of 'exception'", "WriteAsJsonAsync"),
            Expected(5, "The message of 'context.Exception'", "new ObjectResult"));
    }

    [Fact]
    public async Task Leaves_logging_development_branches_and_application_messages_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Diagnostics;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;

            public class PatientNotFoundException : Exception
            {
                public PatientNotFoundException(int id) : base($"Patient {id} was not found.") { }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly ILogger<PatientsController> _logger;
                private readonly IWebHostEnvironment _env;
                public PatientsController(AppDb db, ILogger<PatientsController> logger, IWebHostEnvironment env) { _db = db; _logger = logger; _env = env; }

                [HttpGet("{id}")]
                public IActionResult Get(int id)
                {
                    try
                    {
                        return Ok(_db.Patients.Single(p => p.Id == id));
                    }
                    catch (PatientNotFoundException ex)
                    {
                        return NotFound(ex.Message);
                    }
                    catch (FluentValidation.ValidationException ex)
                    {
                        return BadRequest(new { ex.Message, ex.Errors });
                    }
                    catch (DbUpdateException ex)
                    {
                        _logger.LogError(ex, "Lookup of {Id} failed: {Message}", id, ex.Message);
                        return Conflict(new { entries = ex.Entries.Count, type = ex.GetType().Name });
                    }
                    catch (InvalidOperationException ex)
                    {
                        if (_env.IsDevelopment())
                        {
                            return Problem(ex.ToString());
                        }

                        return Problem("Lookup failed.");
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Lookup failed");
                        var detail = _env.IsDevelopment() ? ex.ToString() : null;
                        if (!_env.IsProduction())
                        {
                            detail = ex.StackTrace;
                        }

                        return Problem(detail: detail, title: "Lookup failed.");
                    }
                }

                [HttpGet("guarded/{id}")]
                public IActionResult Guarded(int id)
                {
                    try
                    {
                        return Ok(_db.Patients.Single(p => p.Id == id));
                    }
                    catch (Exception ex)
                    {
                        if (!_env.IsDevelopment())
                        {
                            return Problem("Lookup failed.");
                        }

                        return Problem(ex.ToString());
                    }
                }
            }

            public class Importer
            {
                public string Import(Action work)
                {
                    try { work(); return "ok"; }
                    catch (Exception ex) { throw new InvalidOperationException("Import failed: " + ex.Message, ex); }
                }
            }

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    if (app.Environment.IsDevelopment())
                    {
                        app.UseExceptionHandler(errors => errors.Run(context =>
                            context.Response.WriteAsync(context.Features.Get<IExceptionHandlerFeature>()!.Error.ToString())));
                    }

                    var includeDetails = app.Environment.IsDevelopment();
                    app.MapGet("/boom", () =>
                    {
                        try { return Results.Ok(); }
                        catch (Exception ex) { return Results.Problem(includeDetails ? ex.ToString() : "failed"); }
                    });
                }
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
                [ApiController, Route("api/x")]
                public class XController : ControllerBase
                {
                    [HttpGet]
                    public IActionResult A()
                    {
                        try { return Ok(); }
                        catch (Exception ex) { return BadRequest({|#0:ex.Message|}) }
                    }

                    [HttpGet("b")]
                    public IActionResult B()
                    {
                        try { return Ok(); }
                        catch (UnknownException ex) { return BadRequest(ex.Message); }
                        catch (Exception ex) { return Unknown(ex.Message); }
                        catch (Exception ex) { return BadRequest(ex.Unknown); }
                        catch (Exception ex) { return BadRequest(
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "The message of 'ex'", "BadRequest"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_returns_a_generic_message_and_logs_when_a_logger_is_in_scope()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Logging;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly ILogger<PatientsController> _logger;
                public PatientsController(AppDb db, ILogger<PatientsController> logger) { _db = db; _logger = logger; }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return NoContent();
                    }
                    catch (DbUpdateException ex)
                    {
                        return BadRequest($"Saving failed: {{|#0:ex.Message|}}");
                    }
                    catch (InvalidOperationException ex)
                    {
                        _logger.LogError(ex, "Saving failed");
                        return StatusCode(500, new { error = {|#1:ex.Message|}, stack = {|#4:ex.StackTrace|} });
                    }
                    catch (Exception ex)
                    {
                        return Problem(detail: {|#2:ex.ToString()|});
                    }
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapDelete("/patients/{id}", async (int id, AppDb db) =>
                    {
                        try
                        {
                            await db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync();
                            return Results.NoContent();
                        }
                        catch (Exception ex)
                        {
                            return Results.Problem({|#3:ex.Message|});
                        }
                    });
                }
            }
            """;
        const string fixedSource = """
            using Clinic;
            using Microsoft.Extensions.Logging;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly ILogger<PatientsController> _logger;
                public PatientsController(AppDb db, ILogger<PatientsController> logger) { _db = db; _logger = logger; }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return NoContent();
                    }
                    catch (DbUpdateException ex)
                    {
                        _logger.LogError(ex, "An unexpected error occurred.");
                        return BadRequest("An unexpected error occurred.");
                    }
                    catch (InvalidOperationException ex)
                    {
                        _logger.LogError(ex, "Saving failed");
                        return StatusCode(500, new { error = "An unexpected error occurred.", stack = "An unexpected error occurred." });
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "An unexpected error occurred.");
                        return Problem(detail: "An unexpected error occurred.");
                    }
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapDelete("/patients/{id}", async (int id, AppDb db) =>
                    {
                        try
                        {
                            await db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync();
                            return Results.NoContent();
                        }
                        catch (Exception ex)
                        {
                            return Results.Problem("An unexpected error occurred.");
                        }
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(
            source,
            fixedSource,
            Expected(0, "The message of 'ex'", "BadRequest"),
            Expected(1, "The message of 'ex'", "StatusCode").WithLocation(4),
            Expected(2, "The details (stack trace) of 'ex'", "Problem"),
            Expected(3, "The message of 'ex'", "Results.Problem"));
    }

    [Fact]
    public async Task Leaves_catches_filtered_to_development_and_application_messages_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Logging;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.Hosting;
            public class NotFoundException : Exception { public NotFoundException(string m) : base(m) { } }
            [ApiController, Route("x")]
            public class XController : ControllerBase
            {
                private readonly ILogger<XController> _log;
                private readonly IWebHostEnvironment _env;
                public XController(ILogger<XController> log, IWebHostEnvironment env) { _log = log; _env = env; }
                [HttpGet] public IActionResult Get()
                {
                    try { return Ok(1); }
                    catch (NotFoundException ex) { return NotFound(ex.Message); }
                    catch (ArgumentException ex) when (_env.IsDevelopment()) { return BadRequest(ex.ToString()); }
                    catch (Exception ex) { _log.LogError(ex, "failed: {Message}", ex.Message); return Problem("Something went wrong"); }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }
}
