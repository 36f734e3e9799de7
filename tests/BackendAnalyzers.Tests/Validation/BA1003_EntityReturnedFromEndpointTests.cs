using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.EntityReturnedFromEndpointAnalyzer>;

namespace BackendAnalyzers.Tests.Validation;

public class BA1003_EntityReturnedFromEndpointTests
{
    [Fact]
    public async Task Flags_controller_actions_returning_entities()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;

                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<Patient>>> List() => {|#0:await _db.Patients.ToListAsync()|};

                [HttpGet("{id}")]
                public async Task<IActionResult> Get(int id)
                {
                    var patient = await _db.Patients.FindAsync(id);
                    if (patient is null)
                    {
                        return NotFound();
                    }

                    return Ok([|patient|]);
                }

                [HttpGet("{id}/doctor")]
                public async Task<ActionResult<Doctor>> GetDoctor(int id) =>
                    await _db.Doctors.FirstOrDefaultAsync(d => d.DoctorId == id) is { } doctor ? [|doctor|] : NotFound();

                [HttpGet("query")]
                public IQueryable<Appointment> Query() => [|_db.Appointments.Where(a => a.PatientId > 0)|];

                [HttpGet("array")]
                public Country[] Countries() => [|_db.Countries.ToArray()|];

                [HttpGet("twice")]
                public IActionResult Twice(bool all)
                {
                    if (all)
                    {
                        return Ok([|_db.Patients.ToList()|]);
                    }

                    return Ok(_db.Patients.First());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Patient", " (a collection of them)"));
    }

    [Fact]
    public async Task Flags_minimal_apis_returning_entities()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", async (AppDb db) => [|await db.Patients.ToListAsync()|]);
                    app.MapGet("/patients/{id}", async (int id, AppDb db) =>
                        await db.Patients.FindAsync(id) is { } patient ? Results.Ok([|patient|]) : Results.NotFound());

                    var group = app.MapGroup("/api");
                    group.MapGet("/doctors/{id}", async Task<Results<Ok<Doctor>, NotFound>> (int id, AppDb db) =>
                    {
                        var doctor = await db.Doctors.FindAsync(id);
                        return doctor is null ? TypedResults.NotFound() : TypedResults.Ok([|doctor|]);
                    });
                    group.MapGet("/appointments", [|ListAppointments|]);
                    app.MapGet("/countries", (AppDb db) => [|db.Countries|]);
                }

                private static Task<List<Appointment>> ListAppointments(AppDb db) => db.Appointments.ToListAsync();
            }
            """;
        await VerifyCS.AnalyzerAsync("using Microsoft.AspNetCore.Http.HttpResults;\n" + source);
    }

    [Fact]
    public async Task Leaves_projections_and_dtos_alone()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly AppDb _db;

                public PatientsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<ActionResult<List<PatientDto>>> List() =>
                    await _db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToListAsync();

                [HttpGet("anonymous")]
                public async Task<IActionResult> Anonymous() =>
                    Ok(await _db.Patients.Select(p => new { p.Id, p.Name }).ToListAsync());

                [HttpGet("{id}")]
                public async Task<IActionResult> Get(int id)
                {
                    var patient = await _db.Patients.FindAsync(id);
                    return patient is null ? NotFound() : Ok(new PatientDto(patient.Id, patient.Name));
                }

                [HttpGet("count")]
                public Task<int> Count() => _db.Patients.CountAsync();

                [HttpGet("names")]
                public List<string> Names() => _db.Patients.Select(p => p.Name).ToList();

                [HttpPost]
                public async Task<IActionResult> Create(PatientDto dto)
                {
                    var patient = new Patient { Name = dto.Name };
                    _db.Patients.Add(patient);
                    await _db.SaveChangesAsync();
                    return CreatedAtAction(nameof(Get), new { id = patient.Id }, new PatientDto(patient.Id, patient.Name));
                }
            }

            public class PatientService
            {
                public Patient? Find(AppDb db, int id) => db.Patients.Find(id);
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/patients", (AppDb db) => db.Patients.Select(p => new PatientDto(p.Id, p.Name)).ToListAsync());
                    app.MapGet("/lookup", (AppDb db) => db.Countries.ToDictionary(c => c.Id, c => c.Name));
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
                public Missing Get(AppDb db) => db.Patients.Count(

                [HttpGet("x")]
                public IActionResult Other(AppDb db) { return Ok(db.Unknown.ToList()); }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/x", (Unknown u) => u.Patients);
                    app.MapGet(
                }
            }
            """;
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(source);
        test.AddDefaults(null);
        await test.RunAsync();
    }
}
