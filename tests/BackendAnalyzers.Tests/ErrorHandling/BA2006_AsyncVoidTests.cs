using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.AsyncVoidAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.AsyncVoidAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.AsyncVoidCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2006_AsyncVoidTests
{
    private static DiagnosticResult Expected(int location, string name) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(name);

    [Fact]
    public async Task Flags_async_void_methods_and_local_functions()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Mvc.Filters;

            public class ReminderService
            {
                private readonly AppDb _db;
                public ReminderService(AppDb db) => _db = db;

                public async void {|#0:SendReminders|}()
                {
                    var patients = await _db.Patients.Take(10).ToListAsync();
                    foreach (var patient in patients) { await Task.Delay(10); }
                }

                public void Schedule()
                {
                    Run();
                    async void {|#1:Run|}() => await Task.Delay(100);
                }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPost]
                public async void {|#2:Create|}(PatientDto dto)
                {
                    _db.Patients.Add(new Patient { Name = dto.Name });
                    await _db.SaveChangesAsync();
                }
            }

            public class AuditFilter : ActionFilterAttribute
            {
                public override async void {|#3:OnActionExecuting|}(ActionExecutingContext context) => await Task.Delay(1);
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "SendReminders"), Expected(1, "Run"), Expected(2, "Create"), Expected(3, "OnActionExecuting"));
    }

    [Fact]
    public async Task Leaves_event_handlers_and_delegate_targets_alone()
    {
        const string source = """
            using System.Timers;

            public class Poller : IDisposable
            {
                private readonly System.Timers.Timer _timer = new(1000);
                private readonly System.Threading.Timer _tick;
                public event EventHandler<string>? Received;

                public Poller()
                {
                    _timer.Elapsed += OnElapsed;
                    _tick = new System.Threading.Timer(OnTick, null, 0, 1000);
                    Received += OnReceived;
                    AppDomain.CurrentDomain.ProcessExit += OnExit;
                }

                private async void OnElapsed(object? sender, ElapsedEventArgs e) => await Task.Delay(1);
                private async void OnTick(object? state) => await Task.Delay(1);
                private async void OnReceived(object? sender, string message) => await Task.Delay(1);
                private async void OnExit(object? sender, EventArgs e) => await Task.Delay(1);

                public async Task PollAsync() => await Task.Delay(1);
                public void Synchronous() { }
                public void Dispose() { _timer.Dispose(); _tick.Dispose(); }
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
                public class Broken
                {
                    public async void {|#0:A|}() { await Task.Delay(1) }
                    public async void B(Unknown sender, UnknownArgs e) { await Task.Delay(1); }
                    public async void
                    public async Unknown C() { await Task.Delay(1); }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "A"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_returns_task_for_each_method()
    {
        const string source = """
            using Clinic;

            public class ReminderService
            {
                private readonly AppDb _db;
                public ReminderService(AppDb db) => _db = db;

                public async void {|#0:SendReminders|}()
                {
                    await _db.SaveChangesAsync();
                }

                public void Schedule()
                {
                    SendReminders();
                    Run();

                    async void {|#1:Run|}() => await Task.Delay(100);
                }

                private static async void {|#2:Audit|}(string text) => await Console.Out.WriteLineAsync(text);
            }
            """;
        const string fixedSource = """
            using Clinic;

            public class ReminderService
            {
                private readonly AppDb _db;
                public ReminderService(AppDb db) => _db = db;

                public async Task SendReminders()
                {
                    await _db.SaveChangesAsync();
                }

                public void Schedule()
                {
                    SendReminders();
                    Run();

                    async Task Run() => await Task.Delay(100);
                }

                private static async Task Audit(string text) => await Console.Out.WriteLineAsync(text);
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "SendReminders"), Expected(1, "Run"), Expected(2, "Audit"));
    }

    [Fact]
    public async Task Fix_simplifies_the_task_type_and_skips_overrides_and_delegate_targets()
    {
        const string source = """
            using Microsoft.AspNetCore.Mvc.Filters;

            namespace Jobs
            {
                public class Runner
                {
                    public async void {|#0:Start|}() => await System.Threading.Tasks.Task.Yield();
                }

                public class Subscriber
                {
                    public async void {|#1:Handle|}(string message) => await System.Threading.Tasks.Task.Yield();
                }

                public class Wiring
                {
                    public System.Action<string> Callback(Subscriber subscriber) => subscriber.Handle;
                }

                public class AuditFilter : ActionFilterAttribute
                {
                    public override async void {|#2:OnActionExecuting|}(ActionExecutingContext context) => await System.Threading.Tasks.Task.Yield();
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.AspNetCore.Mvc.Filters;

            namespace Jobs
            {
                public class Runner
                {
                    public async Task Start() => await System.Threading.Tasks.Task.Yield();
                }

                public class Subscriber
                {
                    public async void {|#1:Handle|}(string message) => await System.Threading.Tasks.Task.Yield();
                }

                public class Wiring
                {
                    public System.Action<string> Callback(Subscriber subscriber) => subscriber.Handle;
                }

                public class AuditFilter : ActionFilterAttribute
                {
                    public override async void {|#2:OnActionExecuting|}(ActionExecutingContext context) => await System.Threading.Tasks.Task.Yield();
                }
            }
            """;
        var test = new VerifyFix.CodeFixTest { TestCode = source, FixedCode = fixedSource };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "Start"));
        test.ExpectedDiagnostics.Add(Expected(1, "Handle"));
        test.ExpectedDiagnostics.Add(Expected(2, "OnActionExecuting"));
        test.FixedState.ExpectedDiagnostics.Add(Expected(1, "Handle"));
        test.FixedState.ExpectedDiagnostics.Add(Expected(2, "OnActionExecuting"));
        await test.RunAsync();
    }
}
