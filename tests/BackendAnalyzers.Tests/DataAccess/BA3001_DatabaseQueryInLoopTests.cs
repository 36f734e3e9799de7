using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.DatabaseQueryInLoopAnalyzer>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3001_DatabaseQueryInLoopTests
{
    private const string Suffix = " on every iteration of the loop; load what the loop needs with one query before it";

    /// <summary>Wraps statements in a service method that has a context, ids, a token and a connection at hand.</summary>
    private static string InService(string statements, string members = "") => $$"""
        using System.Data.Common;
        using Clinic;
        using Dapper;

        public class Service
        {
            private readonly AppDb db;
            private readonly DbConnection connection;
            public Service(AppDb db, DbConnection connection) { this.db = db; this.connection = connection; }

            public async Task RunAsync(List<int> ids, int[] idArray, List<Patient> patients, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
            }
        {{members}}
        }
        """;

    private static Task FlagsAsync(string statements, string members = "") => VerifyCS.AnalyzerAsync(InService(statements, members));

    private static Task LeavesAloneAsync(string statements, string members = "") => VerifyCS.AnalyzerAsync(InService(statements, members));

    // ---------------------------------------------------------------- loop forms

    [Fact]
    public async Task Flags_query_awaited_in_foreach()
    {
        const string source = """
            using Clinic;
            public class Service
            {
                private readonly AppDb _db;
                public Service(AppDb db) => _db = db;

                public async Task<List<string>> NamesAsync(int[] ids, CancellationToken ct)
                {
                    var names = new List<string>();
                    foreach (var id in ids)
                    {
                        var patient = await {|#0:_db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct)|};
                        names.Add(patient?.Name ?? "");
                    }
                    return names;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'FirstOrDefaultAsync' runs a database query"));
    }

    [Fact]
    public async Task Flags_query_in_for_loop() => await FlagsAsync("""
        for (var i = 0; i < idArray.Length; i++)
        {
            var p = [|db.Patients.Find(idArray[i])|];
        }
        """);

    [Fact]
    public async Task Flags_query_in_while_loop() => await FlagsAsync("""
        var i = 0;
        while (i < ids.Count)
        {
            var p = await [|db.Patients.SingleAsync(x => x.Id == ids[i], ct)|];
            i++;
        }
        """);

    [Fact]
    public async Task Flags_query_in_do_loop() => await FlagsAsync("""
        var i = 0;
        do
        {
            var count = await [|db.Appointments.CountAsync(a => a.PatientId == ids[i], ct)|];
            i++;
        }
        while (i < ids.Count);
        """);

    [Fact]
    public async Task Flags_query_in_await_foreach_over_an_async_stream() => await FlagsAsync("""
        await foreach (var id in ReadIdsAsync(ct))
        {
            var p = await [|db.Patients.FindAsync(new object[] { id }, ct)|];
        }
        """, """
            private static async IAsyncEnumerable<int> ReadIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
            {
                await Task.Yield();
                yield return 1;
            }
        """);

    [Fact]
    public async Task Flags_query_in_await_foreach_over_rows_of_another_query() => await FlagsAsync("""
        await foreach (var doctor in db.Doctors.AsAsyncEnumerable())
        {
            var count = await [|db.Patients.CountAsync(p => p.DoctorId == doctor.DoctorId, ct)|];
        }
        """);

    [Fact]
    public async Task Flags_query_in_List_ForEach_lambda() => await FlagsAsync("""
        var names = new List<string>();
        ids.ForEach(id => names.Add([|db.Patients.Find(id)|]?.Name ?? ""));
        """);

    [Fact]
    public async Task Flags_query_in_Parallel_ForEachAsync() => await FlagsAsync("""
        await Parallel.ForEachAsync(ids, ct, async (id, token) =>
        {
            var p = await [|db.Patients.FirstOrDefaultAsync(x => x.Id == id, token)|];
        });
        """);

    [Fact]
    public async Task Flags_query_in_Select_whose_tasks_are_awaited() => await FlagsAsync("""
        var found = await Task.WhenAll(ids.Select(async id => await [|db.Patients.FindAsync(id)|]));
        """);

    [Fact]
    public async Task Flags_query_in_sync_Select_over_ids() => await FlagsAsync("""
        var found = ids.Select(id => [|db.Patients.Find(id)|]).ToList();
        """);

    [Fact]
    public async Task Flags_query_in_Where_over_in_memory_items() => await FlagsAsync("""
        var known = ids.Where(id => [|db.Patients.Any(p => p.Id == id)|]).ToList();
        """);

    [Fact]
    public async Task Flags_method_group_that_queries_passed_to_Select() => await VerifyCS.AnalyzerAsync(InService("""
        var found = await Task.WhenAll(ids.Select({|#0:LoadAsync|}));
        """, """
            private async Task<Patient?> LoadAsync(int id) => await db.Patients.FirstOrDefaultAsync(p => p.Id == id);
        """), VerifyCS.Diagnostic().WithLocation(0).WithArguments("The loop calls Service.LoadAsync, which runs a query ('FirstOrDefaultAsync'),"));

    // ---------------------------------------------------------------- round trips

    [Theory]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ToList()")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ToArray()")]
    [InlineData("db.Patients.ToDictionary(p => p.Id)")]
    [InlineData("db.Patients.First(p => p.Id == id)")]
    [InlineData("db.Patients.FirstOrDefault(p => p.Id == id)")]
    [InlineData("db.Patients.Single(p => p.Id == id)")]
    [InlineData("db.Patients.SingleOrDefault(p => p.Id == id)")]
    [InlineData("db.Patients.OrderBy(p => p.Id).Last()")]
    [InlineData("db.Patients.OrderBy(p => p.Id).LastOrDefault()")]
    [InlineData("db.Patients.Any(p => p.DoctorId == id)")]
    [InlineData("db.Patients.All(p => p.DoctorId == id)")]
    [InlineData("db.Patients.Count(p => p.DoctorId == id)")]
    [InlineData("db.Patients.LongCount()")]
    [InlineData("db.Appointments.Where(a => a.PatientId == id).Sum(a => a.Id)")]
    [InlineData("db.Appointments.Min(a => a.StartsAt)")]
    [InlineData("db.Appointments.Max(a => a.StartsAt)")]
    [InlineData("db.Appointments.Average(a => a.Id)")]
    [InlineData("db.Patients.OrderBy(p => p.Id).ElementAt(id)")]
    [InlineData("db.Patients.Find(id)")]
    [InlineData("db.Find<Patient>(id)")]
    public async Task Flags_each_sync_executing_operator(string query) => await FlagsAsync($$"""
        foreach (var id in ids)
        {
            var result = [|{{query}}|];
        }
        """);

    [Theory]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ToListAsync(ct)")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ToArrayAsync(ct)")]
    [InlineData("db.Patients.ToDictionaryAsync(p => p.Id, ct)")]
    [InlineData("db.Patients.FirstAsync(p => p.Id == id, ct)")]
    [InlineData("db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct)")]
    [InlineData("db.Patients.SingleAsync(p => p.Id == id, ct)")]
    [InlineData("db.Patients.SingleOrDefaultAsync(p => p.Id == id, ct)")]
    [InlineData("db.Patients.OrderBy(p => p.Id).LastAsync(ct)")]
    [InlineData("db.Patients.AnyAsync(p => p.DoctorId == id, ct)")]
    [InlineData("db.Patients.AllAsync(p => p.DoctorId == id, ct)")]
    [InlineData("db.Patients.CountAsync(p => p.DoctorId == id, ct)")]
    [InlineData("db.Patients.LongCountAsync(ct)")]
    [InlineData("db.Appointments.SumAsync(a => a.Id, ct)")]
    [InlineData("db.Appointments.MinAsync(a => a.StartsAt, ct)")]
    [InlineData("db.Appointments.MaxAsync(a => a.StartsAt, ct)")]
    [InlineData("db.Appointments.AverageAsync(a => a.Id, ct)")]
    [InlineData("db.Patients.OrderBy(p => p.Id).ElementAtAsync(id, ct)")]
    [InlineData("db.Patients.FindAsync(id)")]
    [InlineData("db.Patients.AsNoTracking().Where(p => p.DoctorId == id).Select(p => p.Name).ToListAsync(ct)")]
    [InlineData("db.Set<Appointment>().Where(a => a.PatientId == id).ToListAsync(ct)")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ExecuteDeleteAsync(ct)")]
    [InlineData("db.Patients.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, \"x\"), ct)")]
    [InlineData("db.Database.ExecuteSqlRawAsync(\"DELETE FROM Patients WHERE Id = {0}\", id)")]
    [InlineData("connection.QueryAsync<Patient>(\"SELECT * FROM Patients WHERE DoctorId = @id\", new { id })")]
    [InlineData("connection.QueryFirstOrDefaultAsync<Patient>(\"SELECT * FROM Patients WHERE Id = @id\", new { id })")]
    [InlineData("connection.ExecuteAsync(\"UPDATE Patients SET Name = '' WHERE Id = @id\", new { id })")]
    [InlineData("connection.ExecuteScalarAsync<int>(\"SELECT COUNT(*) FROM Appointments WHERE PatientId = @id\", new { id })")]
    public async Task Flags_each_async_round_trip(string query) => await FlagsAsync($$"""
        foreach (var id in ids)
        {
            var result = await [|{{query}}|];
        }
        """);

    [Fact]
    public async Task Flags_sync_bulk_update_and_delete() => await FlagsAsync("""
        foreach (var id in ids)
        {
            [|db.Patients.Where(p => p.Id == id).ExecuteUpdate(s => s.SetProperty(p => p.Name, "x"))|];
            [|db.Appointments.Where(a => a.PatientId == id).ExecuteDelete()|];
        }
        """);

    [Fact]
    public async Task Flags_explicit_loading() => await FlagsAsync("""
        foreach (var p in patients)
        {
            await [|db.Entry(p).Collection(x => x.Appointments).LoadAsync(ct)|];
            [|db.Entry(p).Reference(x => x.Doctor).Load()|];
            var upcoming = await [|db.Entry(p).Collection(x => x.Appointments).Query().Where(a => a.StartsAt > DateTime.UtcNow).CountAsync(ct)|];
            await [|db.Entry(p).ReloadAsync(ct)|];
        }
        """);

    [Fact]
    public async Task Flags_ado_net_commands() => await FlagsAsync("""
        foreach (var id in ids)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM Appointments WHERE PatientId = @id";
            var count = await [|command.ExecuteScalarAsync(ct)|];
            using var reader = await [|command.ExecuteReaderAsync(ct)|];
            [|command.ExecuteNonQuery()|];
        }
        """);

    [Fact]
    public async Task Flags_query_through_a_local_built_in_the_loop() => await FlagsAsync("""
        foreach (var id in ids)
        {
            var query = db.Appointments.Where(a => a.PatientId == id);
            query = query.OrderBy(a => a.StartsAt);
            var next = await [|query.FirstOrDefaultAsync(ct)|];
        }
        """);

    [Fact]
    public async Task Flags_nested_foreach_over_a_query_once_per_outer_iteration()
    {
        var source = InService("""
            foreach (var patient in patients)
            {
                foreach (var appointment in {|#0:db.Appointments.Where(a => a.PatientId == patient.Id)|})
                {
                    Console.WriteLine(appointment.StartsAt);
                }
            }
            """);
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'foreach' over a query runs it"));
    }

    [Fact]
    public async Task Flags_nested_await_foreach_over_a_set()
    {
        var source = InService("""
            foreach (var id in ids)
            {
                await foreach (var appointment in {|#0:db.Appointments.AsAsyncEnumerable()|})
                {
                    Console.WriteLine(appointment.StartsAt);
                }
            }
            """);
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'await foreach' over a query runs it"));
    }

    [Fact]
    public async Task Flags_query_in_small_inner_loop_at_the_outer_loop_once() => await FlagsAsync("""
        foreach (var id in ids)
        {
            for (var slot = 0; slot < 3; slot++)
            {
                var taken = [|db.Appointments.Any(a => a.PatientId == id && a.Id == slot)|];
            }
        }
        """);

    [Fact]
    public async Task Flags_query_in_inner_loop_once() => await FlagsAsync("""
        foreach (var p in patients)
        {
            foreach (var id in ids)
            {
                var a = [|db.Appointments.Find(id)|];
            }
        }
        """);

    [Fact]
    public async Task Flags_retry_loop_nested_in_a_loop_over_items() => await FlagsAsync("""
        var maxAttempts = 3;
        foreach (var id in ids)
        {
            for (var attempt = 0; attempt < maxAttempts; attempt++)
            {
                try
                {
                    await [|db.Patients.Where(p => p.Id == id).ExecuteDeleteAsync(ct)|];
                    break;
                }
                catch (DbUpdateException)
                {
                }
            }
        }
        """);

    [Fact]
    public async Task Flags_subquery_in_an_expression_tree_once()
    {
        // The inner Any is translated into the SQL of the outer query: the outer query is the round trip.
        await FlagsAsync("""
            foreach (var id in ids)
            {
                var booked = await [|db.Patients.Where(p => p.DoctorId == id && db.Appointments.Any(a => a.PatientId == p.Id)).ToListAsync(ct)|];
            }
            """);
    }

    [Fact]
    public async Task Flags_loop_that_breaks_on_a_missing_row() => await FlagsAsync("""
        var i = 0;
        while (i < ids.Count)
        {
            var p = [|db.Patients.Find(ids[i])|];
            if (p is null)
            {
                break;
            }

            i++;
        }
        """);

    [Fact]
    public async Task Flags_loop_counting_down_from_a_large_constant() => await FlagsAsync("""
        for (var id = 1000; id > 0; id--)
        {
            var p = [|db.Patients.Find(id)|];
        }
        """);

    [Fact]
    public async Task Flags_reader_loop_that_queries_per_row() => await FlagsAsync("""
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Patients";
        using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var count = await [|db.Appointments.CountAsync(a => a.PatientId == reader.GetInt32(0), ct)|];
        }
        """);

    [Fact]
    public async Task Flags_loop_inside_a_polling_loop() => await FlagsAsync("""
        while (!ct.IsCancellationRequested)
        {
            foreach (var id in ids)
            {
                var p = await [|db.Patients.FindAsync(id)|];
            }

            await Task.Delay(1000, ct);
        }
        """);

    [Fact]
    public async Task Flags_in_controller_action()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<object>>> Get(CancellationToken ct)
                {
                    var doctors = await _db.Doctors.ToListAsync(ct);
                    var result = new List<object>();
                    foreach (var doctor in doctors)
                    {
                        var count = await [|_db.Patients.CountAsync(p => p.DoctorId == doctor.DoctorId, ct)|];
                        result.Add(new { doctor.Name, count });
                    }
                    return result;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Flags_in_minimal_api_handler()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients/lookup", async (int[] ids, AppDb db) =>
                    {
                        var names = new List<string>();
                        foreach (var id in ids)
                        {
                            var p = await [|db.Patients.FindAsync(id)|];
                            names.Add(p?.Name ?? "");
                        }
                        return Results.Ok(names);
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    // ---------------------------------------------------------------- interprocedural

    [Fact]
    public async Task Flags_call_to_private_helper_that_queries() => await VerifyCS.AnalyzerAsync(InService("""
        foreach (var id in ids)
        {
            var name = await {|#0:NameOfAsync(id, ct)|};
        }
        """, """
            private async Task<string> NameOfAsync(int id, CancellationToken ct)
            {
                var p = await db.Patients.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
                return p?.Name ?? "";
            }
        """), VerifyCS.Diagnostic().WithLocation(0).WithArguments("The loop calls Service.NameOfAsync, which runs a query ('FirstOrDefaultAsync'),"));

    [Fact]
    public async Task Flags_call_to_method_of_another_class()
    {
        const string source = """
            using Clinic;

            public class PatientLookup
            {
                private readonly AppDb _db;
                public PatientLookup(AppDb db) => _db = db;
                public Patient? ById(int id) => _db.Patients.SingleOrDefault(p => p.Id == id);
            }

            public class Report
            {
                private readonly PatientLookup _lookup;
                public Report(PatientLookup lookup) => _lookup = lookup;

                public List<string> Names(IEnumerable<int> ids)
                {
                    var names = new List<string>();
                    foreach (var id in ids)
                    {
                        names.Add({|#0:_lookup.ById(id)|}?.Name ?? "");
                    }
                    return names;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0)
            .WithMessage("The loop calls PatientLookup.ById, which runs a query ('SingleOrDefault')," + Suffix));
    }

    private const string RepositorySource = """
        using Clinic;

        public interface IPatientRepository
        {
            Task<Patient?> GetAsync(int id, CancellationToken ct);
        }

        public class PatientRepository : IPatientRepository
        {
            private readonly AppDb _db;
            public PatientRepository(AppDb db) => _db = db;
            public Task<Patient?> GetAsync(int id, CancellationToken ct) => _db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
        }
        """;

    [Fact]
    public async Task Flags_call_through_interface_with_single_implementation()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly IPatientRepository _patients;
                public PatientsController(IPatientRepository patients) => _patients = patients;

                [HttpPost("names")]
                public async Task<List<string>> Names(int[] ids, CancellationToken ct)
                {
                    var names = new List<string>();
                    foreach (var id in ids)
                    {
                        var patient = await {|#0:_patients.GetAsync(id, ct)|};
                        names.Add(patient?.Name ?? "");
                    }
                    return names;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(new[] { source, RepositorySource }, VerifyCS.Diagnostic().WithLocation(0).WithMessage(
            "The loop calls IPatientRepository.GetAsync (PatientRepository.GetAsync), which runs a query ('FirstOrDefaultAsync'), on every iteration of the loop; load what the loop needs with one query before it"));
    }

    [Fact]
    public async Task Flags_call_through_generic_repository_interface_with_single_implementation()
    {
        const string source = """
            using Clinic;

            public interface IRepository<T> where T : class
            {
                ValueTask<T?> FindAsync(int id);
            }

            public class EfRepository<T> : IRepository<T> where T : class
            {
                private readonly AppDb _db;
                public EfRepository(AppDb db) => _db = db;
                public ValueTask<T?> FindAsync(int id) => _db.Set<T>().FindAsync(id);
            }

            public class Service
            {
                private readonly IRepository<Patient> _patients;
                public Service(IRepository<Patient> patients) => _patients = patients;

                public async Task RunAsync(int[] ids)
                {
                    foreach (var id in ids)
                    {
                        var p = await {|#0:_patients.FindAsync(id)|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0)
            .WithArguments("The loop calls IRepository.FindAsync (EfRepository.FindAsync), which runs a query ('FindAsync'),"));
    }

    [Fact]
    public async Task Flags_query_three_levels_deep_and_names_the_path()
    {
        const string source = """
            using Clinic;

            public class Billing
            {
                private readonly Pricing _pricing;
                public Billing(Pricing pricing) => _pricing = pricing;

                public async Task<decimal> TotalAsync(int[] patientIds)
                {
                    var total = 0m;
                    foreach (var id in patientIds)
                    {
                        total += await {|#0:_pricing.PriceForAsync(id)|};
                    }
                    return total;
                }
            }

            public class Pricing
            {
                private readonly Visits _visits;
                public Pricing(Visits visits) => _visits = visits;
                public async Task<decimal> PriceForAsync(int patientId) => 10m * await _visits.CountAsync(patientId);
            }

            public class Visits
            {
                private readonly AppDb _db;
                public Visits(AppDb db) => _db = db;
                public Task<int> CountAsync(int patientId) => CountFromAsync(patientId, DateTime.UtcNow.AddYears(-1));
                private Task<int> CountFromAsync(int patientId, DateTime from) =>
                    _db.Appointments.CountAsync(a => a.PatientId == patientId && a.StartsAt >= from);
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "The loop calls Pricing.PriceForAsync, which calls Visits.CountAsync, which calls Visits.CountFromAsync, which runs a query ('CountAsync'),"));
    }

    [Fact]
    public async Task Flags_call_to_local_function_that_queries() => await VerifyCS.AnalyzerAsync(InService("""
        foreach (var id in ids)
        {
            var p = await {|#0:LoadAsync(id)|};
        }

        async Task<Patient?> LoadAsync(int id) => await db.Patients.FindAsync(id);
        """), VerifyCS.Diagnostic().WithLocation(0).WithArguments("The loop calls LoadAsync, which runs a query ('FindAsync'),"));

    [Fact]
    public async Task Flags_call_to_helper_with_Dapper() => await FlagsAsync("""
        foreach (var id in ids)
        {
            var p = await [|LoadAsync(id)|];
        }
        """, """
            private Task<Patient?> LoadAsync(int id) =>
                connection.QuerySingleOrDefaultAsync<Patient>("SELECT * FROM Patients WHERE Id = @id", new { id });
        """);

    // ---------------------------------------------------------------- look-alikes left alone

    [Fact]
    public async Task Leaves_in_memory_find_alone()
    {
        const string source = """
            using Clinic;
            public class Service
            {
                public List<Patient> Match(List<Patient> all, int[] ids)
                {
                    var result = new List<Patient>();
                    foreach (var id in ids)
                    {
                        var p = all.Find(x => x.Id == id);
                        var q = all.FirstOrDefault(x => x.Id == id);
                        if (p != null) result.Add(p);
                    }
                    return result;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_linq_to_objects_and_AsQueryable_over_lists_alone() => await LeavesAloneAsync("""
        foreach (var id in ids)
        {
            var count = patients.Count(p => p.DoctorId == id);
            var any = patients.AsQueryable().Any(p => p.Id == id);
            var names = patients.Where(p => p.DoctorId == id).Select(p => p.Name).ToList();
            var appointments = patients.SelectMany(p => p.Appointments).Where(a => a.PatientId == id).ToList();
        }
        var dtos = patients.Select(p => new PatientDto(p.Id, p.Name)).ToList();
        """);

    [Fact]
    public async Task Leaves_SaveChanges_in_a_loop_to_BA3003() => await LeavesAloneAsync("""
        foreach (var p in patients)
        {
            p.Name = p.Name.Trim();
            db.SaveChanges();
            await db.SaveChangesAsync(ct);
        }
        """);

    [Fact]
    public async Task Leaves_query_before_the_loop_alone() => await LeavesAloneAsync("""
        var found = await db.Patients.Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        foreach (var p in found)
        {
            Console.WriteLine(p.Name);
        }

        foreach (var p in db.Patients.Where(p => ids.Contains(p.Id)))
        {
            Console.WriteLine(p.Name);
        }

        await foreach (var p in db.Patients.AsAsyncEnumerable())
        {
            Console.WriteLine(p.Name);
        }
        """);

    [Fact]
    public async Task Leaves_small_constant_loops_alone() => await LeavesAloneAsync("""
        for (var i = 0; i < 3; i++)
        {
            var p = await db.Patients.FindAsync(i);
        }

        for (var i = 5; i >= 1; i--)
        {
            var p = await db.Patients.FindAsync(i);
        }

        foreach (var name in new[] { "a", "b" })
        {
            var exists = await db.Patients.AnyAsync(p => p.Name == name, ct);
        }

        foreach (var name in new List<string> { "a", "b", "c" })
        {
            var exists = await db.Patients.AnyAsync(p => p.Name == name, ct);
        }

        foreach (var id in Enumerable.Range(1, 4))
        {
            var p = db.Patients.Find(id);
        }

        var checks = new[] { 1, 2 }.Select(id => db.Patients.Find(id)).ToList();
        """);

    [Fact]
    public async Task Leaves_small_collection_expression_loop_alone() => await LeavesAloneAsync("""
        string[] names = ["a", "b"];
        foreach (var name in (string[])["a", "b"])
        {
            var exists = await db.Patients.AnyAsync(p => p.Name == name, ct);
        }
        """);

    [Fact]
    public async Task Flags_collection_expression_with_spread() => await FlagsAsync("""
        foreach (var id in (int[])[.. ids])
        {
            var p = [|db.Patients.Find(id)|];
        }
        """);

    [Fact]
    public async Task Small_loop_limit_option_lowers_the_threshold()
    {
        var source = InService("""
            for (var i = 0; i < 3; i++)
            {
                var p = [|db.Patients.Find(i)|];
            }
            """);
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.small_loop_limit = 2");
    }

    [Fact]
    public async Task Per_rule_small_loop_limit_option_raises_the_threshold()
    {
        var source = InService("""
            for (var i = 0; i < 20; i++)
            {
                var p = db.Patients.Find(i);
            }
            """);
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.small_loop_limit = 5\nbackend_analyzers.ba3001.small_loop_limit = 25");
    }

    [Fact]
    public async Task Leaves_loops_paced_by_a_delay_alone_but_not_retry_back_offs() => await VerifyCS.AnalyzerAsync(InService("""
        // Throttled on purpose (an external API's rate limit), seen on a real application.
        foreach (var id in ids)
        {
            var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
            await Task.Delay(1500, ct);
        }

        // A back-off inside a catch does not pace the loop.
        foreach (var id in ids)
        {
            try
            {
                var patient = await {|#0:db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct)|};
            }
            catch (TimeoutException)
            {
                await Task.Delay(100, ct);
            }
        }
        """), VerifyCS.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));

    [Fact]
    public async Task Leaves_a_query_that_returns_or_throws_out_of_the_loop_alone() => await VerifyCS.AnalyzerAsync(InService("""
        foreach (var id in ids)
        {
            if (id <= 0)
            {
                throw new ArgumentException(await db.Patients.Select(p => p.Name).FirstAsync(ct));
            }
        }

        var results = ids.Select(async id =>
        {
            return await {|#0:db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct)|};
        });
        """, members: """
            public async Task<Patient?> FirstInvalidAsync(List<int> ids, CancellationToken ct)
            {
                foreach (var id in ids)
                {
                    if (id <= 0)
                    {
                        return await db.Patients.FirstOrDefaultAsync(p => p.Id == -id, ct);
                    }
                }

                return null;
            }
        """), VerifyCS.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));

    [Fact]
    public async Task Leaves_retry_loops_alone() => await LeavesAloneAsync("""
        var maxAttempts = ids.Count;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            try
            {
                await db.Patients.Where(p => p.DoctorId == 1).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "x"), ct);
                break;
            }
            catch (DbUpdateException)
            {
            }
        }

        var remaining = maxAttempts;
        while (remaining-- > 0)
        {
            try
            {
                var p = await LoadAsync(1, ct);
                break;
            }
            catch (TimeoutException)
            {
            }
        }
        """, """
            private async Task<Patient?> LoadAsync(int id, CancellationToken ct)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
                    }
                    catch (DbUpdateException) when (attempt++ < 3)
                    {
                        await Task.Delay(100 * attempt, ct);
                    }
                }
            }

            private async Task<int> CountWithRetryAsync(int doctorId, int attempts, CancellationToken ct)
            {
                for (var attempt = 0; attempt < attempts; attempt++)
                {
                    try
                    {
                        return await db.Patients.CountAsync(p => p.DoctorId == doctorId, ct);
                    }
                    catch (TimeoutException)
                    {
                    }
                }

                return -1;
            }
        """);

    [Fact]
    public async Task Leaves_concurrency_conflict_resolution_alone() => await LeavesAloneAsync("""
        var patient = patients[0];
        patient.Name = "renamed";
        var saved = false;
        while (!saved)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                saved = true;
            }
            catch (DbUpdateConcurrencyException conflict)
            {
                foreach (var entry in conflict.Entries)
                {
                    var current = await entry.GetDatabaseValuesAsync(ct);
                    if (current is not null)
                    {
                        entry.OriginalValues.SetValues(current);
                    }
                }
            }
        }

        bool retry;
        do
        {
            retry = false;
            try
            {
                await db.Patients.Where(p => p.Id == patient.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "x"), ct);
            }
            catch (DbUpdateException)
            {
                retry = true;
            }
        }
        while (retry);
        """);

    [Fact]
    public async Task Flags_loop_whose_counter_moves_inside_the_try() => await FlagsAsync("""
        var i = 0;
        while (i < ids.Count)
        {
            try
            {
                var p = await [|db.Patients.FindAsync(ids[i])|];
                i++;
            }
            catch (DbUpdateException)
            {
            }
        }
        """);

    [Fact]
    public async Task Flags_loop_whose_try_only_breaks_conditionally() => await FlagsAsync("""
        for (var i = 0; i < ids.Count; i++)
        {
            try
            {
                var p = [|db.Patients.Find(ids[i])|];
                if (p is null)
                {
                    break;
                }
            }
            catch (DbUpdateException)
            {
            }
        }
        """);

    [Fact]
    public async Task Leaves_polling_loop_in_background_service_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Hosting;

            public class ReminderWorker : BackgroundService
            {
                private readonly IServiceScopeFactory _scopes;
                public ReminderWorker(IServiceScopeFactory scopes) => _scopes = scopes;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        using var scope = _scopes.CreateScope();
                        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                        var due = await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow).ToListAsync(stoppingToken);
                        await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
                    }
                }
            }

            public class CleanupWorker : BackgroundService
            {
                private readonly IServiceScopeFactory _scopes;
                public CleanupWorker(IServiceScopeFactory scopes) => _scopes = scopes;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
                    while (await timer.WaitForNextTickAsync(stoppingToken))
                    {
                        using var scope = _scopes.CreateScope();
                        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                        await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow.AddYears(-5)).ExecuteDeleteAsync(stoppingToken);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_batching_loops_alone() => await LeavesAloneAsync("""
        const int pageSize = 100;
        var skip = 0;
        while (true)
        {
            var page = await db.Patients.OrderBy(p => p.Id).Skip(skip).Take(pageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            skip += page.Count;
        }

        List<Patient> batch;
        var lastId = 0;
        do
        {
            batch = await db.Patients.Where(p => p.Id > lastId).OrderBy(p => p.Id).Take(pageSize).ToListAsync(ct);
            if (batch.Count > 0)
            {
                lastId = batch[^1].Id;
            }
        }
        while (batch.Count == pageSize);

        var hasMore = true;
        var offset = 0;
        while (hasMore)
        {
            var rows = (await connection.QueryAsync<Patient>("SELECT * FROM Patients ORDER BY Id LIMIT 100 OFFSET @offset", new { offset })).ToList();
            hasMore = rows.Count == pageSize;
            offset += rows.Count;
        }

        for (var pageNumber = 0; ; pageNumber++)
        {
            var page = db.Patients.OrderBy(p => p.Id).Skip(pageNumber * pageSize).Take(pageSize).ToList();
            if (page.Count == 0) break;
        }

        var cursor = 0;
        while (cursor >= 0)
        {
            var page = await NextPageAsync(cursor, ct);
            if (page.Count == 0)
            {
                break;
            }

            cursor = page[^1].Id;
        }

        while (await db.Appointments.AnyAsync(a => a.StartsAt < DateTime.UtcNow, ct))
        {
            await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow).Take(500).ExecuteDeleteAsync(ct);
        }
        """, """
            private Task<List<Patient>> NextPageAsync(int afterId, CancellationToken ct) =>
                db.Patients.Where(p => p.Id > afterId).OrderBy(p => p.Id).Take(100).ToListAsync(ct);
        """);

    [Fact]
    public async Task Leaves_channel_consumers_alone()
    {
        const string source = """
            using System.Threading.Channels;
            using Clinic;

            public class Consumer
            {
                private readonly Channel<int> _channel = Channel.CreateUnbounded<int>();
                private readonly AppDb _db;
                public Consumer(AppDb db) => _db = db;

                public async Task ConsumeAsync(CancellationToken ct)
                {
                    await foreach (var id in _channel.Reader.ReadAllAsync(ct))
                    {
                        var p = await _db.Patients.FindAsync(id);
                    }
                }

                public async Task DrainAsync(ChannelReader<int> reader, CancellationToken ct)
                {
                    while (reader.TryRead(out var id))
                    {
                        var p = await _db.Patients.FindAsync(id);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_interface_with_two_implementations_alone()
    {
        const string source = """
            using Clinic;

            public interface IPatientSource
            {
                Task<Patient?> GetAsync(int id);
            }

            public class DbPatientSource : IPatientSource
            {
                private readonly AppDb _db;
                public DbPatientSource(AppDb db) => _db = db;
                public async Task<Patient?> GetAsync(int id) => await _db.Patients.FindAsync(id);
            }

            public class CachedPatientSource : IPatientSource
            {
                private readonly Dictionary<int, Patient> _cache = new();
                public Task<Patient?> GetAsync(int id) => Task.FromResult(_cache.TryGetValue(id, out var p) ? p : null);
            }

            public class Service
            {
                private readonly IPatientSource _source;
                public Service(IPatientSource source) => _source = source;

                public async Task RunAsync(int[] ids)
                {
                    foreach (var id in ids)
                    {
                        var p = await _source.GetAsync(id);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_methods_named_like_queries_that_do_no_io_alone() => await LeavesAloneAsync("""
        foreach (var id in ids)
        {
            var p = GetCachedPatient(id);
            var q = await FindPatientAsync(id);
            var r = QueryPatients(patients, id).ToList();
        }
        """, """
            private readonly Dictionary<int, Patient> _cache = new();
            private Patient? GetCachedPatient(int id) => _cache.TryGetValue(id, out var p) ? p : null;
            private Task<Patient?> FindPatientAsync(int id) => Task.FromResult(GetCachedPatient(id));
            private static IEnumerable<Patient> QueryPatients(List<Patient> all, int id) => all.Where(p => p.Id == id);
        """);

    [Fact]
    public async Task Leaves_query_in_a_lambda_that_does_not_run_in_the_loop_alone()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Caching.Memory;

            public class Service
            {
                private readonly AppDb _db;
                private readonly IMemoryCache _cache;
                public Service(AppDb db, IMemoryCache cache) { _db = db; _cache = cache; }

                public async Task<List<Patient?>> RunAsync(int[] ids)
                {
                    var result = new List<Patient?>();
                    var loaders = new List<Func<Task<Patient?>>>();
                    foreach (var id in ids)
                    {
                        result.Add(await _cache.GetOrCreateAsync($"patient:{id}", entry => _db.Patients.FirstOrDefaultAsync(p => p.Id == id)));
                        loaders.Add(() => _db.Patients.FirstOrDefaultAsync(p => p.Id == id));
                        Func<Patient?> later = () => _db.Patients.Find(id);
                    }
                    return result;
                }

                public async Task<Patient?> CachedAsync(int id) =>
                    await _cache.GetOrCreateAsync(id, entry => _db.Patients.FirstOrDefaultAsync(p => p.Id == id));

                public async Task WarmAsync(int[] ids)
                {
                    foreach (var id in ids)
                    {
                        await CachedAsync(id);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_correlated_subquery_in_a_projection_alone() => await LeavesAloneAsync("""
        var rows = await db.Doctors
            .Select(d => new { d.Name, Counts = d.Patients.Select(p => db.Appointments.Count(a => a.PatientId == p.Id)).ToList() })
            .ToListAsync(ct);
        var booked = await db.Patients.Where(p => ids.Any(id => db.Appointments.Any(a => a.PatientId == id))).ToListAsync(ct);
        """);

    [Fact]
    public async Task Leaves_code_without_a_database_library_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public int Run(List<int> ids)
                {
                    var total = 0;
                    foreach (var id in ids)
                    {
                        total += ids.Count(x => x == id);
                    }
                    return total;
                }
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- half-typed code

    [Theory]
    [InlineData("foreach (var id in ids) { var p = db.Patients.FindMissing(id); Unknown(id); }")]
    [InlineData("foreach (var id in ids) { var p = [|db.Patients.Find(id)|] }")]
    [InlineData("foreach (var x in ) { db.Patients.Find(x); }")]
    [InlineData("foreach (var x in missing) { var p = await db.Patients.FindAsync(x.Id); }")]
    [InlineData("for (var i = \"a\"; i < 3; i++) { [|db.Patients.Find(i)|]; }")]
    [InlineData("for (var i = 0; i < ; i++) { [|db.Patients.Find(i)|]; }")]
    [InlineData("while () { [|db.Patients.Find(1)|]; }")]
    [InlineData("do { [|db.Patients.Find(1)|]; } while ();")]
    [InlineData("foreach (var id in ids) { var p = await repo.GetAsync(id); }")]
    [InlineData("foreach (var id in ids) { var p = await db.Patients.Where(p => p.Missing == id).FirstAsync(); }")]
    [InlineData("ids.ForEach(id => db.Patients.Find(id, ));")]
    [InlineData("ids.Select(Missing).ToList();")]
    [InlineData("foreach (var id in ids) { await [|Helper(id)|]; } async Task Helper(int id) { await db.Patients.FindAsync(id) }")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        // The harness reports AD0001 when the analyzer throws; the markup says what it still finds.
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        await test.RunAsync();
    }
}
