using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.ExceptionLoggedWithoutExceptionAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.ExceptionLoggedWithoutExceptionAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.ExceptionLoggedWithoutExceptionCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2004_ExceptionLoggedWithoutExceptionTests
{
    private static DiagnosticResult Expected(int location, string method, string exception) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(method, exception);

    [Fact]
    public async Task Flags_logging_the_text_of_the_exception()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Logging;

            public class PatientImporter
            {
                private readonly AppDb _db;
                private readonly ILogger<PatientImporter> _logger;
                public PatientImporter(AppDb db, ILogger<PatientImporter> logger) { _db = db; _logger = logger; }

                public async Task ImportAsync(Patient patient)
                {
                    try
                    {
                        _db.Patients.Add(patient);
                        await _db.SaveChangesAsync();
                    }
                    catch (DbUpdateException ex)
                    {
                        {|#0:_logger.LogError($"Import of {patient.Name} failed: {ex.Message}")|};
                        throw;
                    }
                    catch (Exception e)
                    {
                        {|#1:_logger.LogWarning("Import failed: " + e)|};
                        {|#2:_logger.LogError("Import failed: {Error}", e.Message)|};
                        {|#3:_logger.LogError("Import failed: {Error}", e)|};
                        {|#4:_logger.Log(LogLevel.Critical, e.ToString())|};
                        var text = string.Format("Import failed ({0})", e.InnerException?.Message);
                        {|#5:_logger.LogInformation(text)|};
                        {|#6:_logger.LogError(null, "Import failed: {Stack}", e.StackTrace)|};
                        throw;
                    }
                }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                [HttpDelete("{id}")]
                public IActionResult Delete(int id, [FromServices] AppDb db, [FromServices] ILogger<PatientsController> logger)
                {
                    try
                    {
                        db.Patients.Where(p => p.Id == id).ExecuteDelete();
                        return NoContent();
                    }
                    catch (Exception exception)
                    {
                        {|#7:logger.LogError(exception.Message)|};
                        return StatusCode(500);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "LogError", "ex"),
            Expected(1, "LogWarning", "e"),
            Expected(2, "LogError", "e"),
            Expected(3, "LogError", "e"),
            Expected(4, "Log", "e"),
            Expected(5, "LogInformation", "e"),
            Expected(6, "LogError", "e"),
            Expected(7, "LogError", "exception"));
    }

    [Fact]
    public async Task Leaves_calls_that_pass_the_exception_alone()
    {
        const string source = """
            using Microsoft.Extensions.Logging;

            public class Worker
            {
                private readonly ILogger<Worker> _logger;
                public Worker(ILogger<Worker> logger) => _logger = logger;

                public void Run(Action work, string name)
                {
                    try { work(); }
                    catch (InvalidOperationException ex)
                    {
                        _logger.LogError(ex, "Work {Name} failed: {Message}", name, ex.Message);
                        _logger.LogWarning(ex, $"Work failed: {ex.Message}");
                        _logger.Log(LogLevel.Error, new EventId(7), ex, "Work failed");
                        _logger.LogError(exception: ex, message: "Work failed: {Reason}", ex.Message);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogWarning("Work {Name} failed, retrying", name);
                        _logger.LogError(ex.InnerException, "Inner failure: {Message}", ex.Message);
                        throw;
                    }
                }

                public void Outside(Exception earlier)
                {
                    _logger.LogWarning("Earlier failure: {Message}", earlier.Message);
                }

                public void Typed()
                {
                    try { }
                    catch (MyAppException ex)
                    {
                        _logger.LogInformation("Rejected: {Code}", ex.Code);
                    }
                }
            }

            public class MyAppException : Exception
            {
                public int Code { get; set; }
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
                using Microsoft.Extensions.Logging;

                public class Broken
                {
                    private readonly ILogger _logger = null!;

                    public void A()
                    {
                        try { }
                        catch (Exception ex)
                        {
                            {|#0:_logger.LogError(ex.Message)|}
                            _logger.LogError(ex.Unknown);
                            _logger.LogError(Unknown.Message);
                            _logger.LogError(;
                        }
                        catch (UnknownException ex)
                        {
                            _logger.LogError(ex.Message);
                        }
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "LogError", "ex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_passes_the_exception_and_keeps_the_message()
    {
        const string source = """
            using Microsoft.Extensions.Logging;

            public class Worker
            {
                private readonly ILogger<Worker> _logger;
                public Worker(ILogger<Worker> logger) => _logger = logger;

                public void Run(Action work, string name)
                {
                    try
                    {
                        work();
                    }
                    catch (Exception ex)
                    {
                        {|#0:_logger.LogError($"Work {name} failed: {ex.Message}")|};
                        {|#1:_logger.LogWarning("Work {Name} failed: {Error}", name, ex.Message)|};
                        {|#2:_logger.Log(LogLevel.Critical, "Work failed: " + ex)|};
                        {|#3:_logger.LogError(new EventId(3), ex.ToString())|};
                        {|#4:_logger.LogError(null, "Work failed: {Error}", ex.Message)|};
                        {|#5:_logger.LogError(message: "Work failed: {Error}", args: new object[] { ex.Message })|};
                        throw;
                    }
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Logging;

            public class Worker
            {
                private readonly ILogger<Worker> _logger;
                public Worker(ILogger<Worker> logger) => _logger = logger;

                public void Run(Action work, string name)
                {
                    try
                    {
                        work();
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, $"Work {name} failed: {ex.Message}");
                        _logger.LogWarning(ex, "Work {Name} failed: {Error}", name, ex.Message);
                        _logger.Log(LogLevel.Critical, ex, "Work failed: " + ex);
                        _logger.LogError(new EventId(3), ex, ex.ToString());
                        _logger.LogError(ex, "Work failed: {Error}", ex.Message);
                        _logger.LogError(exception: ex, message: "Work failed: {Error}", args: new object[] { ex.Message });
                        throw;
                    }
                }
            }
            """;
        await VerifyFix.CodeFixAsync(
            source,
            fixedSource,
            Expected(0, "LogError", "ex"),
            Expected(1, "LogWarning", "ex"),
            Expected(2, "Log", "ex"),
            Expected(3, "LogError", "ex"),
            Expected(4, "LogError", "ex"),
            Expected(5, "LogError", "ex"));
    }
}
