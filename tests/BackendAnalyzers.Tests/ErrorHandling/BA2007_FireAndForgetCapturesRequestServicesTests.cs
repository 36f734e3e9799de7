using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.FireAndForgetCapturesRequestServicesAnalyzer>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2007_FireAndForgetCapturesRequestServicesTests
{
    private static DiagnosticResult Expected(int location, string service) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(service);

    private const string Services = """
        public interface IEmailSender { Task SendAsync(string to, string text); }
        public interface IAuditLog { Task WriteAsync(string text); }
        public interface IClock { DateTime Now { get; } }
        public interface IBackgroundTaskQueue { ValueTask QueueAsync(Func<CancellationToken, ValueTask> work); }

        public static class Registrations
        {
            public static void Register(IServiceCollection services)
            {
                services.AddScoped<IEmailSender, EmailSender>();
                services.AddSingleton<IClock, SystemClock>();
            }
        }

        public class EmailSender : IEmailSender { public Task SendAsync(string to, string text) => Task.CompletedTask; }
        public class SystemClock : IClock { public DateTime Now => DateTime.UtcNow; }
        """;

    [Fact]
    public async Task Flags_unawaited_work_that_uses_request_services()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly IEmailSender _email;
                public PatientsController(AppDb db, IEmailSender email) { _db = db; _email = email; }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    var patient = new Patient { Name = dto.Name };
                    _db.Patients.Add(patient);
                    await _db.SaveChangesAsync();

                    {|#0:Task.Run(async () =>
                    {
                        patient.Appointments.Add(new Appointment { StartsAt = DateTime.UtcNow });
                        await _db.SaveChangesAsync();
                    })|};

                    _ = {|#1:_email.SendAsync(patient.Email, "Welcome")|};
                    _ = {|#2:Task.Factory.StartNew(() => HttpContext.Response.Headers["x-done"] = "1")|};
                    var audit = {|#3:AuditAsync(patient.Id)|};
                    return Ok(patient.Id);
                }

                [HttpDelete("{id}")]
                public IActionResult Delete(int id)
                {
                    {|#4:_db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync()|};
                    return NoContent();
                }

                private async Task AuditAsync(int id)
                {
                    await Task.Delay(100);
                    await _db.SaveChangesAsync();
                }
            }

            public class NotesController(AppDb db) : ControllerBase
            {
                [HttpPost("notes")]
                public IActionResult Add()
                {
                    _ = {|#5:Task.Run(() => db.SaveChanges())|};
                    return Accepted();
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients/{id}/remind", (int id, AppDb db, IEmailSender email, HttpContext http) =>
                    {
                        {|#6:Task.Run(async () =>
                        {
                            var patient = await db.Patients.FindAsync(id);
                            await email.SendAsync(patient!.Email, "Reminder");
                        })|};
                        {|#7:Notify(http)|};
                        return Results.Accepted();
                    });
                }

                private static Task Notify(HttpContext context) => Task.CompletedTask;
            }
            """;
        await VerifyCS.AnalyzerAsync(
            new[] { source, Services },
            Expected(0, "_db"),
            Expected(1, "_email"),
            Expected(2, "HttpContext"),
            Expected(3, "_db"),
            Expected(4, "_db"),
            Expected(5, "db"),
            Expected(6, "db"),
            Expected(7, "http"));
    }

    [Fact]
    public async Task Leaves_awaited_work_own_scopes_queues_and_singletons_alone()
    {
        const string source = """
            using Clinic;
            using System.Threading.Channels;
            using Microsoft.Extensions.Logging;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                private readonly IServiceScopeFactory _scopes;
                private readonly ILogger<PatientsController> _logger;
                private readonly IClock _clock;
                private readonly IBackgroundTaskQueue _queue;
                private readonly Channel<int> _channel = Channel.CreateUnbounded<int>();

                public PatientsController(AppDb db, IServiceScopeFactory scopes, ILogger<PatientsController> logger, IClock clock, IBackgroundTaskQueue queue)
                {
                    _db = db; _scopes = scopes; _logger = logger; _clock = clock; _queue = queue;
                }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto, CancellationToken ct)
                {
                    var count = await Task.Run(() => _db.Patients.Count());
                    var pending = _db.SaveChangesAsync(ct);
                    await pending;
                    var tasks = new List<Task> { Task.Run(() => _db.Patients.Count()) };
                    await Task.WhenAll(tasks);

                    _ = Task.Run(async () =>
                    {
                        using var scope = _scopes.CreateScope();
                        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                        await db.SaveChangesAsync();
                    });

                    _ = Task.Run(() => _logger.LogInformation("Created at {Now}", _clock.Now));
                    _ = _queue.QueueAsync(async token => await _db.SaveChangesAsync(token));
                    _ = _channel.Writer.WriteAsync(count, ct);
                    var id = dto.Name.Length;
                    _ = Task.Run(() => Console.WriteLine(id));
                    return Ok(count);
                }

                [HttpGet]
                public Task<int> Count() => Task.Run(() => _db.Patients.Count());
            }

            public class Worker
            {
                private readonly AppDb _db;
                public Worker(AppDb db) => _db = db;

                public void Start() => Task.Run(() => _db.SaveChanges());
            }
            """;
        await VerifyCS.AnalyzerAsync(new[] { source, Services });
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                using Clinic;

                public class XController : ControllerBase
                {
                    private readonly AppDb _db = null!;

                    [HttpPost]
                    public IActionResult A()
                    {
                        {|#0:Task.Run(() => _db.SaveChanges())|};
                        Task.Run(() => _unknown.Save());
                        _ = Unknown.RunAsync(_db);
                        Task.Run(
                        return Ok();
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "_db"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Leaves_own_scopes_queues_singletons_and_awaited_combinations_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Logging;
            using System.Threading.Channels;
            public interface IEmailSender { Task SendAsync(string to); }
            [ApiController, Route("x")]
            public class XController : ControllerBase
            {
                private readonly IServiceScopeFactory _scopes;
                private readonly Channel<int> _queue = Channel.CreateUnbounded<int>();
                private readonly ILogger<XController> _log;
                public XController(IServiceScopeFactory scopes, ILogger<XController> log) { _scopes = scopes; _log = log; }
                [HttpPost] public async Task<IActionResult> Post(AppDb db, int id)
                {
                    _ = Task.Run(async () =>
                    {
                        using var scope = _scopes.CreateScope();
                        var scoped = scope.ServiceProvider.GetRequiredService<AppDb>();
                        await scoped.SaveChangesAsync();
                    });
                    await _queue.Writer.WriteAsync(id);
                    _ = Task.Run(() => _log.LogInformation("done {Id}", id));
                    var both = Task.WhenAll(db.SaveChangesAsync(), Task.Delay(1));
                    await both;
                    return Ok();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }
}
