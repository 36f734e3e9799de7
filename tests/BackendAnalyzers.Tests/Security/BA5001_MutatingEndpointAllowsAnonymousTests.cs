using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.MutatingEndpointAllowsAnonymousAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.MutatingEndpointAllowsAnonymousAnalyzer, BackendAnalyzers.CodeFixes.Security.MutatingEndpointAllowsAnonymousCodeFix>;

namespace BackendAnalyzers.Tests.Security;

public class BA5001_MutatingEndpointAllowsAnonymousTests
{
    private const string Startup = """
        public static class Startup
        {
            public static void Services(IServiceCollection services) => services.AddAuthorization();
        }

        """;

    private const string Message = "The {0} endpoint '{1}' changes data but no authorization applies to it; require authorization, or mark it [AllowAnonymous] if it is meant to be public";

    [Fact]
    public async Task Flags_controller_actions_without_a_requirement()
    {
        const string source = """
            using Clinic;
            using Microsoft.AspNetCore.Authorization;

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpGet]
                public IActionResult List() => Ok();

                [HttpPost]
                public IActionResult {|#0:Create|}(PatientDto patient) => Ok();

                [HttpDelete("{id}")]
                public IActionResult {|#1:Delete|}(int id) => NoContent();

                [HttpPut("{id}")]
                [Authorize(Roles = "Admin")]
                public IActionResult Update(int id, PatientDto patient) => NoContent();

                [HttpPost("contact")]
                [AllowAnonymous]
                public IActionResult Contact(PatientDto message) => Accepted();
            }

            [Authorize]
            [ApiController]
            [Route("doctors")]
            public class DoctorsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(PatientDto doctor) => Ok();
            }

            [Authorize]
            public abstract class SecureController : ControllerBase { }

            [ApiController]
            [Route("appointments")]
            public class AppointmentsController : SecureController
            {
                [HttpPatch("{id}")]
                public IActionResult Move(int id) => NoContent();
            }
            """ + "\n" + Startup;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("POST", "PatientsController.Create"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("DELETE", "PatientsController.Delete"));
    }

    [Fact]
    public async Task Flags_minimal_api_endpoints_outside_authorized_groups()
    {
        const string source = """
            using Microsoft.AspNetCore.Authorization;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    var open = app.MapGroup("/open").WithTags("Open");
                    open.MapGet("/", () => Results.Ok());
                    open.{|#0:MapPost|}("/", (string name) => Results.Ok());
                    app.{|#1:MapDelete|}("/items/{id}", (int id) => Results.NoContent());
                    app.{|#2:MapMethods|}("/items/{id}", new[] { "PATCH" }, (int id) => Results.NoContent());

                    var secure = app.MapGroup("/secure").RequireAuthorization();
                    secure.MapPost("/", (string name) => Results.Ok());
                    var admin = secure.MapGroup("/admin");
                    admin.MapDelete("/{id}", (int id) => Results.NoContent());

                    var later = app.MapGroup("/later");
                    later.RequireAuthorization("Admin");
                    later.MapPut("/{id}", (int id) => Results.NoContent());

                    app.MapPost("/direct", (string name) => Results.Ok()).RequireAuthorization().WithName("Direct");
                    app.MapPost("/webhook", (string body) => Results.Ok()).AllowAnonymous();
                    app.MapPost("/attributed", [Authorize] (string body) => Results.Ok());
                    var endpoint = app.MapPut("/kept", (string body) => Results.Ok());
                    endpoint.RequireAuthorization();

                    app.MapGroup("/api").RequireAuthorization().MapPatientEndpoints();
                    app.MapDoctorEndpoints();
                    var v2 = app.MapGroup("/v2").RequireAuthorization();
                    v2.MapInvoiceEndpoints();
                }

                public static IEndpointRouteBuilder MapInvoiceEndpoints(this IEndpointRouteBuilder routes)
                {
                    routes.MapPost("/invoices", (string number) => Results.Ok());
                    return routes;
                }

                public static RouteGroupBuilder MapPatientEndpoints(this RouteGroupBuilder group)
                {
                    group.MapPost("/patients", (string name) => Results.Ok());
                    return group;
                }

                public static IEndpointRouteBuilder MapDoctorEndpoints(this IEndpointRouteBuilder routes)
                {
                    routes.{|#3:MapPost|}("/doctors", (string name) => Results.Ok());
                    return routes;
                }
            }
            """ + "\n" + Startup;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("POST", "/"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("DELETE", "/items/{id}"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("PATCH", "/items/{id}"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("POST", "/doctors"));
    }

    [Fact]
    public async Task Leaves_apps_without_authorization_alone()
    {
        const string source = """
            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(string name) => Ok();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapPost("/items", (string name) => Results.Ok());
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Theory]
    [InlineData("services.AddAuthorization(o => o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());")]
    [InlineData("services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());")]
    public async Task Leaves_everything_alone_under_a_fallback_policy(string registration)
    {
        var source = $$"""
            public static class Startup
            {
                public static void Services(IServiceCollection services) => {{registration}}
            }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(string name) => Ok();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapPost("/items", (string name) => Results.Ok());
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Theory]
    [InlineData("services.AddControllers(o => o.Filters.Add(new Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter()));", "")]
    [InlineData("services.AddAuthorization();", "app.MapControllers().RequireAuthorization();")]
    public async Task Leaves_controllers_alone_under_a_global_requirement(string registration, string mapping)
    {
        var source = $$"""
            public static class Startup
            {
                public static void Services(IServiceCollection services) => {{registration}}
                public static void Map(WebApplication app) { {{mapping}} }
            }

            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult Create(string name) => Ok();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            public static class Endpoints
            {
                public static void Map(WebApplication app, Missing missing)
                {
                    missing.MapPost("/a", (string x) => Results.Ok());
                    app.MapPost("/b", );
                    app.{|#0:MapPost|}("/c", (string x) => Results.Ok())
                    app.MapGroup("/d").RequireAuthorization(.MapPost("/e", (string x) => Results.Ok());
                }
            }

            [ApiController]
            public class BrokenController : ControllerBase
            {
                [HttpPost]
                public IActionResult {|#1:Create|}(Missing x) => Ok(
            }
            """ + "\n" + Startup);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("POST", "/c"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(1).WithArguments("POST", "BrokenController.Create"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_adds_authorize_and_require_authorization()
    {
        const string source = """
            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                public IActionResult {|#0:Create|}(string name) => Ok();

                [HttpDelete("{id}")]
                public IActionResult {|#1:Delete|}(int id) => NoContent();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.{|#2:MapPost|}("/items", (string name) => Results.Ok());
                    app.{|#3:MapDelete|}("/items/{id}", (int id) => Results.NoContent()).WithName("DeleteItem");
                }
            }
            """ + "\n" + Startup;
        const string fixedSource = "using Microsoft.AspNetCore.Authorization;\n\n" + """
            [ApiController]
            [Route("patients")]
            public class PatientsController : ControllerBase
            {
                [HttpPost]
                [Authorize]
                public IActionResult Create(string name) => Ok();

                [HttpDelete("{id}")]
                [Authorize]
                public IActionResult Delete(int id) => NoContent();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/items", (string name) => Results.Ok()).RequireAuthorization();
                    app.MapDelete("/items/{id}", (int id) => Results.NoContent()).RequireAuthorization().WithName("DeleteItem");
                }
            }
            """ + "\n" + Startup;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("POST", "PatientsController.Create"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("DELETE", "PatientsController.Delete"),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("POST", "/items"),
            VerifyFix.Diagnostic().WithLocation(3).WithArguments("DELETE", "/items/{id}"));
    }
}
