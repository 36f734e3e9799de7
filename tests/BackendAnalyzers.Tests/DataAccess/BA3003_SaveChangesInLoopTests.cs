using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.SaveChangesInLoopAnalyzer>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3003_SaveChangesInLoopTests
{
    private const string Suffix = " on every iteration of the loop; make the changes in the loop and save once after it";

    /// <summary>Wraps statements in a service method with a context, items, a token and a context factory at hand.</summary>
    private static string InService(string statements, string members = "") => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            private readonly IDbContextFactory<AppDb> factory;
            private readonly IServiceScopeFactory scopes;
            public Service(AppDb db, IDbContextFactory<AppDb> factory, IServiceScopeFactory scopes) { this.db = db; this.factory = factory; this.scopes = scopes; }

            public async Task RunAsync(List<int> ids, List<Patient> patients, List<PatientDto> dtos, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
            }
        {{members}}
        }
        """;

    private static Task VerifyAsync(string statements, string members = "", params DiagnosticResult[] expected) =>
        VerifyCS.AnalyzerAsync(InService(statements, members), expected);

    // ---------------------------------------------------------------- loop forms

    [Fact]
    public async Task Flags_SaveChangesAsync_in_foreach()
    {
        const string source = """
            using Clinic;

            public class ImportService
            {
                private readonly AppDb _db;
                public ImportService(AppDb db) => _db = db;

                public async Task ImportAsync(IEnumerable<PatientDto> rows, CancellationToken ct)
                {
                    foreach (var row in rows)
                    {
                        _db.Patients.Add(new Patient { Name = row.Name });
                        await {|#0:_db.SaveChangesAsync(ct)|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithMessage("'SaveChangesAsync' writes to the database" + Suffix));
    }

    [Fact]
    public async Task Flags_sync_SaveChanges_in_for_while_and_do() => await VerifyAsync("""
        for (var i = 0; i < patients.Count; i++)
        {
            patients[i].Name = patients[i].Name.Trim();
            [|db.SaveChanges()|];
        }

        var j = 0;
        while (j < ids.Count)
        {
            db.Patients.Remove(new Patient { Id = ids[j] });
            [|db.SaveChanges()|];
            j++;
        }

        var k = 0;
        do
        {
            await [|db.SaveChangesAsync(ct)|];
            k++;
        }
        while (k < ids.Count);
        """);

    [Fact]
    public async Task Flags_save_in_await_foreach_over_a_query() => await VerifyAsync("""
        await foreach (var patient in db.Patients.AsAsyncEnumerable())
        {
            patient.Email = patient.Email.ToLowerInvariant();
            await [|db.SaveChangesAsync(ct)|];
        }
        """);

    [Fact]
    public async Task Flags_save_in_ForEach_lambda_and_Parallel_ForEachAsync() => await VerifyAsync("""
        patients.ForEach(p =>
        {
            p.Name = p.Name.Trim();
            [|db.SaveChanges()|];
        });

        await Parallel.ForEachAsync(ids, ct, async (id, token) =>
        {
            db.Patients.Remove(new Patient { Id = id });
            await [|db.SaveChangesAsync(token)|];
        });
        """);

    [Fact]
    public async Task Flags_save_in_Select_whose_tasks_are_awaited() => await VerifyAsync("""
        await Task.WhenAll(dtos.Select(async dto =>
        {
            db.Patients.Add(new Patient { Name = dto.Name });
            return await [|db.SaveChangesAsync(ct)|];
        }));
        """);

    [Fact]
    public async Task Flags_save_guarded_by_a_per_item_condition() => await VerifyAsync("""
        foreach (var patient in patients)
        {
            if (patient.Email.Length > 0 && patient.Name != patient.Name.Trim())
            {
                patient.Name = patient.Name.Trim();
                await [|db.SaveChangesAsync(ct)|];
            }
        }

        for (var i = 0; i < patients.Count; i++)
        {
            if (patients[i].Name.Length == 0)
            {
                [|db.SaveChanges()|];
            }
        }
        """);

    [Fact]
    public async Task Flags_save_in_controller_action()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;
                public PatientsController(AppDb db) => _db = db;

                [HttpPost("bulk")]
                public async Task<IActionResult> CreateMany(List<PatientDto> dtos, CancellationToken ct)
                {
                    foreach (var dto in dtos)
                    {
                        _db.Patients.Add(new Patient { Name = dto.Name });
                        await [|_db.SaveChangesAsync(ct)|];
                    }
                    return NoContent();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Flags_save_in_minimal_api_handler()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/patients/names", async (Dictionary<int, string> names, AppDb db) =>
                    {
                        foreach (var (id, name) in names)
                        {
                            var patient = await db.Patients.FindAsync(id);
                            if (patient is null) continue;
                            patient.Name = name;
                            await [|db.SaveChangesAsync()|];
                        }
                        return Results.NoContent();
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    // ---------------------------------------------------------------- through methods of the compilation

    [Fact]
    public async Task Flags_call_to_a_service_method_that_saves_and_names_the_path()
    {
        const string source = """
            using Clinic;

            public interface IPatientService
            {
                Task CreateAsync(PatientDto dto, CancellationToken ct);
            }

            public class PatientService : IPatientService
            {
                private readonly PatientRepository _repository;
                public PatientService(PatientRepository repository) => _repository = repository;
                public Task CreateAsync(PatientDto dto, CancellationToken ct) => _repository.AddAsync(new Patient { Name = dto.Name }, ct);
            }

            public class PatientRepository
            {
                private readonly AppDb _db;
                public PatientRepository(AppDb db) => _db = db;
                public async Task AddAsync(Patient patient, CancellationToken ct)
                {
                    _db.Patients.Add(patient);
                    await _db.SaveChangesAsync(ct);
                }
            }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly IPatientService _patients;
                public PatientsController(IPatientService patients) => _patients = patients;

                [HttpPost("import")]
                public async Task<IActionResult> Import(List<PatientDto> dtos, CancellationToken ct)
                {
                    foreach (var dto in dtos)
                    {
                        await {|#0:_patients.CreateAsync(dto, ct)|};
                    }
                    return NoContent();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithMessage(
            "The loop calls IPatientService.CreateAsync (PatientService.CreateAsync), which calls PatientRepository.AddAsync, which saves changes ('SaveChangesAsync')," + Suffix));
    }

    [Fact]
    public async Task Flags_call_to_a_private_helper_that_saves() => await VerifyAsync("""
        foreach (var patient in patients)
        {
            {|#0:Rename(patient)|};
        }
        """, """
            private void Rename(Patient patient)
            {
                patient.Name = patient.Name.Trim();
                db.SaveChanges();
            }
        """, VerifyCS.Diagnostic().WithLocation(0).WithArguments("The loop calls Service.Rename, which saves changes ('SaveChanges'),"));

    [Fact]
    public async Task Flags_save_through_a_context_interface()
    {
        const string source = """
            using Clinic;

            public interface IClinicContext
            {
                DbSet<Patient> Patients { get; }
                Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
            }

            public class Handler
            {
                private readonly IClinicContext _context;
                public Handler(IClinicContext context) => _context = context;

                public async Task HandleAsync(List<PatientDto> dtos, CancellationToken ct)
                {
                    foreach (var dto in dtos)
                    {
                        _context.Patients.Add(new Patient { Name = dto.Name });
                        await {|#0:_context.SaveChangesAsync(ct)|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'SaveChangesAsync' writes to the database"));
    }

    [Fact]
    public async Task Flags_save_once_by_the_outer_loop_when_the_inner_loop_is_a_retry() => await VerifyAsync("""
        foreach (var patient in patients)
        {
            patient.Name = patient.Name.Trim();
            for (var attempt = 0; attempt < ids.Count; attempt++)
            {
                try
                {
                    await [|db.SaveChangesAsync(ct)|];
                    break;
                }
                catch (DbUpdateConcurrencyException)
                {
                }
            }
        }
        """);

    // ---------------------------------------------------------------- look-alikes left alone

    [Fact]
    public async Task Leaves_save_after_the_loop_alone() => await VerifyAsync("""
        foreach (var dto in dtos)
        {
            db.Patients.Add(new Patient { Name = dto.Name });
        }

        await db.SaveChangesAsync(ct);
        """);

    [Fact]
    public async Task Leaves_retry_loops_alone() => await VerifyAsync("""
        var saved = false;
        while (!saved)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                saved = true;
            }
            catch (DbUpdateConcurrencyException ex)
            {
                foreach (var entry in ex.Entries)
                {
                    var databaseValues = await entry.GetDatabaseValuesAsync(ct);
                    if (databaseValues is not null)
                    {
                        entry.OriginalValues.SetValues(databaseValues);
                    }
                }
            }
        }

        var maxAttempts = ids.Count;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            try
            {
                db.SaveChanges();
                break;
            }
            catch (DbUpdateException) when (attempt < maxAttempts)
            {
            }
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
            }
        }

        while (true)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException)
            {
                await Task.Delay(100, ct);
            }
        }
        """);

    [Fact]
    public async Task Leaves_batched_saves_alone() => await VerifyAsync("""
        var count = 0;
        foreach (var dto in dtos)
        {
            db.Patients.Add(new Patient { Name = dto.Name });
            if (++count % 500 == 0)
            {
                await db.SaveChangesAsync(ct);
            }
        }

        var pending = 0;
        foreach (var dto in dtos)
        {
            db.Patients.Add(new Patient { Name = dto.Name });
            pending++;
            if (pending >= 1000)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                pending = 0;
            }
        }

        var batch = new List<Patient>();
        foreach (var dto in dtos)
        {
            batch.Add(new Patient { Name = dto.Name });
            if (batch.Count == 200)
            {
                db.Patients.AddRange(batch);
                db.SaveChanges();
                batch.Clear();
            }
        }

        for (var i = 0; i < dtos.Count; i++)
        {
            db.Patients.Add(new Patient { Name = dtos[i].Name });
            if (i == dtos.Count - 1 || db.ChangeTracker.Entries().Count() > 100)
            {
                db.SaveChanges();
            }
        }
        """);

    [Fact]
    public async Task Leaves_batching_and_polling_loops_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Hosting;

            public class Anonymizer : BackgroundService
            {
                private readonly IServiceScopeFactory _scopes;
                public Anonymizer(IServiceScopeFactory scopes) => _scopes = scopes;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        using var scope = _scopes.CreateScope();
                        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                        while (true)
                        {
                            var page = await db.Patients.Where(p => p.Email != "").OrderBy(p => p.Id).Take(100).ToListAsync(stoppingToken);
                            if (page.Count == 0)
                            {
                                break;
                            }

                            page.ForEach(p => p.Email = "");
                            await db.SaveChangesAsync(stoppingToken);
                        }

                        await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
                    }
                }

                public async Task DrainAsync(AppDb db, CancellationToken ct)
                {
                    while (await db.Appointments.AnyAsync(a => a.StartsAt < DateTime.UtcNow, ct))
                    {
                        var old = await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow).OrderBy(a => a.Id).Take(500).ToListAsync(ct);
                        db.Appointments.RemoveRange(old);
                        await db.SaveChangesAsync(ct);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_channel_consumer_alone()
    {
        const string source = """
            using System.Threading.Channels;
            using Clinic;

            public class Writer
            {
                private readonly AppDb _db;
                public Writer(AppDb db) => _db = db;

                public async Task ConsumeAsync(ChannelReader<PatientDto> reader, CancellationToken ct)
                {
                    await foreach (var dto in reader.ReadAllAsync(ct))
                    {
                        _db.Patients.Add(new Patient { Name = dto.Name });
                        await _db.SaveChangesAsync(ct);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_save_followed_by_leaving_the_loop_alone() => await VerifyAsync("""
        foreach (var patient in patients)
        {
            if (patient.Email.Length == 0)
            {
                patient.Email = "unknown@example.com";
                await db.SaveChangesAsync(ct);
                break;
            }
        }

        foreach (var id in ids)
        {
            var found = await db.Patients.FindAsync(id);
            if (found is not null)
            {
                found.Name = "";
                db.SaveChanges();
                return;
            }
        }

        foreach (var patient in patients)
        {
            try
            {
                db.SaveChanges();
            }
            finally
            {
                Console.WriteLine(patient.Id);
            }

            throw new InvalidOperationException();
        }
        """);

    [Fact]
    public async Task Flags_save_followed_by_a_conditional_exit_or_a_continue() => await VerifyAsync("""
        foreach (var patient in patients)
        {
            [|db.SaveChanges()|];
            if (patient.Id == 0)
            {
                continue;
            }

            break;
        }

        foreach (var patient in patients)
        {
            [|db.SaveChanges()|];
            if (patient.Id == 0)
            {
                break;
            }
        }

        foreach (var id in ids)
        {
            foreach (var patient in patients)
            {
                [|db.SaveChanges()|];
                break;
            }
        }
        """);

    [Fact]
    public async Task Leaves_unit_of_work_per_iteration_alone() => await VerifyAsync("""
        foreach (var dto in dtos)
        {
            await using var context = await factory.CreateDbContextAsync(ct);
            context.Patients.Add(new Patient { Name = dto.Name });
            await context.SaveChangesAsync(ct);
        }

        foreach (var id in ids)
        {
            using var scope = scopes.CreateScope();
            var scoped = scope.ServiceProvider.GetRequiredService<AppDb>();
            scoped.Patients.Remove(new Patient { Id = id });
            scoped.SaveChanges();
        }

        await Parallel.ForEachAsync(ids, ct, async (id, token) =>
        {
            await using var context = await factory.CreateDbContextAsync(token);
            context.Patients.Remove(new Patient { Id = id });
            await context.SaveChangesAsync(token);
        });
        """);

    [Fact]
    public async Task Leaves_small_constant_loops_and_saves_in_lambdas_that_do_not_run_in_the_loop_alone() => await VerifyAsync("""
        foreach (var name in new[] { "a", "b" })
        {
            db.Patients.Add(new Patient { Name = name });
            db.SaveChanges();
        }

        var actions = new List<Func<Task<int>>>();
        foreach (var dto in dtos)
        {
            actions.Add(() => db.SaveChangesAsync(ct));
        }
        """);

    [Fact]
    public async Task Leaves_queries_and_look_alike_methods_alone() => await VerifyAsync("""
        foreach (var id in ids)
        {
            var p = await db.Patients.FindAsync(id);
            db.Patients.Add(new Patient { Name = "x" });
            db.Patients.Update(new Patient { Id = id });
            SaveChanges(id);
            var saver = new Saver();
            saver.SaveChanges();
            await saver.SaveChangesAsync();
        }
        """, """
            private readonly Dictionary<int, bool> _saved = new();
            private void SaveChanges(int id) => _saved[id] = true;

            private sealed class Saver
            {
                public int SaveChanges() => 0;
                public Task<int> SaveChangesAsync() => Task.FromResult(0);
            }
        """);

    [Fact]
    public async Task Leaves_save_through_an_interface_with_two_implementations_alone()
    {
        const string source = """
            using Clinic;

            public interface IUnitOfWork { Task CommitAsync(); }
            public class EfUnitOfWork : IUnitOfWork
            {
                private readonly AppDb _db;
                public EfUnitOfWork(AppDb db) => _db = db;
                public Task CommitAsync() => _db.SaveChangesAsync();
            }
            public class NullUnitOfWork : IUnitOfWork { public Task CommitAsync() => Task.CompletedTask; }

            public class Service
            {
                private readonly IUnitOfWork _work;
                public Service(IUnitOfWork work) => _work = work;
                public async Task RunAsync(int[] ids)
                {
                    foreach (var id in ids)
                    {
                        await _work.CommitAsync();
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Store
            {
                public int SaveChanges() => 0;
                public void Run(List<int> ids)
                {
                    foreach (var id in ids)
                    {
                        SaveChanges();
                    }
                }
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- options

    [Fact]
    public async Task Per_rule_small_loop_limit_option()
    {
        var source = InService("""
            for (var i = 0; i < 20; i++)
            {
                db.SaveChanges();
            }

            for (var i = 0; i < 30; i++)
            {
                [|db.SaveChanges()|];
            }
            """);
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.ba3003.small_loop_limit = 25");
    }

    // ---------------------------------------------------------------- half-typed code

    [Theory]
    [InlineData("foreach (var id in ids) { [|db.SaveChanges()|] }")]
    [InlineData("foreach (var id in ) { [|db.SaveChanges()|]; }")]
    [InlineData("foreach (var x in missing) { await db.SaveChangesAsync(x); }")]
    [InlineData("while () { [|db.SaveChanges()|]; }")]
    [InlineData("foreach (var id in ids) { unknown.SaveChanges(); }")]
    [InlineData("foreach (var id in ids) { if (++ % 10 == 0) db.SaveChanges(); }")]
    [InlineData("foreach (var id in ids) { using var c = factory.CreateDbContext(; c.SaveChanges(); }")]
    [InlineData("ids.ForEach(id => db.SaveChanges(, ));")]
    [InlineData("foreach (var id in ids) { [|Helper(id)|]; } void Helper(int id) { db.SaveChanges() }")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        // The harness reports AD0001 when the analyzer throws; the markup says what it still finds.
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        await test.RunAsync();
    }
}
