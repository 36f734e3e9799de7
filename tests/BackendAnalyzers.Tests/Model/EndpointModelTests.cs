using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace BackendAnalyzers.Tests.Model;

public class EndpointModelTests
{
    private static (ModelTestHost Host, EndpointModel Model) Create(params string[] sources)
    {
        var host = ModelTestHost.Create(sources).AssertNoErrors();
        return (host, new EndpointModel(new KnownTypes(host.Compilation)));
    }

    private const string Controllers = """
        using Clinic;
        using Microsoft.AspNetCore.Http;

        [ApiController, Route("api/patients")]
        public class PatientsController : ControllerBase
        {
            [HttpGet] public ActionResult<List<PatientDto>> List(int page, CancellationToken ct) => new List<PatientDto>();
            [HttpGet("{id}")] public Task<ActionResult<PatientDto>> Get(int id) => Task.FromResult<ActionResult<PatientDto>>(NotFound());
            [HttpPost] public IActionResult Create(PatientDto body, [FromServices] AppDb db, IFormFile file, HttpContext http) => Ok();
            [AcceptVerbs("PUT", "PATCH")] public IActionResult Update([FromQuery] PatientDto filter, [FromBody] string raw) => Ok();
            [HttpDelete("{id}")] public Task Delete(int id) => Task.CompletedTask;
            public IResult Any() => Results.Ok();
            [NonAction] public void Helper() { }
            public static void Static() { }
            protected void Protected() { }
        }

        [Controller]
        public class PocoController { public string Hello() => "hi"; }

        [ApiController]
        public class PocoApi { [HttpGet] public string Hello() => "hi"; }

        public class MvcController : Controller
        {
            public IActionResult Save(PatientDto model) => Ok();
        }

        public abstract class BaseController : ControllerBase { public IActionResult Shared() => Ok(); }

        [NonController]
        public class NotAController : ControllerBase { public IActionResult Hidden() => Ok(); }

        public class Service { public void Run() { } }

        [Route("users")]
        public class UsersController { [HttpPost] public string Create(PatientDto body) => "created"; }

        public class TokensController { [HttpPost("tokens")] public string Issue() => "token"; }

        public class ReportController { public string Render() => "report"; }
        """;

    [Fact]
    public void Finds_controllers_by_base_class_and_attributes()
    {
        var (host, model) = Create(Controllers);
        Assert.True(model.IsControllerType(host.Type("PatientsController")));
        Assert.True(model.IsControllerType(host.Type("PocoController")));
        Assert.True(model.IsControllerType(host.Type("PocoApi")));
        Assert.True(model.IsControllerType(host.Type("MvcController")));
        Assert.False(model.IsControllerType(host.Type("BaseController")));
        Assert.False(model.IsControllerType(host.Type("NotAController")));
        Assert.False(model.IsControllerType(host.Type("Service")));
        // A class named *Controller with no base class: a controller when it routes its actions, else a plain class.
        Assert.True(model.IsControllerType(host.Type("UsersController")));
        Assert.True(model.IsControllerType(host.Type("TokensController")));
        Assert.False(model.IsControllerType(host.Type("ReportController")));
        Assert.True(model.IsApiController(host.Type("PatientsController")));
        Assert.False(model.IsApiController(host.Type("MvcController")));
    }

    [Fact]
    public void Finds_actions_and_leaves_non_actions_out()
    {
        var (host, model) = Create(Controllers);
        Assert.True(model.IsControllerAction(host.Method("PatientsController", "List")));
        Assert.True(model.IsControllerAction(host.Method("PocoController", "Hello")));
        Assert.False(model.IsControllerAction(host.Method("PatientsController", "Helper")));
        Assert.False(model.IsControllerAction(host.Method("PatientsController", "Static")));
        Assert.False(model.IsControllerAction(host.Method("PatientsController", "Protected")));
        Assert.False(model.IsControllerAction(host.Method("Service", "Run")));
    }

