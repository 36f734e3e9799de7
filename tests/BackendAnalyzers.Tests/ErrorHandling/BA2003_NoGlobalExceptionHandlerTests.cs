using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.NoGlobalExceptionHandlerAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.ErrorHandling.NoGlobalExceptionHandlerAnalyzer, BackendAnalyzers.CodeFixes.ErrorHandling.NoGlobalExceptionHandlerCodeFix>;

namespace BackendAnalyzers.Tests.ErrorHandling;

public class BA2003_NoGlobalExceptionHandlerTests
{
    private static DiagnosticResult Expected(int location) => VerifyCS.Diagnostic().WithLocation(location);

    /// <summary>A program whose setup is <paramref name="setup"/> (builder and services) and <paramref name="pipeline"/> (app).</summary>
    private static string Program(string setup, string pipeline, string run = "{|#0:app.Run()|};", string extra = "") => $$"""
        using Clinic;
        using Microsoft.Extensions.Hosting;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddControllers();
                {{setup}}

                {|#1:var app = builder.Build();|}
                {{pipeline}}
                app.MapControllers();
                {{run}}
            }
        }
        {{extra}}
        """;

    [Fact]
    public async Task Flags_an_app_without_exception_handling()
    {
        await VerifyCS.AnalyzerAsync(Program(string.Empty, "app.UseHttpsRedirection();"), Expected(0).WithLocation(1));
    }

    [Fact]
    public async Task Developer_page_and_problem_details_alone_do_not_count()
    {
        const string pipeline = """
            if (app.Environment.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            """;
        await VerifyCS.AnalyzerAsync(Program("builder.Services.AddProblemDetails();", pipeline, "await {|#0:app.RunAsync()|};").Replace("public static void Main", "public static async Task Main"), Expected(0).WithLocation(1));
    }

    [Theory]
    [InlineData("", "app.UseExceptionHandler();")]
    [InlineData("", "app.UseExceptionHandler(\"/error\");")]
    [InlineData("builder.Services.AddExceptionHandler<ApiExceptionHandler>();", "")]
    [InlineData("builder.Services.AddProblemDetails();", "app.UseStatusCodePages();")]
    [InlineData("", "app.UseMiddleware<ErrorMiddleware>();")]
    [InlineData("", "app.UseMiddleware(typeof(ErrorMiddleware));")]
    [InlineData("builder.Services.AddControllers(o => o.Filters.Add<ApiExceptionFilter>());", "")]
    [InlineData("", "app.Use(async (context, next) => { try { await next(context); } catch (Exception) { context.Response.StatusCode = 500; } });")]
    [InlineData("builder.AddApiServices();", "app.UseApiPipeline();")]
    public async Task Leaves_apps_with_a_global_handler_alone(string setup, string pipeline)
    {
        const string extra = """
            public class ApiExceptionHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
            {
                public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct) => ValueTask.FromResult(false);
            }

            public class ErrorMiddleware
            {
                private readonly RequestDelegate _next;
                public ErrorMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context)
                {
                    try
                    {
                        await _next(context);
                    }
                    catch (Exception)
                    {
                        context.Response.StatusCode = 500;
                    }
                }
            }

            public class ApiExceptionFilter : Microsoft.AspNetCore.Mvc.Filters.IExceptionFilter
            {
                public void OnException(Microsoft.AspNetCore.Mvc.Filters.ExceptionContext context) => context.Result = new StatusCodeResult(500);
            }

            public static class Setup
            {
                public static WebApplicationBuilder AddApiServices(this WebApplicationBuilder builder)
                {
                    builder.Services.AddProblemDetails();
                    return builder;
                }

                public static WebApplication UseApiPipeline(this WebApplication app)
                {
                    UseErrors(app);
                    return app;
                }

                private static void UseErrors(IApplicationBuilder app) => app.UseStatusCodePages();
            }
            """;
        await VerifyCS.AnalyzerAsync(Program(setup, pipeline, "app.Run();", extra));
    }

    [Fact]
    public async Task A_middleware_that_does_not_catch_around_next_does_not_count()
    {
        const string extra = """
            public class TimingMiddleware
            {
                private readonly RequestDelegate _next;
                public TimingMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context)
                {
                    try { context.Items["start"] = DateTime.UtcNow; }
                    catch (Exception) { }
                    await _next(context);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(Program(string.Empty, "app.UseMiddleware<TimingMiddleware>(); app.Run(context => Task.CompletedTask);", extra: extra), Expected(0).WithLocation(1));
    }

    [Fact]
    public async Task Stays_silent_when_the_setup_cannot_be_read()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = Program(string.Empty, "app.UseSomethingUnknown();", "app.Run();"),
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.AddDefaults(null);
        await test.RunAsync();

        var broken = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var builder = WebApplication.CreateBuilder(args)
                        var app = builder.Build(;
                        app.Run(
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        broken.AddDefaults(null);
        await broken.RunAsync();
    }

    [Fact]
    public async Task Reads_top_level_statements()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = """
                var builder = WebApplication.CreateBuilder(args);
                {|#1:var app = builder.Build();|}
                app.MapGet("/", () => "hello");
                {|#0:app.Run()|};
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0).WithLocation(1));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_registers_problem_details_and_the_exception_handler()
    {
        const string source = """
            public static class Apps
            {
                public static void Api(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddControllers();

                    {|#1:var app = builder.Build();|}

                    app.MapControllers();
                    {|#0:app.Run()|};
                }

                public static async Task Admin(string[] args)
                {
                    var adminBuilder = WebApplication.CreateBuilder(args);
                    adminBuilder.Services.AddProblemDetails();
                    {|#3:var admin = adminBuilder.Build();|}
                    admin.MapGet("/health", () => "ok");
                    await {|#2:admin.RunAsync()|};
                }
            }
            """;
        const string fixedSource = """
            public static class Apps
            {
                public static void Api(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddControllers();
                    builder.Services.AddProblemDetails();

                    var app = builder.Build();
                    app.UseExceptionHandler();

                    app.MapControllers();
                    app.Run();
                }

                public static async Task Admin(string[] args)
                {
                    var adminBuilder = WebApplication.CreateBuilder(args);
                    adminBuilder.Services.AddProblemDetails();
                    var admin = adminBuilder.Build();
                    admin.UseExceptionHandler();
                    admin.MapGet("/health", () => "ok");
                    await admin.RunAsync();
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Expected(0).WithLocation(1), Expected(2).WithLocation(3));
    }

    [Fact]
    public async Task Fix_works_in_top_level_statements()
    {
        var test = new VerifyFix.CodeFixTest
        {
            TestCode = """
                var builder = WebApplication.CreateBuilder(args);
                {|#1:var app = builder.Build();|}
                app.MapGet("/", () => "hello");
                {|#0:app.Run()|};
                """,
            FixedCode = """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddProblemDetails();
                var app = builder.Build();
                app.UseExceptionHandler();
                app.MapGet("/", () => "hello");
                app.Run();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Expected(0).WithLocation(1));
        await test.RunAsync();
    }
}
