using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.RequestModelNotValidatedAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Validation.RequestModelNotValidatedAnalyzer, BackendAnalyzers.CodeFixes.Validation.RequestModelNotValidatedCodeFix>;

namespace BackendAnalyzers.Tests.Validation;

public class BA1001_RequestModelNotValidatedTests
{
    private const string Models = """

        namespace Requests
        {
            using System.ComponentModel.DataAnnotations;

            public class CreatePatient
            {
                [Required, StringLength(100)]
                public string Name { get; set; } = "";

                [EmailAddress]
                public string Email { get; set; } = "";
            }

            public record RenamePatient([Required] string Name);

            public class PlainPatient
            {
                public string? Name { get; set; }
                public string? Email { get; set; }
                public int Age { get; set; }
            }

            public class SelfChecking : IValidatableObject
            {
                public string Name { get; set; } = "";

                public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
                {
                    if (Name.Length == 0)
                    {
                        yield return new ValidationResult("Name is required");
                    }
                }
            }

            public class Address
            {
                [Required]
                public string Street { get; set; } = "";
            }

            public class Move
            {
                public string Note { get; set; } = "";
                public Address Address { get; set; } = new();
            }

            public class Toggle
            {
                public bool Enabled { get; set; }
            }
        }
        """;

    [Fact]
    public async Task Flags_controller_models_that_nothing_validates()
    {
        const string source = """
            using Requests;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(CreatePatient request) => Ok();

                [HttpPost("plain")]
                public IActionResult CreatePlain(PlainPatient {|#0:request|}) => Ok();

                [HttpPut("{id}")]
                public IActionResult Rename(int id, RenamePatient body) => NoContent();

                [HttpPost("check")]
                public IActionResult Check(SelfChecking body) => Ok();

                [HttpPost("move")]
                public IActionResult Relocate(Move move) => Ok();

                [HttpPost("toggle")]
                public IActionResult Flip(Toggle toggle) => Ok();

                [HttpPost("many")]
                public IActionResult CreateMany([FromBody] List<PlainPatient> [|patients|]) => Ok();
            }

            public class LegacyController : Controller
            {
                [HttpPost]
                public IActionResult Create(CreatePatient [|request|]) => View();

                [HttpPost]
                public IActionResult Save(PlainPatient [|request|]) => View();
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("PlainPatient", "it has no validation attributes, is not IValidatableObject and no validator exists for it"));
    }

    [Fact]
    public async Task A_validation_call_in_a_service_the_model_is_passed_to_counts()
    {
        const string source = """
            using Requests;

            public interface IPatientValidator { void ValidateNew(PlainPatient patient); }
            public sealed class PatientValidator : IPatientValidator
            {
                public void ValidateNew(PlainPatient patient)
                {
                    if (string.IsNullOrEmpty(patient.Name)) throw new ArgumentException("Name is required");
                }
            }

            public interface IPatientService { int Add(PlainPatient patient); int Import(PlainPatient patient); }
            public sealed class PatientService : IPatientService
            {
                private readonly IPatientValidator _validator;
                public PatientService(IPatientValidator validator) => _validator = validator;
                public int Add(PlainPatient patient) { _validator.ValidateNew(patient); return 1; }
                public int Import(PlainPatient patient) => Store(patient);
                private static int Store(PlainPatient patient) => patient.Age;
            }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                private readonly IPatientService _service;
                public PatientsController(IPatientService service) => _service = service;

                [HttpPost]
                public IActionResult Create(PlainPatient patient) => Ok(_service.Add(patient));

                [HttpPost("import")]
                public IActionResult Import(PlainPatient {|#0:patient|}) => Ok(_service.Import(patient));

                [HttpPost("copy")]
                public IActionResult Copy(PlainPatient {|#1:patient|}) => Ok(_service.Add(new PlainPatient { Name = patient.Name }));
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("PlainPatient", "it has no validation attributes, is not IValidatableObject and no validator exists for it"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("PlainPatient", "it has no validation attributes, is not IValidatableObject and no validator exists for it"));
    }

    [Fact]
    public async Task Required_members_and_implicitly_required_properties_count()
    {
        // Seen on a real application: System.Text.Json rejects a body without a required member (a 400 in MVC and in
        // minimal APIs), and MVC treats non-nullable reference properties as [Required] when nullable types are on.
        const string source = """
            public class UploadFile
            {
                public required int Id { get; set; }
                public required string Url { get; set; }
                public bool Lock { get; set; }
            }

            public class Login
            {
                public string Username { get; set; } = default!;
                public string? ApiKey { get; set; }
            }

            public class Counter
            {
                public int Value { get; set; }
                public string? Note { get; set; }
            }

            [ApiController, Route("files")]
            public class FilesController : ControllerBase
            {
                [HttpPost] public IActionResult Upload(UploadFile file) => Ok();
                [HttpPost("login")] public IActionResult SignIn(Login login) => Ok();
                [HttpPost("count")] public IActionResult Count(Counter {|#0:counter|}) => Ok();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/files", (UploadFile file) => Results.Ok());
                    app.MapPost("/login", (Login {|#1:login|}) => Results.Ok());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Counter", "it has no validation attributes, is not IValidatableObject and no validator exists for it"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Login", "it has no validation attributes, is not IValidatableObject and no validator or endpoint filter checks it"));
    }

    [Fact]
    public async Task Flags_minimal_api_models_without_add_validation_or_filter()
    {
        const string source = """
            using Requests;

            public static class PatientEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", (CreatePatient [|request|]) => Results.Ok());

                    var group = app.MapGroup("/api").WithTags("Api");
                    group.MapPut("/patients/{id}", (int id, PlainPatient [|request|], CancellationToken cancellationToken) => Results.NoContent());
                    group.MapPost("/patients/rename", Rename);
                }

                private static IResult Rename(RenamePatient [|request|]) => Results.Ok();
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Add_validation_enforces_attributes_on_minimal_api_models_but_not_missing_ones()
    {
        const string source = """
            using Requests;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddValidation();
                    var app = builder.Build();
                    app.MapPost("/patients", (CreatePatient request) => Results.Ok());
                    app.MapPost("/patients/rename", (RenamePatient request) => Results.Ok());
                    app.MapPost("/patients/move", (Move request) => Results.Ok());
                    app.MapPost("/patients/plain", (PlainPatient [|request|]) => Results.Ok());
                    app.MapPost("/patients/unchecked", (CreatePatient [|request|]) => Results.Ok()).DisableValidation();
                    app.Run();
                }
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Endpoint_filters_on_the_endpoint_or_an_enclosing_group_count()
    {
        const string source = """
            using Requests;

            public sealed class ValidationFilter : IEndpointFilter
            {
                public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) => next(context);
            }

            public static class PatientEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", (PlainPatient request) => Results.Ok()).AddEndpointFilter<ValidationFilter>();

                    var group = app.MapGroup("/api").AddEndpointFilter<ValidationFilter>();
                    group.MapPost("/patients", (PlainPatient request) => Results.Ok());

                    var other = app.MapGroup("/other");
                    other.AddEndpointFilter<ValidationFilter>();
                    other.MapPost("/patients", (CreatePatient request) => Results.Ok());

                    app.MapGroup("/v2").AddEndpointFilter<ValidationFilter>().MapPost("/patients", (PlainPatient request) => Results.Ok());
                }
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Fluent_validation_validators_and_validator_calls_count()
    {
        const string source = """
            using FluentValidation;
            using Requests;

            public sealed class PlainPatientValidator : AbstractValidator<PlainPatient>
            {
                public PlainPatientValidator() => RuleFor(p => p.Name).NotEmpty();
            }

            public class Note
            {
                public string Text { get; set; } = "";
            }

            public class Other
            {
                public string Text { get; set; } = "";
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/patients", (PlainPatient request) => Results.Ok());
                    app.MapPost("/notes", async (Note note, IValidator<Note> validator) =>
                    {
                        var result = await validator.ValidateAsync(note);
                        return result.IsValid ? Results.Ok() : Results.ValidationProblem(result.ToDictionary());
                    });
                    app.MapPost("/others", (Other other) =>
                    {
                        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
                        return System.ComponentModel.DataAnnotations.Validator.TryValidateObject(other, new System.ComponentModel.DataAnnotations.ValidationContext(other), errors, true)
                            ? Results.Ok()
                            : Results.BadRequest();
                    });
                }
            }

            [ApiController]
            [Route("notes")]
            public class NotesController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(PlainPatient patient) => Ok();
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_validator_of_the_command_that_wraps_the_model_counts()
    {
        // MediatR style, seen in a real app: the action binds Model, sends new Command(model, slug), and the
        // validator is written for Command (RuleFor(x => x.Model.Title)).
        const string source = """
            using FluentValidation;

            public static class EditArticle
            {
                public record Model(string Title, string Body);
                public record Command(Model Model, string Slug);

                public class CommandValidator : AbstractValidator<Command>
                {
                    public CommandValidator() => RuleFor(x => x.Model.Title).NotEmpty();
                }
            }

            public record Unwrapped(string Title);

            [Route("articles")]
            public class ArticlesController : ControllerBase
            {
                [HttpPut("{slug}")]
                public IActionResult Edit(string slug, [FromBody] EditArticle.Model model) => Ok(new EditArticle.Command(model, slug));

                [HttpPost]
                public IActionResult Create([FromBody] Unwrapped {|#0:model|}) => Ok(model);
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("Unwrapped", "it has no validation attributes, is not IValidatableObject and no validator exists for it"));
    }

    [Fact]
    public async Task Model_state_reads_and_filters_count_in_controllers()
    {
        const string source = """
            using Requests;
            using Microsoft.AspNetCore.Mvc.Filters;

            public class PatientsController : Controller
            {
                [HttpPost]
                public IActionResult Create(CreatePatient request)
                {
                    if (!ModelState.IsValid)
                    {
                        return View(request);
                    }

                    return RedirectToAction("Index");
                }

                [HttpPost]
                public IActionResult Save(PlainPatient request)
                {
                    if (!TryValidateModel(request))
                    {
                        return View(request);
                    }

                    return Ok();
                }

                [HttpPost]
                [ValidateModel]
                public IActionResult Update(CreatePatient request) => Ok();
            }

            public sealed class ValidateModelAttribute : ActionFilterAttribute { }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_global_model_state_filter_enforces_attributes_everywhere()
    {
        const string source = """
            using Requests;
            using Microsoft.AspNetCore.Mvc.Filters;

            public sealed class RejectInvalidModels : IActionFilter
            {
                public void OnActionExecuting(ActionExecutingContext context)
                {
                    if (!context.ModelState.IsValid)
                    {
                        context.Result = new BadRequestObjectResult(context.ModelState);
                    }
                }

                public void OnActionExecuted(ActionExecutedContext context) { }
            }

            public class PatientsController : Controller
            {
                [HttpPost]
                public IActionResult Create(CreatePatient request) => Ok();
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Assembly_level_api_controller_enforces_attributes()
    {
        const string source = """
            using Requests;

            [assembly: ApiController]

            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(CreatePatient request) => Ok();
            }

            [ApiController]
            public abstract class ApiBase : ControllerBase { }

            [Route("doctors")]
            public class DoctorsController : ApiBase
            {
                [HttpPost]
                public IActionResult Create(RenamePatient request) => Ok();
            }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_services_simple_values_files_and_framework_types_alone()
    {
        const string source = """
            using Requests;
            using Clinic;

            public interface IPatientService { }

            public class PatientService { public string Name { get; set; } = ""; }

            public class Query { public string Term { get; set; } = ""; }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost("{id}")]
                public IActionResult Upload(int id, string name, IFormFile file, IFormFileCollection files, CancellationToken cancellationToken,
                    [FromServices] PlainPatient fromServices, IPatientService service, PatientService concrete, [FromQuery] Query query,
                    [FromBody] Dictionary<string, string> values, [FromBody] object raw) => Ok();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/upload", (HttpContext context, HttpRequest request, IFormFile file, AppDb db, [AsParameters] Query query, ClaimsPrincipalHolder holder) => Results.Ok());
                }
            }

            public interface ClaimsPrincipalHolder { }
            """ + Models;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        const string source = """
            using Requests;

            public class PatientsController : Controller
            {
                [HttpPost]
                public IActionResult Create(Missing request, CreatePatient [|other|])
                {
                    if (!ModelState.IsVal
                    return Ok()
                }

                [HttpPost]
                public IActionResult Save(PlainPatient [|request|]) => Ok(
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/x", (Unknown u, PlainPatient [|p|]) => );
                    app.MapPost(
                }
            }
            """ + Models;
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(source);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_inserts_a_model_state_check_in_actions_of_controllers_without_api_controller()
    {
        const string source = """
            using Requests;

            public class PatientsController : Controller
            {
                [HttpPost]
                public IActionResult Create(CreatePatient {|#0:request|})
                {
                    return Ok();
                }

                [HttpPost]
                public async Task<ActionResult<int>> Rename(RenamePatient {|#1:request|}, CreatePatient {|#2:other|})
                {
                    await Task.Yield();
                    return 1;
                }

                [HttpPost]
                public string Text(CreatePatient {|#3:request|})
                {
                    return "";
                }
            }
            """ + Models;
        const string fixedSource = """
            using Requests;

            public class PatientsController : Controller
            {
                [HttpPost]
                public IActionResult Create(CreatePatient request)
                {
                    if (!ModelState.IsValid)
                    {
                        return ValidationProblem(ModelState);
                    }

                    return Ok();
                }

                [HttpPost]
                public async Task<ActionResult<int>> Rename(RenamePatient request, CreatePatient other)
                {
                    if (!ModelState.IsValid)
                    {
                        return ValidationProblem(ModelState);
                    }

                    await Task.Yield();
                    return 1;
                }

                [HttpPost]
                public string Text(CreatePatient {|#3:request|})
                {
                    return "";
                }
            }
            """ + Models;
        const string reason = "the controller has no [ApiController] and the action never checks ModelState.IsValid, so its validation attributes are not enforced";
        var test = new VerifyFix.CodeFixTest();
        test.TestState.Sources.Add(source);
        test.FixedState.Sources.Add(fixedSource);
        test.AddDefaults(null);
        test.TestState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("CreatePatient", reason));
        test.TestState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(1).WithArguments("RenamePatient", reason));
        test.TestState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(2).WithArguments("CreatePatient", reason));
        test.TestState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(3).WithArguments("CreatePatient", reason));
        test.FixedState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(3).WithArguments("CreatePatient", reason));
        await test.RunAsync();
    }
}
