using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.BlockingOnAsyncAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.BlockingOnAsyncAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.BlockingOnAsyncCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2005_BlockingOnAsyncTests
{
    private static DiagnosticResult Expected(int location, string blocking, string where) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(blocking, where);

    [Fact]
    public async Task Flags_blocking_in_controllers_and_minimal_apis()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("{id}")]
                public ActionResult<Patient> Get(int id)
                {
                    var patient = {|#0:_db.Patients.FindAsync(id).AsTask().Result|};
                    return patient is null ? NotFound() : patient;
                }

                [HttpDelete("{id}")]
                public IActionResult Delete(int id)
                {
                    {|#1:_db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync().Wait()|};
                    return NoContent();
                }

                [HttpGet("count")]
                public int Count() => {|#2:_db.Patients.CountAsync().GetAwaiter().GetResult()|};

                [HttpGet("names")]
                public async Task<List<string>> Names()
                {
                    var ids = await _db.Patients.Select(p => p.Id).Take(5).ToListAsync();
                    return ids.Select(id => {|#3:_db.Patients.Where(p => p.Id == id).Select(p => p.Name).FirstAsync().Result|}).ToList();
                }

                private Patient? Load(int id) => {|#4:_db.Patients.FindAsync(id).AsTask().ConfigureAwait(false).GetAwaiter().GetResult()|};
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGroup("/api").MapGet("/doctors/{id}", (int id, AppDb db) => {|#5:db.Doctors.FindAsync(id).AsTask().Result|});
                    app.MapGet("/appointments", GetAppointments);
                }

                private static List<Appointment> GetAppointments(AppDb db) => {|#6:db.Appointments.Take(10).ToListAsync().Result|};
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, ".Result", "the endpoint 'Get'"),
            Expected(1, ".Wait()", "the endpoint 'Delete'"),
            Expected(2, ".GetAwaiter().GetResult()", "the endpoint 'Count'"),
            Expected(3, ".Result", "the endpoint 'Names'"),
            Expected(4, ".GetAwaiter().GetResult()", "the controller 'PatientsController'"),
            Expected(5, ".Result", "the endpoint '/doctors/{id}'"),
            Expected(6, ".Result", "the endpoint 'GetAppointments'"));
    }

    [Fact]
    public async Task Flags_blocking_in_middleware_filters_handlers_and_hosted_services()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Diagnostics;
            using Microsoft.AspNetCore.Mvc.Filters;
            using Microsoft.Extensions.Hosting;

            public class TenantMiddleware
            {
                private readonly RequestDelegate _next;
                public TenantMiddleware(RequestDelegate next) => _next = next;

                public Task InvokeAsync(HttpContext context, AppDb db)
                {
                    var count = {|#0:db.Patients.CountAsync().Result|};
                    context.Items["count"] = count;
                    return _next(context);
                }
            }

            public class AuditMiddleware : IMiddleware
            {
                public async Task InvokeAsync(HttpContext context, RequestDelegate next)
                {
                    {|#1:context.Response.WriteAsync("x").Wait()|};
                    await next(context);
                }
            }

            public class AuditFilter : IActionFilter
            {
                private readonly AppDb _db;
                public AuditFilter(AppDb db) => _db = db;
                public void OnActionExecuting(ActionExecutingContext context) => {|#2:_db.SaveChangesAsync().GetAwaiter().GetResult()|};
                public void OnActionExecuted(ActionExecutedContext context) { }
            }

            public class ApiExceptionHandler : IExceptionHandler
            {
                public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
                {
                    {|#3:context.Response.WriteAsJsonAsync(new { error = "failed" }, ct).Wait()|};
                    return ValueTask.FromResult(true);
                }
            }

            public class Cleanup : BackgroundService
            {
                private readonly IServiceScopeFactory _scopes;
                public Cleanup(IServiceScopeFactory scopes) => _scopes = scopes;

                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    using var scope = _scopes.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                    {|#4:db.SaveChangesAsync(stoppingToken).Wait()|};
                    return Task.CompletedTask;
                }
            }

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.Use(async (context, next) =>
                    {
                        {|#5:Task.Delay(10).Wait()|};
                        await next(context);
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, ".Result", "the middleware 'TenantMiddleware'"),
            Expected(1, ".Wait()", "the middleware 'AuditMiddleware'"),
            Expected(2, ".GetAwaiter().GetResult()", "the filter 'AuditFilter'"),
            Expected(3, ".Wait()", "the exception handler 'ApiExceptionHandler'"),
            Expected(4, ".Wait()", "the hosted service 'Cleanup'"),
            Expected(5, ".Wait()", "the middleware 'inline lambda'"));
    }

    [Fact]
    public async Task Leaves_completed_tasks_startup_code_and_other_classes_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Mvc.Filters;

            [ApiController, Route("api/stats")]
            public class StatsController : ControllerBase
            {
                private static readonly int Seed = Task.Run(() => 42).Result;
                private readonly AppDb _db;
                public StatsController(AppDb db) { _db = db; }
                static StatsController() { Task.Delay(1).Wait(); }

                [HttpGet]
                public async Task<object> Get()
                {
                    var patients = _db.Patients.CountAsync();
                    var doctors = _db.Doctors.CountAsync();
                    await Task.WhenAll(patients, doctors);
                    return new { Patients = patients.Result, Doctors = doctors.Result };
                }

                [HttpGet("all")]
                public async Task<int> All()
                {
                    var tasks = new List<Task<int>> { _db.Patients.CountAsync(), _db.Doctors.CountAsync() };
                    await Task.WhenAll(tasks);
                    return tasks.Sum(t => t.Result) + tasks[0].Result;
                }

                [HttpGet("first")]
                public async Task<int> First()
                {
                    var finished = await Task.WhenAny(_db.Patients.CountAsync(), _db.Doctors.CountAsync());
                    return finished.Result;
                }

                [HttpGet("awaited")]
                public async Task<int> Awaited()
                {
                    var count = _db.Patients.CountAsync();
                    await count;
                    return count.Result;
                }

                [HttpGet("fast")]
                public ValueTask<int> Fast(ValueTask<int> pending) => pending.IsCompletedSuccessfully ? new ValueTask<int>(pending.Result) : pending;

                [HttpGet("filter")]
                public IActionResult Result(ResultExecutedContext context) => Ok(context.Result);
            }

            public class ReportBuilder
            {
                public int Build(AppDb db) => db.Patients.CountAsync().Result;
            }

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    var app = builder.Build();
                    app.StartAsync().Wait();
                    app.StopAsync().GetAwaiter().GetResult();
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
                using Clinic;

                [ApiController, Route("api/x")]
                public class XController : ControllerBase
                {
                    [HttpGet] public int A(AppDb db) => {|#0:db.Patients.CountAsync().Result|}
                    [HttpGet("b")] public int B(AppDb db) => db.Unknown.CountAsync().Result;
                    [HttpGet("c")] public int C(Unknown u) => u.Task.Result;
                    [HttpGet("d")] public void D(AppDb db) { {|#1:db.Patients.CountAsync().Wait(|}; }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, ".Result", "the endpoint 'A'"));
        test.ExpectedDiagnostics.Add(Expected(1, ".Wait()", "the endpoint 'D'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_awaits_in_async_methods_and_makes_endpoints_async()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet("{id}")]
                public async Task<ActionResult<Patient>> Get(int id)
                {
                    var patient = {|#0:_db.Patients.FindAsync(id).AsTask().Result|};
                    await Task.Yield();
                    return patient is null ? NotFound() : patient;
                }

                [HttpGet("count")]
                public int Count()
                {
                    var patients = {|#1:_db.Patients.CountAsync().Result|};
                    var doctors = {|#2:_db.Doctors.CountAsync().GetAwaiter().GetResult()|};
                    return patients + doctors;
                }

                [HttpPost("touch")]
                public void Touch()
                {
                    {|#3:_db.SaveChangesAsync().Wait()|};
                }

                [HttpGet("name/{id}")]
                public string Name(int id) => {|#4:_db.Patients.FindAsync(id).AsTask().Result|}!.Name.ToUpperInvariant();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors/{id}", (int id, AppDb db) => {|#5:db.Doctors.FindAsync(id).AsTask().Result|});
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

                [HttpGet("{id}")]
                public async Task<ActionResult<Patient>> Get(int id)
                {
                    var patient = await _db.Patients.FindAsync(id).AsTask();
                    await Task.Yield();
                    return patient is null ? NotFound() : patient;
                }

                [HttpGet("count")]
                public async Task<int> Count()
                {
                    var patients = await _db.Patients.CountAsync();
                    var doctors = await _db.Doctors.CountAsync();
                    return patients + doctors;
                }

                [HttpPost("touch")]
                public async Task Touch()
                {
                    await _db.SaveChangesAsync();
                }

                [HttpGet("name/{id}")]
                public async Task<string> Name(int id) => (await _db.Patients.FindAsync(id).AsTask())!.Name.ToUpperInvariant();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors/{id}", async (int id, AppDb db) => await db.Doctors.FindAsync(id).AsTask());
                }
            }
            """;
        await VerifyFix.CodeFixAsync(
            source,
            fixedSource,
            Expected(0, ".Result", "the endpoint 'Get'"),
            Expected(1, ".Result", "the endpoint 'Count'"),
            Expected(2, ".GetAwaiter().GetResult()", "the endpoint 'Count'"),
            Expected(3, ".Wait()", "the endpoint 'Touch'"),
            Expected(4, ".Result", "the endpoint 'Name'"),
            Expected(5, ".Result", "the endpoint '/doctors/{id}'"));
    }

    [Fact]
    public async Task No_fix_outside_endpoints_and_async_functions()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Mvc.Filters;

            public class AuditFilter : IActionFilter
            {
                private readonly AppDb _db;
                public AuditFilter(AppDb db) => _db = db;
                public void OnActionExecuting(ActionExecutingContext context) => {|#0:_db.SaveChangesAsync().Wait()|};
                public void OnActionExecuted(ActionExecutedContext context) { }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly object _gate = new();
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<List<string>> Names()
                {
                    var ids = await _db.Patients.Select(p => p.Id).Take(5).ToListAsync();
                    lock (_gate)
                    {
                        var first = {|#1:_db.Patients.CountAsync().Result|};
                    }

                    return ids.Select(id => {|#2:_db.Patients.Where(p => p.Id == id).Select(p => p.Name).FirstAsync().Result|}).ToList();
                }

                [HttpGet("wait")]
                public void Wait() => {|#3:_db.SaveChangesAsync().Wait(1000)|};
            }
            """;
        var test = new VerifyFix.CodeFixTest { TestCode = source, FixedCode = source };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, ".Wait()", "the filter 'AuditFilter'"));
        test.ExpectedDiagnostics.Add(Expected(1, ".Result", "the endpoint 'Names'"));
        test.ExpectedDiagnostics.Add(Expected(2, ".Result", "the endpoint 'Names'"));
        test.ExpectedDiagnostics.Add(Expected(3, ".Wait()", "the endpoint 'Wait'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Finds_a_handler_mapped_from_another_file()
    {
        const string endpoints = """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", PatientHandlers.List);
                    app.MapGet("/patients/again", PatientHandlers.List);
                }
            }
            """;
        const string handlers = """
            using Clinic;

            public static class PatientHandlers
            {
                public static List<Patient> List(AppDb db)
                {
                    var first = {|#0:db.Patients.Take(10).ToListAsync().Result|};
                    var second = {|#1:db.Patients.Skip(10).Take(10).ToListAsync().Result|};
                    return first.Concat(second).ToList();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            new[] { endpoints, handlers },
            Expected(0, ".Result", "the endpoint 'List'"),
            Expected(1, ".Result", "the endpoint 'List'"));
    }

    [Fact]
    public async Task Fix_makes_a_method_group_handler_async()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors", ListDoctors);
                    app.MapGet("/doctors/again", ListDoctors);
                }

                private static List<Doctor> ListDoctors(AppDb db)
                {
                    return {|#0:db.Doctors.Take(10).ToListAsync().Result|};
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/doctors", ListDoctors);
                    app.MapGet("/doctors/again", ListDoctors);
                }

                private static async Task<List<Doctor>> ListDoctors(AppDb db)
                {
                    return await db.Doctors.Take(10).ToListAsync();
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, ".Result", "the endpoint 'ListDoctors'"));
    }

    [Fact]
    public async Task Leaves_results_of_completed_tasks_and_other_Result_properties_alone()
    {
        // Filters read ActionExecutingContext.Result, ActionResult<T> has a Result, Task.FromResult is complete when made.
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Mvc.Filters;

            public class AuditFilter : IActionFilter
            {
                public void OnActionExecuting(ActionExecutingContext context) { if (context.Result is null) { context.Result = new BadRequestResult(); } }
                public void OnActionExecuted(ActionExecutedContext context) { var r = context.Result; }
            }

            [ApiController, Route("x")]
            public class XController : ControllerBase
            {
                private readonly Lazy<int> _lazy = new(() => 1);
                [HttpGet] public async Task<ActionResult<int>> Get()
                {
                    ActionResult<int> a = 1;
                    var r = a.Result;
                    var t = Task.FromResult(3);
                    var v = t.Result;
                    var tasks = new[] { Task.FromResult(1), Task.FromResult(2) };
                    await Task.WhenAll(tasks);
                    var sum = tasks.Sum(x => x.Result);
                    var t2 = Task.Run(() => 5);
                    await t2;
                    return t2.Result + _lazy.Value + sum + v;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }
}