    [Theory]
    [InlineData("List", "GET")]
    [InlineData("Get", "GET")]
    [InlineData("Create", "POST")]
    [InlineData("Update", "PUT,PATCH")]
    [InlineData("Delete", "DELETE")]
    [InlineData("Any", "")]
    public void Reads_http_verbs(string action, string verbs)
    {
        var (host, model) = Create(Controllers);
        var endpoint = model.GetControllerAction(host.Method("PatientsController", action), CancellationToken.None)!;
        Assert.Equal(verbs, string.Join(",", endpoint.HttpMethods));
        Assert.Equal(verbs is "POST" or "PUT,PATCH" or "DELETE", endpoint.IsMutating);
    }

    [Fact]
    public void Classifies_controller_parameters()
    {
        var (host, model) = Create(Controllers);
        var create = model.GetControllerAction(host.Method("PatientsController", "Create"), CancellationToken.None)!;
        Assert.Equal(new[] { BindingSource.Body, BindingSource.Services, BindingSource.Form, BindingSource.Special }, create.Parameters.Select(p => p.Source));
        Assert.True(create.Parameters[0].IsRequestModel);
        Assert.False(create.Parameters[0].IsExplicit);
        Assert.True(create.Parameters[1].IsExplicit);

        var list = model.GetControllerAction(host.Method("PatientsController", "List"), CancellationToken.None)!;
        Assert.Equal(new[] { BindingSource.Query, BindingSource.Special }, list.Parameters.Select(p => p.Source));

        var get = model.GetControllerAction(host.Method("PatientsController", "Get"), CancellationToken.None)!;
        Assert.Equal(BindingSource.Route, get.Parameters[0].Source);

        var update = model.GetControllerAction(host.Method("PatientsController", "Update"), CancellationToken.None)!;
        Assert.Equal(new[] { BindingSource.Query, BindingSource.Body }, update.Parameters.Select(p => p.Source));
        Assert.False(update.Parameters[0].IsRequestModel);
        Assert.False(update.Parameters[1].IsRequestModel); // a string body is not a model

        var save = model.GetControllerAction(host.Method("MvcController", "Save"), CancellationToken.None)!;
        Assert.Equal(BindingSource.ModelBinding, save.Parameters[0].Source);
        Assert.True(save.Parameters[0].IsRequestModel);
    }

