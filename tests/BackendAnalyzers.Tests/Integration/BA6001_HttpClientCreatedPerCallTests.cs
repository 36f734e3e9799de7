using BackendAnalyzers.Integration;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.HttpClientCreatedPerCallAnalyzer>;

namespace BackendAnalyzers.Tests.Integration;

public class BA6001_HttpClientCreatedPerCallTests
{
    [Fact]
    public async Task Flags_client_created_in_controller_action()
    {
        const string source = """
            [ApiController]
            [Route("api/weather")]
            public class WeatherController : ControllerBase
            {
                [HttpGet]
                public async Task<IActionResult> Get(CancellationToken ct)
                {
                    using var client = {|#0:new System.Net.Http.HttpClient()|};
                    var text = await client.GetStringAsync("https://weather.example/today", ct);
                    return Ok(text);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("on every call of 'WeatherController.Get'"));
    }

    [Fact]
    public async Task Flags_client_created_in_minimal_api_handler_and_service_method()
    {
        const string source = """
            using System.Net.Http;

            public class GeoService
            {
                public async Task<string> LookupAsync(string ip, CancellationToken ct)
                {
                    var client = {|#0:new HttpClient { BaseAddress = new Uri("https://geo.example/") }|};
                    return await client.GetStringAsync(ip, ct);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/rates", async (CancellationToken ct) =>
                    {
                        using var client = {|#1:new HttpClient()|};
                        return await client.GetStringAsync("https://rates.example/eur", ct);
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("on every call of 'GeoService.LookupAsync'"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("every time the enclosing function runs"));
    }

    [Fact]
    public async Task Flags_client_created_by_a_property_getter()
    {
        const string source = """
            using System.Net.Http;

            public class Clients
            {
                // Looks shared, but the getter builds a new client on every access.
                public static HttpClient Current => {|#0:new HttpClient()|};
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("on every call of 'Clients.Current'"));
    }

    [Fact]
    public async Task Flags_scoped_and_transient_registrations()
    {
        const string source = """
            using System.Net.Http;

            public record Gateway(HttpClient Client);

            public static class Registration
            {
                public static void Register(IServiceCollection services)
                {
                    services.AddScoped(_ => {|#0:new HttpClient()|});
                    services.AddTransient(_ => new Gateway({|#1:new HttpClient()|}));
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("every time the enclosing function runs"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("every time the enclosing function runs"));
    }

    [Fact]
    public async Task Flags_controller_constructor_and_instance_field_initializer()
    {
        const string source = """
            using System.Net.Http;

            [ApiController]
            [Route("api/a")]
            public class AController : ControllerBase
            {
                private readonly HttpClient _client = {|#0:new HttpClient()|};
                [HttpGet] public Task<string> Get() => _client.GetStringAsync("https://a.example/");
            }

            [ApiController]
            [Route("api/b")]
            public class BController : ControllerBase
            {
                private readonly HttpClient _client;
                public BController() { _client = {|#1:new HttpClient()|}; }
                [HttpGet] public Task<string> Get() => _client.GetStringAsync("https://b.example/");
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("for every controller instance (every request)"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("for every controller instance (every request)"));
    }

    [Fact]
    public async Task Flags_client_created_inside_worker_loop_but_not_once_before_it()
    {
        const string source = """
            using System.Net.Http;
            using Microsoft.Extensions.Hosting;

            public class Poller : BackgroundService
            {
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    using var shared = new HttpClient();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        using var client = {|#0:new HttpClient()|};
                        await client.GetStringAsync("https://status.example/", stoppingToken);
                        await shared.GetStringAsync("https://status.example/", stoppingToken);
                        await Task.Delay(1000, stoppingToken);
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("on every call of 'Poller.ExecuteAsync'"));
    }

    [Fact]
    public async Task Leaves_static_and_singleton_clients_alone()
    {
        const string source = """
            using System.Net.Http;

            public class Clients
            {
                private static readonly HttpClient Field = new HttpClient();
                public static HttpClient Property { get; } = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                private static readonly Lazy<HttpClient> LazyClient = new(() => new HttpClient());
                private static readonly HttpClient FromCtor;
                private static HttpClient? _lazy;
                private static readonly HttpClient FromFactory = CreateClient();

                static Clients()
                {
                    FromCtor = new HttpClient();
                }

                public static HttpClient Shared() => _lazy ??= new HttpClient();

                private static HttpClient CreateClient()
                {
                    var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
                    var client = new HttpClient(handler);
                    client.DefaultRequestHeaders.Add("User-Agent", "clinic");
                    return client;
                }
            }

            public static class Registration
            {
                public static void Register(IServiceCollection services)
                {
                    services.AddSingleton(new HttpClient());
                    services.AddSingleton(_ => new HttpClient { BaseAddress = new Uri("https://a.example/") });
                    services.AddSingleton<Wrapper>(_ => new Wrapper(new HttpClient()));
                }
            }

            public record Wrapper(HttpClient Client);
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_factory_typed_clients_shared_handlers_and_entry_point_alone()
    {
        const string source = """
            using System.Net.Http;

            public class TypedClient
            {
                private readonly HttpClient _client;
                public TypedClient(HttpClient client) => _client = client;
                public Task<string> GetAsync() => _client.GetStringAsync("/");
            }

            public class FactoryUser
            {
                private static readonly SocketsHttpHandler Handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
                private readonly IHttpClientFactory _factory;
                public FactoryUser(IHttpClientFactory factory) => _factory = factory;

                public Task<string> ViaFactory() => _factory.CreateClient("github").GetStringAsync("/");

                public async Task<string> ViaSharedHandler()
                {
                    using var client = new HttpClient(Handler, disposeHandler: false);
                    return await client.GetStringAsync("https://a.example/");
                }
            }

            public class Service
            {
                private readonly HttpClient _client;
                // A service's own client lives as long as the service; its registration decides the lifetime.
                public Service() => _client = new HttpClient();
            }

            public static class Program
            {
                public static async Task Main()
                {
                    using var client = new HttpClient();
                    await client.GetStringAsync("https://warmup.example/");
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_test_projects_alone_by_name()
    {
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.Sources.Add(PerCallSource);
        test.AddDefaults(null);
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectAssemblyName(projectId, "Clinic.Api.Tests"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Leaves_test_projects_alone_by_framework_reference()
    {
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.Sources.Add(PerCallSource);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(FactAttribute).Assembly.Location));
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Registers_nothing_outside_backend_projects()
    {
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        test.TestState.Sources.Add("""
            using System.Net.Http;
            using System.Threading.Tasks;

            public class Tool
            {
                public async Task<string> FetchAsync()
                {
                    using var client = new HttpClient();
                    return await client.GetStringAsync("https://a.example/");
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using System.Net.Http;

            public class Broken
            {
                private readonly HttpClient _c = new HttpClient(new MissingHandler(), );
                public async Task<string> Get()
                {
                    using var client = {|#0:new HttpClient()|}
                    var other = new UnknownClient();
                    return await client.GetStringAsync("x")
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("on every call of 'Broken.Get'"));
        await test.RunAsync();
    }

    private const string PerCallSource = """
        public class Service
        {
            public async Task<string> GetAsync()
            {
                using var client = new System.Net.Http.HttpClient();
                return await client.GetStringAsync("https://a.example/");
            }
        }
        """;
}
