using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.EntityBoundAsRequestModelAnalyzer>;

namespace BackendAnalyzers.Tests.Validation;

public class BA1002_EntityBoundAsRequestModelTests
{
    [Fact]
    public async Task Flags_entities_bound_from_the_body_in_controllers()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(Patient {|#0:patient|}) => Ok();

                [HttpPut("{id}")]
                public IActionResult Update(int id, [FromBody] Patient [|patient|]) => NoContent();

                [HttpPost("many")]
                public IActionResult Import(List<Appointment> [|appointments|]) => Ok();

                [HttpPost("form")]
                public IActionResult FromForm([FromForm] Doctor [|doctor|]) => Ok();
            }

            public class LegacyController : Controller
            {
                [HttpPost]
                public IActionResult Save(Country [|country|]) => View();
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("patient", "Patient"));
    }

    [Fact]
    public async Task Flags_entities_bound_in_minimal_apis_and_groups()
    {
        const string source = """
            using Clinic;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", async (Patient [|patient|], AppDb db) =>
                    {
                        db.Patients.Add(patient);
                        await db.SaveChangesAsync();
                        return Results.Created($"/patients/{patient.Id}", patient.Id);
                    });

                    var group = app.MapGroup("/api");
                    group.MapPut("/doctors/{id}", (int id, Doctor [|doctor|]) => Results.NoContent());
                    group.MapPost("/appointments", Book);
                }

                private static IResult Book(Appointment [|appointment|]) => Results.Ok();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_dtos_services_and_non_body_sources_alone()
    {
        const string source = """
            using Clinic;

            public class PatientForm { public string Name { get; set; } = ""; }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(PatientDto patient, PatientForm form, [FromServices] Patient current, AppDb db, [FromQuery] int id) => Ok();

                [HttpGet("{id}")]
                public Patient? Get(int id, [FromRoute] int other) => null;
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", (PatientDto patient, [FromServices] Doctor doctor, [AsParameters] PatientForm form) => Results.Ok());
                }
            }

            public class NotAController
            {
                public void Save(Patient patient) { }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Entities_configured_in_OnModelCreating_or_configurations_count()
    {
        const string source = """
            public class Invoice { public int Id { get; set; } public decimal Amount { get; set; } }

            public class Refund { public int Id { get; set; } public decimal Amount { get; set; } }

            public class BillingDb : DbContext
            {
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Invoice>().HasKey(i => i.Id);
            }

            public class RefundConfiguration : IEntityTypeConfiguration<Refund>
            {
                public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Refund> builder) => builder.HasKey(r => r.Id);
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/invoices", (Invoice [|invoice|]) => Results.Ok());
                    app.MapPost("/refunds", (Refund [|refund|]) => Results.Ok());
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
                [HttpPost]
                public IActionResult Create(Patient [|patient|], Missing other) => Ok(

                [HttpPost]
                public IActionResult Save(
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/x", (Unknown u) => );
                    app.MapPost(
                }
            }
            """;
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(source);
        test.AddDefaults(null);
        await test.RunAsync();
    }
}
