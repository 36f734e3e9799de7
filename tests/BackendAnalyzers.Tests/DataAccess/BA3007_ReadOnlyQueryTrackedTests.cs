using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.ReadOnlyQueryTrackedAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.ReadOnlyQueryTrackedAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.ReadOnlyQueryTrackedCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3007_ReadOnlyQueryTrackedTests
{
    private static DiagnosticResult Diagnostic(int location, string op, string entity) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(op, entity).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string InService(string members) => $$"""
        using Clinic;

        public class PatientService
        {
            private readonly AppDb db;
            private List<Patient> cache = new();
            public PatientService(AppDb db) => this.db = db;

        {{members}}

            private static void Audit(object value) { }
        }
        """;

    // ---------------------------------------------------------------- flags

    [Fact]
    public async Task Flags_queries_returned_by_GET_controller_actions() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        [ApiController]
        [Route("patients")]
        public class PatientsController : ControllerBase
        {
            private readonly AppDb _db;
            public PatientsController(AppDb db) => _db = db;

            [HttpGet]
            public async Task<List<Patient>> List(int doctorId, CancellationToken ct) =>
                await _db.Patients.Where(p => p.DoctorId == doctorId).OrderBy(p => p.Name).{|#0:ToListAsync(ct)|};

            [HttpGet("{id:int}")]
            public async Task<ActionResult<Patient>> Get(int id, CancellationToken ct)
            {
                var patient = await _db.Patients.Include(p => p.Appointments).{|#1:FirstOrDefaultAsync(p => p.Id == id, ct)|};
                if (patient is null)
                {
                    return NotFound();
                }

                return Ok(patient);
            }

            [HttpGet("search")]
            public IActionResult Search(string? name)
            {
                var query = _db.Patients.AsQueryable();
                if (name is not null)
                {
                    query = query.Where(p => p.Name.StartsWith(name));
                }

                var found = query.{|#2:ToList()|};
                return Ok(found.Select(p => new PatientDto(p.Id, p.Name)));
            }
        }
        """, Diagnostic(0, "ToListAsync", "Patient"), Diagnostic(1, "FirstOrDefaultAsync", "Patient"), Diagnostic(2, "ToList", "Patient"));

    [Fact]
    public async Task Flags_minimal_API_GET_handlers_but_not_the_POST_beside_them() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        public static class DoctorEndpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/doctors", async (AppDb db, CancellationToken ct) => await db.Doctors.{|#0:ToListAsync(ct)|});
                app.MapGet("/doctors/{id}", (int id, AppDb db) => db.Set<Doctor>().{|#1:SingleOrDefault(d => d.DoctorId == id)|});
                app.MapPost("/doctors/{id}/rename", async (int id, string name, AppDb db) =>
                {
                    var doctor = await db.Doctors.FirstAsync(d => d.DoctorId == id);
                    doctor.Name = name;
                    await db.SaveChangesAsync();
                    return Results.NoContent();
                });
            }
        }
        """, Diagnostic(0, "ToListAsync", "Doctor"), Diagnostic(1, "SingleOrDefault", "Doctor"));

    [Fact]
    public async Task Flags_service_methods_that_only_read_what_they_load() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task<PatientDto?> FindAsync(int id, CancellationToken ct)
            {
                var patient = await db.Patients.{|#0:FirstOrDefaultAsync(p => p.Id == id, ct)|};
                return patient is null ? null : new PatientDto(patient.Id, patient.Name);
            }

            public int CountWithAppointments()
            {
                var patients = db.Patients.Include(p => p.Appointments).{|#1:ToList()|};
                var count = 0;
                foreach (var patient in patients)
                {
                    if (patient.Appointments.Count > 0 && patient.Name != "")
                    {
                        count++;
                    }
                }

                return count;
            }

            public async Task<List<string>> NamesAsync(CancellationToken ct)
            {
                var doctors = await db.Doctors.Where(d => d.Name != "").{|#2:ToArrayAsync(ct)|};
                return doctors.Where(d => d.Patients.Count > 2).Select(d => d.Name).ToList();
            }
        """), Diagnostic(0, "FirstOrDefaultAsync", "Patient"), Diagnostic(1, "ToList", "Patient"), Diagnostic(2, "ToArrayAsync", "Doctor"));

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_queries_that_state_their_tracking_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public int Run()
            {
                var a = db.Patients.AsNoTracking().ToList();
                var b = db.Patients.Where(p => p.Id > 3).AsNoTrackingWithIdentityResolution().ToList();
                var c = db.Patients.AsTracking().ToList();
                return a.Count + b.Count + c.Count;
            }
        """));

    [Fact]
    public async Task Leaves_projections_Find_and_in_memory_queries_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task<int> RunAsync(List<Patient> patients, IQueryable<Patient> source, CancellationToken ct)
            {
                var names = await db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToListAsync(ct);
                var ids = db.Patients.Select(p => p.Id).ToList();
                var found = await db.Patients.FindAsync(new object[] { 1 }, ct);
                var local = patients.Where(p => p.Id > 1).ToList();
                var unknown = source.ToList();
                var count = await db.Patients.CountAsync(ct);
                var grouped = db.Patients.GroupBy(p => p.DoctorId).Select(g => g.Key).ToList();
                return names.Count + ids.Count + local.Count + unknown.Count + count + grouped.Count + (found is null ? 0 : 1);
            }
        """));

    [Fact]
    public async Task Leaves_queries_whose_results_are_changed_or_saved_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task RenameAsync(int id, string name, CancellationToken ct)
            {
                var patient = await db.Patients.FirstAsync(p => p.Id == id, ct);
                patient.Name = name;
                await db.SaveChangesAsync(ct);
            }

            public void RenameWithoutSaving(int id, string name)
            {
                // The caller saves: the change must be tracked.
                var patient = db.Patients.First(p => p.Id == id);
                patient.Name = name;
            }

            public void Reassign(int from, int to)
            {
                var patients = db.Patients.Where(p => p.DoctorId == from).ToList();
                foreach (var patient in patients)
                {
                    patient.DoctorId = to;
                }
            }

            public void ClearEmails()
            {
                var patients = db.Patients.ToList();
                patients.ForEach(p => p.Email = "");
            }

            public void Delete(int doctorId)
            {
                var appointments = db.Appointments.Where(a => a.Patient!.DoctorId == doctorId).ToList();
                db.Appointments.RemoveRange(appointments);
            }

            public void Detach(int id)
            {
                var patient = db.Patients.Single(p => p.Id == id);
                db.Entry(patient).State = EntityState.Detached;
            }

            public void UpdateLater(int id)
            {
                var doctor = db.Doctors.Single(d => d.DoctorId == id);
                db.Update(doctor);
            }

            public void AddAppointment(int id)
            {
                var patient = db.Patients.Include(p => p.Appointments).Single(p => p.Id == id);
                patient.Appointments.Add(new Appointment { StartsAt = DateTime.UtcNow });
            }
        """));

    [Fact]
    public async Task Leaves_results_that_leave_a_non_endpoint_method_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public Task<List<Patient>> ForDoctorAsync(int doctorId, CancellationToken ct) =>
                db.Patients.Where(p => p.DoctorId == doctorId).ToListAsync(ct);

            public async Task<Patient?> GetAsync(int id, CancellationToken ct)
            {
                var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
                return patient;
            }

            public void Warm()
            {
                cache = db.Patients.ToList();
            }

            public void Log()
            {
                var patient = db.Patients.First();
                Audit(patient);
            }

            public IEnumerable<Patient> Stream()
            {
                foreach (var patient in db.Patients.ToList())
                {
                    yield return patient;
                }
            }

            public (int, Patient) Pair() => (1, db.Patients.First());
        """));

    [Fact]
    public async Task Leaves_a_GET_endpoint_that_saves_through_a_service_alone() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        public class VisitLog
        {
            private readonly AppDb _db;
            public VisitLog(AppDb db) => _db = db;
            public void Record(Patient patient) => _db.SaveChanges();
        }

        [ApiController]
        [Route("patients")]
        public class PatientsController : ControllerBase
        {
            private readonly AppDb _db;
            private readonly VisitLog _log;
            public PatientsController(AppDb db, VisitLog log) { _db = db; _log = log; }

            [HttpGet("{id}")]
            public Patient Get(int id)
            {
                var patient = _db.Patients.First(p => p.Id == id);
                _log.Record(patient);
                return patient;
            }
        }
        """);

    [Fact]
    public async Task Leaves_a_model_with_global_no_tracking_alone() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        public class ReadDb : DbContext
        {
            public DbSet<Country> Countries => Set<Country>();
            protected override void OnConfiguring(DbContextOptionsBuilder options) =>
                options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        }

        public class Service
        {
            public int Count(AppDb db) => db.Patients.ToList().Count;
        }
        """);

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public int Run(List<int> ids) => ids.AsQueryable().Where(i => i > 1).ToList().Count;
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("var r = db.Patients.Where(p => p.Id == ).{|#0:ToList()|};", "ToList")]
    [InlineData("var r = db.Patients.{|#0:ToList()|}", "ToList")]
    [InlineData("var r = db.Missing.ToList(); var s = db.Patients.Where(p => p.Name.).{|#0:First()|};", "First")]
    [InlineData("Unknown x = db.Patients.First(); x.Name = 1;", null)]
    [InlineData("var x = db.Patients.First(); x.Missing = 1;", null)]
    [InlineData("var x = db.Patients.First(; x.Name = \"\";", null)]
    public async Task Does_not_throw_on_half_typed_code(string statements, string? op)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService($$"""
                public void Run()
                {
                    {{statements}}
                }
            """));
        test.AddDefaults(null);
        if (op is not null)
        {
            test.ExpectedDiagnostics.Add(Diagnostic(0, op, "Patient"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    [Fact]
    public async Task Fix_adds_AsNoTracking_after_the_DbSet_to_each_query_of_a_file() => await VerifyFix.CodeFixAsync(
        """
        using Clinic;

        [ApiController]
        [Route("patients")]
        public class PatientsController : ControllerBase
        {
            private readonly AppDb _db;
            public PatientsController(AppDb db) => _db = db;

            [HttpGet]
            public async Task<List<Patient>> List(int doctorId, CancellationToken ct) =>
                await _db.Patients
                    .Where(p => p.DoctorId == doctorId)
                    .OrderBy(p => p.Name)
                    .{|#0:ToListAsync(ct)|};

            [HttpGet("{id}")]
            public Patient? Get(int id) => _db.Patients.{|#1:FirstOrDefault(p => p.Id == id)|};

            [HttpGet("raw")]
            public List<Patient> Raw() => _db.Patients.FromSqlRaw("SELECT * FROM Patients").Where(p => p.Id > 0).{|#2:ToList()|};
        }
        """,
        """
        using Clinic;

        [ApiController]
        [Route("patients")]
        public class PatientsController : ControllerBase
        {
            private readonly AppDb _db;
            public PatientsController(AppDb db) => _db = db;

            [HttpGet]
            public async Task<List<Patient>> List(int doctorId, CancellationToken ct) =>
                await _db.Patients
                    .AsNoTracking()
                    .Where(p => p.DoctorId == doctorId)
                    .OrderBy(p => p.Name)
                    .ToListAsync(ct);

            [HttpGet("{id}")]
            public Patient? Get(int id) => _db.Patients.AsNoTracking().FirstOrDefault(p => p.Id == id);

            [HttpGet("raw")]
            public List<Patient> Raw() => _db.Patients.FromSqlRaw("SELECT * FROM Patients").AsNoTracking().Where(p => p.Id > 0).ToList();
        }
        """,
        Diagnostic(0, "ToListAsync", "Patient"), Diagnostic(1, "FirstOrDefault", "Patient"), Diagnostic(2, "ToList", "Patient"));

    [Fact]
    public async Task Fix_on_a_query_built_in_a_local_goes_before_the_materializing_call() => await VerifyFix.CodeFixAsync(
        InService("""
            public int Count(string? name)
            {
                var query = db.Patients.Where(p => p.Id > 0);
                if (name is not null)
                {
                    query = query.Where(p => p.Name == name);
                }

                var first = query.{|#0:First()|};
                var all = query.{|#1:ToList()|};
                return all.Count + first.Id;
            }
        """),
        InService("""
            public int Count(string? name)
            {
                var query = db.Patients.Where(p => p.Id > 0);
                if (name is not null)
                {
                    query = query.Where(p => p.Name == name);
                }

                var first = query.AsNoTracking().First();
                var all = query.AsNoTracking().ToList();
                return all.Count + first.Id;
            }
        """),
        Diagnostic(0, "First", "Patient"), Diagnostic(1, "ToList", "Patient"));
}
