using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.TokenValidationDisabledAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.TokenValidationDisabledAnalyzer, BackendAnalyzers.CodeFixes.Security.TokenValidationDisabledCodeFix>;

namespace BackendAnalyzers.Tests.Security;

public class BA5003_TokenValidationDisabledTests
{
    private const string Usings = """
        using System.IdentityModel.Tokens.Jwt;
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.Extensions.Hosting;
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        """;

    [Fact]
    public async Task Flags_disabled_flags_in_add_jwt_bearer()
    {
        const string source = Usings + """
            public static class Auth
            {
                public static void Add(IServiceCollection services, SecurityKey key)
                {
                    services.AddAuthentication().AddJwtBearer(options =>
                    {
                        {|#0:options.RequireHttpsMetadata = false|};
                        options.TokenValidationParameters = new TokenValidationParameters
                        {
                            {|#1:ValidateIssuer = false|},
                            {|#2:ValidateAudience = false|},
                            {|#3:ValidateLifetime = false|},
                            {|#4:ValidateIssuerSigningKey = false|},
                            IssuerSigningKey = key,
                        };
                        {|#5:options.TokenValidationParameters.RequireSignedTokens = false|};
                        {|#6:options.TokenValidationParameters.RequireExpirationTime = false|};
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("RequireHttpsMetadata = false lets the signing keys be fetched over plain HTTP; set it only in development"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("ValidateIssuer = false accepts tokens from any issuer"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("ValidateAudience = false accepts tokens issued for other applications"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("ValidateLifetime = false accepts expired tokens"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("ValidateIssuerSigningKey = false skips the checks of the key that signed the token"),
            VerifyCS.Diagnostic().WithLocation(5).WithArguments("RequireSignedTokens = false accepts tokens without a signature"),
            VerifyCS.Diagnostic().WithLocation(6).WithArguments("RequireExpirationTime = false accepts tokens that never expire"));
    }

    [Fact]
    public async Task Flags_signature_validators_that_check_nothing()
    {
        const string source = Usings + """
            public class TokenService
            {
                public TokenValidationParameters Lenient() => new TokenValidationParameters
                {
                    {|#0:SignatureValidator = (token, parameters) => new JwtSecurityToken(token)|},
                };

                public void Configure(JwtBearerOptions options)
                {
                    {|#1:options.TokenValidationParameters.SignatureValidator = delegate (string token, TokenValidationParameters p)
                    {
                        return new JsonWebToken(token);
                    }|};
                }
            }
            """;
        const string message = "This SignatureValidator returns the token without checking its signature, so anyone can write a token that is accepted";
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments(message),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments(message));
    }

    [Fact]
    public async Task Leaves_development_branches_true_flags_and_real_validators_alone()
    {
        const string source = Usings + """
            public static class Auth
            {
                public static void Add(WebApplicationBuilder builder, IHostEnvironment env, SecurityKey key)
                {
                    builder.Services.AddAuthentication().AddJwtBearer(options =>
                    {
                        options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                        options.RequireHttpsMetadata = builder.Environment.IsProduction();
                        if (builder.Environment.IsDevelopment())
                        {
                            options.RequireHttpsMetadata = false;
                            options.TokenValidationParameters.ValidateLifetime = false;
                        }

                        if (!env.IsDevelopment())
                        {
                            options.RequireHttpsMetadata = true;
                        }
                        else
                        {
                            options.RequireHttpsMetadata = false;
                        }

                        var isDev = env.IsEnvironment("Development");
                        if (isDev && key is not null)
                        {
                            options.TokenValidationParameters.ValidateAudience = false;
                        }

                        options.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidateIssuer = true,
                            ValidateAudience = true,
                            ValidateLifetime = true,
                            IssuerSigningKey = key,
                            SignatureValidator = (token, parameters) =>
                            {
                                var handler = new JsonWebTokenHandler();
                                var result = handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
                                return result.IsValid ? new JsonWebToken(token) : throw new SecurityTokenInvalidSignatureException();
                            },
                        };
                    });

                    if (env.IsDevelopment())
                    {
                        builder.Services.AddAuthentication().AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters { ValidateIssuer = false });
                    }
                }
            }

            public class Settings
            {
                public bool ValidateIssuer { get; set; }
                public void Reset() { ValidateIssuer = false; }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(Usings + """
            public class Broken
            {
                public void Run(JwtBearerOptions options, Missing missing)
                {
                    missing.ValidateIssuer = false;
                    options.TokenValidationParameters.SignatureValidator = (token, p) => ;
                    options.TokenValidationParameters.SignatureValidator = (token) => new JwtSecurityToken(token);
                    options.TokenValidationParameters = new TokenValidationParameters { {|#0:ValidateAudience = false|}, ValidateIssuer = };
                    if (missing.IsDevelopment()) { options.TokenValidationParameters.ValidateLifetime = false }
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("ValidateAudience = false accepts tokens issued for other applications"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_sets_the_flags_to_true()
    {
        const string source = Usings + """
            public static class Auth
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddAuthentication().AddJwtBearer(options =>
                    {
                        {|#0:options.RequireHttpsMetadata = false|};
                        options.TokenValidationParameters = new TokenValidationParameters
                        {
                            {|#1:ValidateIssuer = false|}, // issuer is checked elsewhere
                            {|#2:ValidateAudience = false|},
                        };
                    });
                }
            }
            """;
        const string fixedSource = Usings + """
            public static class Auth
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddAuthentication().AddJwtBearer(options =>
                    {
                        options.RequireHttpsMetadata = true;
                        options.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidateIssuer = true, // issuer is checked elsewhere
                            ValidateAudience = true,
                        };
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("RequireHttpsMetadata = false lets the signing keys be fetched over plain HTTP; set it only in development"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("ValidateIssuer = false accepts tokens from any issuer"),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("ValidateAudience = false accepts tokens issued for other applications"));
    }
}