    [Fact]
    public void Unwraps_response_types()
    {
        var (host, model) = Create(Controllers);
        Assert.Equal("List<PatientDto>", model.GetControllerAction(host.Method("PatientsController", "List"), CancellationToken.None)!.ResponseType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        Assert.Equal("PatientDto", model.GetControllerAction(host.Method("PatientsController", "Get"), CancellationToken.None)!.ResponseType!.Name);
        Assert.Null(model.GetControllerAction(host.Method("PatientsController", "Create"), CancellationToken.None)!.ResponseType);
        Assert.Null(model.GetControllerAction(host.Method("PatientsController", "Any"), CancellationToken.None)!.ResponseType);
        Assert.Null(model.GetControllerAction(host.Method("PatientsController", "Delete"), CancellationToken.None)!.ResponseType);
    }

    private const string MinimalApis = """
        using Clinic;
        using Microsoft.AspNetCore.Http;

        public record SearchRequest(string Term, int Page);

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                var api = app.MapGroup("/api");
                var patients = api.MapGroup("/patients");
                patients.MapGet("/{id}", (int id, AppDb db, CancellationToken ct) => db.Patients.FindAsync(id));
                patients.MapPost("/", (PatientDto dto, IPatientNotifier notifier) => Results.Created("/x", dto));
                api.MapMethods("/doctors", new[] { "put", "patch" }, ListDoctors);
                app.MapDelete("/appointments/{id}", Remove);
                app.MapGet("/search", ([AsParameters] SearchRequest request, ClaimsPrincipalAlias user) => "ok");

                static IResult Remove(int id) => Results.NoContent();
            }

            private static IResult ListDoctors(HttpContext context) => Results.Ok();
        }

        public interface IPatientNotifier { }
        public class ClaimsPrincipalAlias : System.Security.Claims.ClaimsPrincipal { }
        """;

    private static Endpoint MinimalEndpoint(ModelTestHost host, EndpointModel model, string mapMethod, int index = -1) =>
        model.GetMinimalApiEndpoint(host.Invocation(mapMethod, index), CancellationToken.None)!;

    [Fact]
    public void Reads_minimal_api_endpoints_in_groups()
    {
        var (host, model) = Create(MinimalApis);
        var get = MinimalEndpoint(host, model, "MapGet", 0);
        Assert.Equal(EndpointKind.MinimalApi, get.Kind);
        Assert.Equal("/{id}", get.RouteTemplate);
        Assert.Equal(new[] { "GET" }, get.HttpMethods);
        Assert.Equal(new[] { BindingSource.Route, BindingSource.Services, BindingSource.Special }, get.Parameters.Select(p => p.Source));
        Assert.Equal(MethodKind.AnonymousFunction, get.Handler.MethodKind);

        var post = MinimalEndpoint(host, model, "MapPost");
        Assert.True(post.IsMutating);
        Assert.Equal(new[] { BindingSource.Body, BindingSource.Services }, post.Parameters.Select(p => p.Source));
        Assert.True(post.Parameters[0].IsRequestModel);
    }

    [Fact]
    public void Resolves_method_groups_local_functions_and_map_methods_verbs()
    {
        var (host, model) = Create(MinimalApis);
        var methods = MinimalEndpoint(host, model, "MapMethods");
        Assert.Equal(new[] { "PUT", "PATCH" }, methods.HttpMethods);
        Assert.Equal("ListDoctors", methods.Handler.Name);
        Assert.NotNull(methods.HandlerSyntax);
        Assert.Equal(BindingSource.Special, methods.Parameters[0].Source);

        var delete = MinimalEndpoint(host, model, "MapDelete");
        Assert.Equal(MethodKind.LocalFunction, delete.Handler.MethodKind);
        Assert.Equal(BindingSource.Route, delete.Parameters[0].Source);

        var search = MinimalEndpoint(host, model, "MapGet", 1);
        Assert.Equal(new[] { BindingSource.AsParameters, BindingSource.Special }, search.Parameters.Select(p => p.Source));
    }

    [Fact]
    public void Map_group_and_other_calls_are_not_endpoints()
    {
        var (host, model) = Create(MinimalApis);
        Assert.Null(model.GetMinimalApiEndpoint(host.Invocation("MapGroup", 0), CancellationToken.None));
        Assert.Null(model.GetMinimalApiEndpoint(host.Invocation("FindAsync"), CancellationToken.None));
    }

    [Fact]
    public void Unwraps_response_values()
    {
        var (host, model) = Create("""
            using Clinic;
            using Microsoft.AspNetCore.Http;

            public class C : ControllerBase
            {
                public object A(List<int> xs) => Ok(xs);
                public object B(List<int> xs) => Results.Ok(xs);
                public object D(List<int> xs) => TypedResults.Ok(xs);
                public object E(List<int> xs) => new OkObjectResult(xs);
                public object F(List<int> xs) => CreatedAtAction("A", new { id = 1 }, xs);
                public object G(List<int> xs) => NotFound();
            }
            """);
        // Each method returns its response through one factory; the payload is the parameter xs.
        foreach (var method in new[] { "A", "B", "D", "E", "F" })
        {
            var returned = host.Operations<IReturnOperation>(r => r.Syntax.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First().Identifier.ValueText == method).Single().ReturnedValue!;
            var unwrapped = model.UnwrapResponseValue(returned);
            Assert.True(unwrapped is IParameterReferenceOperation { Parameter.Name: "xs" }, $"{method}: got {unwrapped.Syntax}");
        }

        var notFound = host.Invocation("NotFound");
        Assert.Same(notFound, model.UnwrapResponseValue(notFound));
    }

    [Fact]
    public void Finds_the_endpoint_around_an_operation()
    {
        var (host, model) = Create("""
            using Clinic;
            using Microsoft.AspNetCore.Http;

            [ApiController, Route("api/patients")]
            public class PatientsController : ControllerBase
            {
                [HttpGet] public int Count(AppDb db) => Enumerable.Range(0, 3).Select(i => db.Patients.Count()).Sum();
                private int Helper(AppDb db) => db.Doctors.Count();
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGroup("/api").MapGet("/n", (AppDb db) => db.Appointments.Count());
                    Func<AppDb, int> notMapped = db => db.Appointments.LongCount() > 0 ? 1 : 0;
                }
            }
            """);
        Endpoint? Find(string text, out bool innermost)
        {
            var call = host.Operations<IInvocationOperation>(i => i.Syntax.ToString() == text).Single();
            var semanticModel = host.GetSemanticModel(call.Syntax.SyntaxTree);
            return model.GetEnclosingEndpoint(call, semanticModel.GetEnclosingSymbol(call.Syntax.SpanStart)!, out innermost, CancellationToken.None);
        }

        var inLambda = Find("db.Patients.Count()", out var innermost);
        Assert.NotNull(inLambda);
        Assert.Equal("Count", inLambda!.Handler.Name);
        Assert.False(innermost);

        Assert.Null(Find("db.Doctors.Count()", out _));
        Assert.Null(Find("db.Appointments.LongCount()", out _));

        var minimal = host.Operations<IInvocationOperation>(i => i.TargetMethod.Name == "Count" && i.Syntax.ToString().Contains("Appointments")).Single();
        var lambda = (IAnonymousFunctionOperation)minimal.Syntax.Ancestors().Select(a => host.GetSemanticModel(a.SyntaxTree).GetOperation(a)).First(o => o is IAnonymousFunctionOperation)!;
        var endpoint = model.GetMinimalApiEndpointForLambda(lambda, CancellationToken.None);
        Assert.Equal("/n", endpoint!.RouteTemplate);
        Assert.Equal(endpoint.Handler.Name, model.GetEnclosingEndpoint(minimal, lambda.Symbol, out innermost, CancellationToken.None)!.Handler.Name);
        Assert.True(innermost);
    }

    [Fact]
    public void Finds_method_group_handlers_across_the_compilation()
    {
        var host = ModelTestHost.Create(MinimalApis).AssertNoErrors();
        var types = new KnownTypes(host.Compilation);
        var withBodies = new EndpointModel(types, new FunctionBodies(host.Compilation));
        var listDoctors = host.Method("Endpoints", "ListDoctors");
        Assert.Equal("/doctors", withBodies.GetMethodGroupEndpoint(listDoctors, CancellationToken.None)!.RouteTemplate);
        Assert.Null(withBodies.GetMethodGroupEndpoint(host.Method("Endpoints", "Map"), CancellationToken.None));
        Assert.Null(new EndpointModel(types).GetMethodGroupEndpoint(listDoctors, CancellationToken.None));

        var remove = host.Operations<ILocalFunctionOperation>().Single().Symbol;
        Assert.Equal("/appointments/{id}", withBodies.GetMethodGroupEndpoint(remove, CancellationToken.None)!.RouteTemplate);
    }

    [Fact]
    public void Is_disabled_without_asp_net_core()
    {
        var host = ModelTestHost.Create(includeClinicModel: false, "public class C { }");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("x", host.TestTrees, Basic.Reference.Assemblies.Net100.References.All);
        Assert.False(new EndpointModel(new KnownTypes(compilation)).IsEnabled);
    }
}
