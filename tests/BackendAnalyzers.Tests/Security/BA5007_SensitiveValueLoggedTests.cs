using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.SensitiveValueLoggedAnalyzer>;

namespace BackendAnalyzers.Tests.Security;

public class BA5007_SensitiveValueLoggedTests
{
    [Fact]
    public async Task Flags_secrets_passed_as_log_arguments()
    {
        const string source = """
            using Microsoft.Extensions.Logging;

            public record LoginRequest(string UserName, string Password);
            public class PaymentRequest { public string CardNumber { get; set; } = ""; public string Cvv { get; set; } = ""; public decimal Amount { get; set; } }

            public class AuthService(ILogger<AuthService> logger)
            {
                public void Login(LoginRequest request, string apiKey, HttpRequest http)
                {
                    logger.LogInformation("Login attempt for {User} with {Password}", request.UserName, {|#0:request.Password|});
                    logger.LogDebug("Calling the provider with key {Key}", {|#1:apiKey|});
                    logger.LogWarning("Token {Token} rejected", {|#2:http.Headers["Authorization"]|});
                    logger.LogInformation("Login request {Request}", {|#3:request|});
                    logger.LogWarning("Rejected {Header}", {|#8:http.Headers.Authorization|});
                }

                public void Pay(PaymentRequest payment, string accessToken)
                {
                    logger.LogInformation($"Charging {payment.Amount} to card {{|#4:payment.CardNumber|}}");
                    logger.LogInformation("Payment {@Payment}", {|#5:payment|});
                    logger.LogError("Refresh failed, token was " + {|#6:accessToken|});
                    var fromEnvironment = Environment.GetEnvironmentVariable("PAYMENTS_CLIENT");
                    logger.Log(LogLevel.Information, "Client {ClientSecret}", {|#7:fromEnvironment|});
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("'request.Password'"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("'apiKey'"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("'http.Headers[\"Authorization\"]'"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("'request' (with its Password property)"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("'payment.CardNumber'"),
            VerifyCS.Diagnostic().WithLocation(5).WithArguments("'payment' (with its CardNumber property)"),
            VerifyCS.Diagnostic().WithLocation(6).WithArguments("'accessToken'"),
            VerifyCS.Diagnostic().WithLocation(7).WithArguments("The value of {ClientSecret}"),
            VerifyCS.Diagnostic().WithLocation(8).WithArguments("'http.Headers.Authorization'"));
    }

    [Fact]
    public async Task Flags_logging_in_a_minimal_api_handler()
    {
        const string source = """
            using Microsoft.Extensions.Logging;

            public record ResetPassword(string Email, string NewPassword);

            public static class Accounts
            {
                public static void Map(WebApplication app) =>
                    app.MapPost("/reset", (ResetPassword body, ILogger<ResetPassword> logger) =>
                    {
                        logger.LogInformation("Reset for {Email}: {NewPassword}", body.Email, {|#0:body.NewPassword|});
                        return Results.NoContent();
                    });
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'body.NewPassword'"));
    }

    [Fact]
    public async Task Leaves_redacted_values_and_look_alikes_alone()
    {
        const string source = """
            using Microsoft.Extensions.Logging;

            public record LoginRequest(string UserName, string Password)
            {
                public override string ToString() => $"LoginRequest {{ UserName = {UserName} }}";
            }

            public class PatientView { public string Name { get; set; } = ""; public string Password { get; set; } = ""; }
            public record Summary(int Id, string Name);

            public class AuthService(ILogger<AuthService> logger)
            {
                public void Login(LoginRequest request, string password, string token, PatientView view, Summary summary, CancellationToken cancellationToken)
                {
                    logger.LogInformation("Password length {PasswordLength}", password.Length);
                    logger.LogInformation("Has password: {HasPassword}", password is not null);
                    logger.LogInformation("Password {Password}", "***");
                    logger.LogInformation("Token {Token}", Redact(token));
                    logger.LogInformation("Token {Token}", Mask(token));
                    logger.LogInformation("Token present: {Present}", !string.IsNullOrEmpty(token));
                    logger.LogInformation("Request {Request}", request);
                    logger.LogInformation("Patient {Patient}", view);
                    logger.LogInformation("Summary {Summary}", summary);
                    logger.LogInformation("Cancelled: {Cancelled} {Token}", cancellationToken.IsCancellationRequested, cancellationToken);
                    logger.LogInformation("User {User} logged in", request.UserName);
                    logger.LogInformation("Token expires in {Seconds}", TokenLifetime);
                    logger.LogInformation($"Login for {request.UserName} ({password.Length} characters)");
                }

                private const int TokenLifetime = 3600;
                private static string Redact(string value) => value.Length > 4 ? value[..4] + "..." : "...";
                private static string Mask(string value) => new string('*', value.Length);
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using Microsoft.Extensions.Logging;

            public class Broken(ILogger<Broken> logger)
            {
                public void Run(string password, Missing missing)
                {
                    logger.LogInformation("Password {Password}", missing.Password);
                    logger.LogInformation("Password {Password", {|#0:password|});
                    logger.LogInformation();
                    logger.LogInformation($"{missing.Token}");
                    logger.LogInformation("x {A}", {|#1:password|}
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("'password'"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(1).WithArguments("'password'"));
        await test.RunAsync();
    }
}
