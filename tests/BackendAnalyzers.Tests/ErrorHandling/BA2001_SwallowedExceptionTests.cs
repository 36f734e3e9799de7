using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.SwallowedExceptionAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.SwallowedExceptionAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.SwallowedExceptionCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2001_SwallowedExceptionTests
{
    private const string Empty = "is empty";
    private const string Unhandled = "neither rethrows, logs, uses the exception, returns a result nor records the failure";

    private static DiagnosticResult Expected(int location, string what, string why) => VerifyCS.Diagnostic().WithLocation(location).WithArguments(what, why);

    [Fact]
    public async Task Flags_every_empty_catch()
    {
        const string source = """
            using Clinic;

            public class ImportService
            {
                private readonly AppDb _db;
                public ImportService(AppDb db) => _db = db;

                public async Task ImportAsync(Patient patient)
                {
                    try
                    {
                        _db.Patients.Add(patient);
                        await _db.SaveChangesAsync();
                    }
                    {|#0:catch (Exception)|}
                    {
                    }
                }

                public int ParseOrZero(string text)
                {
                    var value = 0;
                    try { value = int.Parse(text); }
                    {|#1:catch (FormatException)|} { }
                    return value;
                }

                public void Cleanup(IDisposable resource)
                {
                    try { resource.Dispose(); }
                    {|#2:catch|} { ; }
                }

                public void Named(Action work)
                {
                    try { work(); }
                    {|#3:catch (Exception ex)|} { }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "'Exception'", Empty),
            Expected(1, "'FormatException'", Empty),
            Expected(2, "every exception", Empty),
            Expected(3, "'Exception'", Empty));
    }

    [Fact]
    public async Task Flags_broad_catches_that_hide_the_failure()
    {
        const string source = """
            using Clinic;
            using Microsoft.EntityFrameworkCore.Storage;

            public class PatientLookup
            {
                private readonly AppDb _db;
                public PatientLookup(AppDb db) => _db = db;

                public async Task<Patient?> FindAsync(int id)
                {
                    try
                    {
                        return await _db.Patients.FindAsync(id);
                    }
                    {|#0:catch (Exception)|}
                    {
                        return null;
                    }
                }

                public async Task<int> ImportAllAsync(IEnumerable<Patient> patients)
                {
                    var imported = 0;
                    foreach (var patient in patients)
                    {
                        try
                        {
                            _db.Patients.Add(patient);
                            await _db.SaveChangesAsync();
                            imported++;
                        }
                        {|#1:catch|}
                        {
                            continue;
                        }
                    }
                    return imported;
                }

                public void Save(IDbContextTransaction transaction)
                {
                    try
                    {
                        _db.SaveChanges();
                        transaction.Commit();
                    }
                    {|#2:catch (SystemException)|}
                    {
                        transaction.Rollback();
                    }
                }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<IActionResult> List()
                {
                    try
                    {
                        return Ok(await _db.Patients.Take(10).ToListAsync());
                    }
                    {|#3:catch (Exception)|}
                    {
                        return Ok(new List<Patient>());
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
                        }
                        {|#4:catch (Exception ex)|}
                        {
                            return Results.NoContent();
                        }
                        return Results.NoContent();
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "'Exception'", Unhandled),
            Expected(1, "every exception", Unhandled),
            Expected(2, "'SystemException'", Unhandled),
            Expected(3, "'Exception'", Unhandled),
            Expected(4, "'Exception'", Unhandled));
    }

    [Fact]
    public async Task A_catch_that_falls_through_to_an_error_response_tells_the_caller()
    {
        const string source = """
            using Clinic;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPost("archive")]
                public async Task<IActionResult> Archive(int id)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return Ok();
                    }
                    catch (Exception)
                    {
                        _db.ChangeTracker.Clear();
                    }

                    return BadRequest("The patient could not be archived.");
                }

                [HttpPost("merge")]
                public async Task<IActionResult> Merge(int id)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                        return Ok();
                    }
                    catch (Exception)
                    {
                        _db.ChangeTracker.Clear();
                    }

                    return StatusCode(StatusCodes.Status500InternalServerError);
                }

                [HttpPost("touch")]
                public async Task<IActionResult> Touch(int id)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                    }
                    {|#0:catch (Exception)|}
                    {
                        _db.ChangeTracker.Clear();
                    }

                    return Ok();
                }

                [HttpPost("later")]
                public async Task<IActionResult> Later(int id)
                {
                    try
                    {
                        await _db.SaveChangesAsync();
                    }
                    {|#1:catch (Exception)|}
                    {
                        _db.ChangeTracker.Clear();
                    }

                    var done = true;
                    return done ? Ok() : BadRequest();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Expected(0, "'Exception'", Unhandled),
            Expected(1, "'Exception'", Unhandled));
    }

    [Fact]
    public async Task Leaves_handled_catches_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Logging;

            public class Worker
            {
                private readonly ILogger<Worker> _logger;
                private readonly AppDb _db;
                private Exception? _lastError;
                public Worker(ILogger<Worker> logger, AppDb db) { _logger = logger; _db = db; }

                public void Logged() { try { _db.SaveChanges(); } catch (Exception ex) { _logger.LogError(ex, "Save failed"); } }
                public void LoggedWithoutException() { try { _db.SaveChanges(); } catch (Exception) { _logger.LogWarning("Save failed"); } }
                public void Rethrown() { try { _db.SaveChanges(); } catch (Exception) { _db.ChangeTracker.Clear(); throw; } }
                public void Wrapped() { try { _db.SaveChanges(); } catch (Exception ex) { throw new InvalidOperationException("Save failed", ex); } }
                public void Remembered() { try { _db.SaveChanges(); } catch (Exception ex) { _lastError = ex; } }
                public void Written() { try { _db.SaveChanges(); } catch { Console.Error.WriteLine("save failed"); Console.WriteLine("save failed"); } }
                public void Canceled(CancellationToken ct) { try { Task.Delay(1000, ct).Wait(ct); } catch (OperationCanceledException) { } }
                public async Task CanceledTask(CancellationToken ct) { try { await Task.Delay(1000, ct); } catch (TaskCanceledException) { } }
                public void Filtered() { try { _db.SaveChanges(); } catch (Exception ex) when (ex is TimeoutException) { } }
                public bool TryParse(string text) { try { int.Parse(text); return true; } catch { return false; } }
                public int Fallback(string text) { try { return int.Parse(text); } catch (Exception) { return -1; } }
                public void Failed(TaskCompletionSource tcs) { try { _db.SaveChanges(); tcs.SetResult(); } catch (Exception) { tcs.TrySetCanceled(); } }

                public bool Flagged()
                {
                    var failed = false;
                    try { _db.SaveChanges(); }
                    catch (Exception) { failed = true; }
                    return !failed;
                }

                public async Task RetryAsync()
                {
                    var attempts = 0;
                    while (attempts < 3)
                    {
                        try { await _db.SaveChangesAsync(); return; }
                        catch (Exception) { attempts++; }
                    }
                }

                public List<string> Collected(IEnumerable<Action> steps)
                {
                    var errors = new List<string>();
                    foreach (var step in steps)
                    {
                        try { step(); }
                        catch (Exception) { errors.Add("a step failed"); }
                    }
                    return errors;
                }
            }

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPut("{id}")]
                public async Task<IActionResult> Update(int id, PatientDto dto)
                {
                    try { await _db.SaveChangesAsync(); }
                    catch (DbUpdateConcurrencyException) { return Conflict(); }
                    catch (DbUpdateException) { ModelState.AddModelError("", "Could not save"); return ValidationProblem(ModelState); }
                    return NoContent();
                }

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    try { await _db.SaveChangesAsync(); }
                    catch (Exception) { return StatusCode(500); }
                    return NoContent();
                }

                [HttpDelete("{id}")]
                public async Task Delete(int id)
                {
                    try { await _db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync(); }
                    catch (Exception) { Response.StatusCode = 500; }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Flags_state_that_nobody_reads_and_work_deferred_to_a_lambda()
    {
        const string source = """
            public class Jobs
            {
                public void Unread(Action work)
                {
                    var failed = false;
                    try { work(); }
                    {|#0:catch (Exception)|} { failed = true; }
                }

                public void Deferred(Action work, List<Action> later)
                {
                    try { work(); }
                    {|#1:catch (Exception)|}
                    {
                        Func<int> f = () => { throw new InvalidOperationException(); };
                    }
                }
            }
            """;
        var test = new VerifyCS.AnalyzerTest { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "'Exception'", Unhandled));
        test.ExpectedDiagnostics.Add(Expected(1, "'Exception'", Unhandled));
        await test.RunAsync();
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                public class Broken
                {
                    public void A() { try { Work(); } catch (UnknownException) { } }
                    public void B() { try { Work(); } {|#0:catch (Exception)|} { } }
                    public void C() { try { Work(); } catch (Exception) { Handle( } }
                    public void D() { try { Work(); } catch (Exception ex) { Unknown.Call(ex) } }
                    public void E() { try { Work() } catch
                    private void Work() { }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0, "'Exception'", Empty));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_rethrows_at_the_end_of_each_catch()
    {
        const string source = """
            using Clinic;

            public class PatientLookup
            {
                private readonly AppDb _db;
                public PatientLookup(AppDb db) => _db = db;

                public async Task<Patient?> FindAsync(int id)
                {
                    try
                    {
                        return await _db.Patients.FindAsync(id);
                    }
                    {|#0:catch (Exception)|}
                    {
                        return null;
                    }
                }

                public void Save()
                {
                    try
                    {
                        _db.SaveChanges();
                    }
                    {|#1:catch|}
                    {
                    }
                }

                public void SaveEach(IEnumerable<Patient> patients)
                {
                    foreach (var patient in patients)
                    {
                        try
                        {
                            _db.Add(patient);
                            _db.SaveChanges();
                        }
                        {|#2:catch (Exception)|}
                        {
                            try
                            {
                                _db.ChangeTracker.Clear();
                            }
                            {|#3:catch (InvalidOperationException)|}
                            {
                            }

                            _db.Remove(patient);
                        }
                    }
                }
            }
            """;
        const string fixedSource = """
            using Clinic;

            public class PatientLookup
            {
                private readonly AppDb _db;
                public PatientLookup(AppDb db) => _db = db;

                public async Task<Patient?> FindAsync(int id)
                {
                    try
                    {
                        return await _db.Patients.FindAsync(id);
                    }
                    catch (Exception)
                    {
                        throw;
                    }
                }

                public void Save()
                {
                    try
                    {
                        _db.SaveChanges();
                    }
                    catch
                    {
                        throw;
                    }
                }

                public void SaveEach(IEnumerable<Patient> patients)
                {
                    foreach (var patient in patients)
                    {
                        try
                        {
                            _db.Add(patient);
                            _db.SaveChanges();
                        }
                        catch (Exception)
                        {
                            try
                            {
                                _db.ChangeTracker.Clear();
                            }
                            catch (InvalidOperationException)
                            {
                                throw;
                            }

                            _db.Remove(patient);
                            throw;
                        }
                    }
                }
            }
            """;
        await VerifyFix.CodeFixAsync(
            source,
            fixedSource,
            Expected(0, "'Exception'", Unhandled),
            Expected(1, "every exception", Empty),
            Expected(2, "'Exception'", Unhandled),
            Expected(3, "'InvalidOperationException'", Empty));
    }

    [Fact]
    public async Task Fix_replaces_a_final_continue()
    {
        const string source = """
            public class Importer
            {
                public int Count(IEnumerable<string> lines)
                {
                    var count = 0;
                    foreach (var line in lines)
                    {
                        try
                        {
                            count += int.Parse(line);
                        }
                        {|#0:catch|}
                        {
                            continue;
                        }
                    }
                    return count;
                }
            }
            """;
        const string fixedSource = """
            public class Importer
            {
                public int Count(IEnumerable<string> lines)
                {
                    var count = 0;
                    foreach (var line in lines)
                    {
                        try
                        {
                            count += int.Parse(line);
                        }
                        catch
                        {
                            throw;
                        }
                    }
                    return count;
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "every exception", Unhandled));
    }

    [Fact]
    public async Task Fix_handles_a_catch_on_one_line()
    {
        const string source = """
            public class Parser
            {
                public int Parse(string text)
                {
                    var value = 0;
                    try { value = int.Parse(text); } {|#0:catch (FormatException)|} { }
                    return value;
                }
            }
            """;
        const string fixedSource = """
            public class Parser
            {
                public int Parse(string text)
                {
                    var value = 0;
                    try { value = int.Parse(text); } catch (FormatException) { throw; }
                    return value;
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0, "'FormatException'", Empty));
    }

    [Fact]
    public async Task Leaves_specific_catches_mapped_to_results_alone_but_reports_every_empty_catch()
    {
        const string source = """
            using Clinic;
            using System.IO;
            using Microsoft.Extensions.Logging;
            public class S
            {
                private readonly ILogger<S> _log;
                public S(ILogger<S> log) => _log = log;
                public bool TryDelete(string path) { try { File.Delete(path); return true; } catch (IOException) { return false; } }
                public void Dispose(IDisposable d) { try { d.Dispose(); } {|#0:catch (ObjectDisposedException)|} { } }
                public async Task<IActionResult> Save(AppDb db)
                {
                    try { await db.SaveChangesAsync(); }
                    catch (DbUpdateConcurrencyException) { return new ConflictResult(); }
                    catch (Exception e) { _log.LogError(e, "x"); return new StatusCodeResult(500); }
                    return new OkResult();
                }
                public string? Read(string p) { try { return File.ReadAllText(p); } catch (Exception e) when (e is IOException) { return null; } }
                public int Parse(string s) { try { return int.Parse(s); } catch (FormatException ex) { throw new ArgumentException("bad", nameof(s), ex); } }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Expected(0, "'ObjectDisposedException'", Empty));
    }
}
