using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.CorsAnyOriginWithCredentialsAnalyzer>;

namespace BackendAnalyzers.Tests.Security;

public class BA5005_CorsAnyOriginWithCredentialsTests
{
    private const string AnyOrigin = "AllowAnyOrigin() together with AllowCredentials() is a policy ASP.NET Core rejects at run time; list the allowed origins with WithOrigins(...)";
    private const string Star = "WithOrigins(\"*\") together with AllowCredentials() is a policy ASP.NET Core rejects at run time; list the allowed origins";
    private const string Reflect = "SetIsOriginAllowed that accepts every origin, together with AllowCredentials(), lets any website call the API with the user's credentials and read the answers; list the allowed origins";

    [Fact]
    public async Task Flags_any_origin_with_credentials_in_chains_and_policy_lambdas()
    {
        const string source = """
            using Microsoft.AspNetCore.Cors.Infrastructure;

            public static class Cors
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddCors(options =>
                    {
                        options.AddPolicy("spa", policy => policy.{|#0:AllowAnyOrigin()|}.AllowAnyHeader().AllowCredentials());
                        options.AddDefaultPolicy(policy =>
                        {
                            policy.{|#1:SetIsOriginAllowed(_ => true)|};
                            policy.AllowAnyHeader().AllowAnyMethod();
                            policy.AllowCredentials();
                        });
                    });
                }

                public static void Use(WebApplication app)
                {
                    app.UseCors(builder => builder.{|#2:WithOrigins("*")|}.AllowCredentials());
                }

                public static CorsPolicy Build()
                {
                    var builder = new CorsPolicyBuilder();
                    builder.{|#3:SetIsOriginAllowed(origin => { return true; })|};
                    return builder.AllowCredentials().Build();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments(AnyOrigin),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments(Reflect),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments(Star),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments(Reflect));
    }

    [Fact]
    public async Task Leaves_explicit_origins_and_policies_without_credentials_alone()
    {
        const string source = """
            using Microsoft.AspNetCore.Cors.Infrastructure;

            public static class Cors
            {
                public static void Add(IServiceCollection services, string[] origins)
                {
                    services.AddCors(options =>
                    {
                        options.AddPolicy("public", policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod());
                        options.AddPolicy("spa", policy => policy.WithOrigins("https://app.example.com", "https://admin.example.com").AllowCredentials());
                        options.AddPolicy("configured", policy => policy.WithOrigins(origins).AllowCredentials());
                        options.AddPolicy("local", policy => policy.SetIsOriginAllowed(origin => new Uri(origin).Host == "localhost").AllowCredentials());
                        options.AddPolicy("subdomains", policy => policy.WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials());
                        options.AddPolicy("reflect", policy => policy.SetIsOriginAllowed(_ => true).AllowAnyHeader());
                    });

                    var open = new CorsPolicyBuilder().AllowAnyOrigin().Build();
                    var closed = new CorsPolicyBuilder().WithOrigins("https://app.example.com").AllowCredentials().Build();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            public static class Cors
            {
                public static void Add(IServiceCollection services, Missing missing)
                {
                    services.AddCors(options =>
                    {
                        options.AddPolicy("a", policy => policy.{|#0:AllowAnyOrigin()|}.AllowCredentials()
                        options.AddPolicy("b", policy => policy.SetIsOriginAllowed().AllowCredentials());
                        options.AddPolicy("c", policy => missing.AllowAnyOrigin().AllowCredentials());
                        options.AddPolicy("d", policy => policy.SetIsOriginAllowed(_ => ).AllowCredentials());
                    });
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments(AnyOrigin));
        await test.RunAsync();
    }
}
