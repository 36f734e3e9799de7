using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.HardCodedSecretAnalyzer>;

namespace BackendAnalyzers.Tests.Security;

public class BA5004_HardCodedSecretTests
{
    [Fact]
    public async Task Flags_literal_signing_keys()
    {
        const string source = """
            using System.Text;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenSetup
            {
                private const string Key = "8f3c1d9a-signing-key-kept-in-code-4b7e";

                public static TokenValidationParameters Parameters() => new()
                {
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes({|#0:"ThisIsMySuperSecretSigningKey123456789!"|})),
                };

                public static SecurityKey FromConst() => new SymmetricSecurityKey(Encoding.ASCII.GetBytes({|#1:Key|}));

                public static SecurityKey FromUtf8Literal() => new SymmetricSecurityKey({|#3:"somethinglongerforthisalgorithmisrequired"u8|}.ToArray());

                public static SecurityKey FromLocal()
                {
                    var keyText = {|#2:"c2VjcmV0LWtleS1mb3ItdG9rZW5zLTEyMzQ1Njc4OTA="|};
                    var bytes = Convert.FromBase64String(keyText);
                    return new SymmetricSecurityKey(bytes);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("The signing key"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("The signing key"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("The signing key"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("The signing key"));
    }

    [Fact]
    public async Task Flags_connection_strings_with_a_password()
    {
        const string source = """
            using Clinic;
            using Microsoft.Data.Sqlite;

            public static class Database
            {
                private const string Reporting = {|#0:"Host=reports.internal;Database=clinic;Username=report;Password=R3p0rt!ng"|};

                public static void Add(IServiceCollection services, string host)
                {
                    services.AddDbContext<AppDb>(o => o.UseSqlite({|#1:"Data Source=clinic.db;Password=Sq1ite-Pass"|}));
                    var connection = new SqliteConnection({|#2:"Data Source=audit.db;Pwd=audit2024"|});
                    var builder = new SqliteConnectionStringBuilder { ConnectionString = {|#3:"Password=only-the-password"|} };
                    var mixed = $"Server={host}{|#4:;Database=clinic;User Id=sa;Password=Adm1n!2024|}";
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("The password in this connection string"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("The password in this connection string"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("The password in this connection string"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("The password in this connection string"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("The password in this connection string"));
    }

    [Fact]
    public async Task Flags_literals_given_to_secret_names()
    {
        const string source = """
            using System.Net;

            public class PaymentOptions
            {
                public string ApiKey { get; set; } = {|#0:"sk_live_51HqLyjWDarjtT1zdp7dc"|};
                public string? WebhookSecret { get; set; }
            }

            public class Clients
            {
                private static readonly string JwtSecret = {|#1:"kT9#mW2$vB7qL4@zX8"|};
                private const string ClientSecret = {|#2:"q8Z~Xy1.aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"|};

                public PaymentOptions Payment() => new PaymentOptions { WebhookSecret = {|#3:"whsec_5f8e2a91c3b74d6e"|} };

                public NetworkCredential Smtp()
                {
                    var adminPassword = {|#4:"P@ssw0rd!2024"|};
                    return new NetworkCredential("mailer", {|#5:"Sm7p-Pa55"|});
                }

                public object Seed() => new { Email = "admin@clinic.test", Password = {|#6:"Adm1n#Clinic"|}, accessToken = {|#7:"eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo"|} };
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'ApiKey'"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'JwtSecret'"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("'ClientSecret'"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("'WebhookSecret'"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("'adminPassword'"),
            VerifyCS.Diagnostic().WithLocation(5).WithArguments("'password'"),
            VerifyCS.Diagnostic().WithLocation(6).WithArguments("'Password'"),
            VerifyCS.Diagnostic().WithLocation(7).WithArguments("'accessToken'"));
    }

    [Fact]
    public async Task Leaves_placeholders_labels_configuration_keys_and_look_alike_names_alone()
    {
        const string source = """
            using System.ComponentModel.DataAnnotations;
            using System.Text;
            using Microsoft.Extensions.Configuration;
            using Microsoft.IdentityModel.Tokens;
            using Clinic;

            public class AuthOptions
            {
                public const string SectionName = "Auth";
                public string ApiKey { get; set; } = "";
                public string ClientSecret { get; set; } = "<your-client-secret>";
                public string SigningKey { get; set; } = "YOUR_SIGNING_KEY";
                public string Password { get; set; } = string.Empty;
                public string Token { get; set; } = "changeme";
                public string TokenEndpoint { get; set; } = "https://login.example.com/oauth2/token";
                public string ApiKeyHeaderName { get; set; } = "X-Api-Key";
                public int PasswordMinLength { get; set; } = 12;
                public string PasswordPolicy { get; set; } = "Strong";
                public string TokenType { get; set; } = "Bearer";
            }

            public class LoginForm
            {
                [Display(Name = "Password")]
                public string Password { get; set; } = "";
                public string PasswordLabel { get; set; } = "Enter your password";
                private readonly string passwordField = "password";
                public const string ApiKey = "X-Api-Key";
                public const string AccessToken = "access_token";
                public const string RefreshTokenKey = "Auth:RefreshToken";
                public const string ApiKeyVariable = "PAYMENT_API_KEY";
                private const string Secret = "${JWT_SECRET}";
                private const string Pwd = "***";
                private const string Token2 = "{{token}}";
            }

            public static class Startup
            {
                public static void Configure(IServiceCollection services, IConfiguration configuration)
                {
                    var key = configuration["Jwt:Key"]!;
                    var signing = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configuration.GetValue<string>("Jwt:SigningKey")!));
                    var fromConfig = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
                    var placeholder = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("<replace-with-a-256-bit-key>"));
                    var password = configuration["Database:Password"];
                    var apiKey = configuration.GetSection("Payments").GetValue<string>("ApiKey");
                    services.AddDbContext<AppDb>(o => o.UseSqlite(configuration.GetConnectionString("Clinic")));
                    services.AddDbContext<AppDb>(o => o.UseSqlite("Data Source=clinic.db"));
                    services.AddDbContext<AppDb>(o => o.UseSqlite("Data Source=clinic.db;Password="));
                    services.AddDbContext<AppDb>(o => o.UseSqlite("Server=db;User Id=app;Password=${DB_PASSWORD}"));
                    services.AddDbContext<AppDb>(o => o.UseSqlite("Server=db;User Id=app;Password=<password>"));
                    services.AddDbContext<AppDb>(o => o.UseSqlite($"Server=db;User Id=app;Password={password}"));
                    var message = "Password=hunter2 is not a connection string";
                    var template = string.Format("Server=db;User Id=app;Password={0}", password);
                }

                public static bool Check(string input, CancellationToken cancellationToken)
                {
                    var token = cancellationToken;
                    var continuationToken = "c2FtcGxl";
                    var passwordHash = "AQAAAAIAAYagAAAAEJ";
                    return input == "password";
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_test_projects_alone()
    {
        var test = new VerifyCS.AnalyzerTest();
        test.TestState.Sources.Add("""
            public class LoginTests
            {
                private const string Password = "P@ssw0rd!2024";
                private const string ConnectionString = "Server=db;Database=test;User Id=sa;Password=Test-Only-1";
            }
            """);
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectAssemblyName(projectId, "Clinic.Api.Tests"));
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using System.Text;
            using Microsoft.IdentityModel.Tokens;

            public class Broken
            {
                private string ApiKey = {|#0:"sk_live_51HqLyjWDarjtT1zdp7dc"|}
                public void Run(Missing missing)
                {
                    var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes());
                    var other = new SymmetricSecurityKey(Unknown.GetBytes("abc-def-ghi-jkl"));
                    missing.Password = "Unkn0wn!Target";
                    var password = ;
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("'ApiKey'"));
        await test.RunAsync();
    }
}
