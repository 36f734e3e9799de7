using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Security.PasswordHashedWithFastHashAnalyzer>;

namespace BackendAnalyzers.Tests.Security;

public class BA5006_PasswordHashedWithFastHashTests
{
    [Fact]
    public async Task Flags_fast_hashes_of_passwords()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Text;

            public record RegisterRequest(string Email, string Password);

            public class AccountService
            {
                public string Register(RegisterRequest request) =>
                    Convert.ToHexString({|#0:SHA256.HashData(Encoding.UTF8.GetBytes(request.Password))|});

                public byte[] Salted(string password, byte[] salt)
                {
                    var passwordBytes = Encoding.UTF8.GetBytes(password);
                    return {|#1:SHA512.HashData(salt.Concat(passwordBytes).ToArray())|};
                }

                public string Legacy(string userName, string pwd)
                {
                    using var md5 = MD5.Create();
                    return Convert.ToBase64String({|#2:md5.ComputeHash(Encoding.ASCII.GetBytes($"{userName}:{pwd}"))|});
                }

                public bool Check(string newPassword, string stored)
                {
                    var input = Encoding.UTF8.GetBytes(newPassword.Trim());
                    using HashAlgorithm sha = SHA1.Create();
                    return Convert.ToHexString({|#3:sha.ComputeHash(input)|}) == stored;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("SHA256.HashData", "SHA256"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("SHA512.HashData", "SHA512"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("ComputeHash", "MD5"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("ComputeHash", "a general-purpose hash algorithm"));
    }

    [Fact]
    public async Task Flags_a_minimal_api_login()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Text;

            public record Login(string UserName, string Password);

            public static class LoginEndpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapPost("/login", (Login login) =>
                    {
                        var hash = Convert.ToHexString({|#0:SHA1.HashData(Encoding.UTF8.GetBytes(login.Password + "static-salt"))|});
                        return Results.Ok(hash.Length);
                    });
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("SHA1.HashData", "SHA1"));
    }

    [Fact]
    public async Task Leaves_checksums_tokens_and_slow_hashes_alone()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Text;
            using Microsoft.AspNetCore.Identity;

            public class User { public string PasswordHash { get; set; } = ""; }

            public class Hashing
            {
                public byte[] FileChecksum(System.IO.Stream file) => SHA256.HashData(file);
                public byte[] ContentHash(byte[] content) => SHA256.HashData(content);
                public string ETag(string body) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(body)));
                public byte[] ResetToken(string passwordResetToken) => SHA256.HashData(Encoding.UTF8.GetBytes(passwordResetToken));
                public byte[] Rehash(User user) => SHA256.HashData(Encoding.UTF8.GetBytes(user.PasswordHash));
                public int Length(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password.Length.ToString())).Length;

                public byte[] Pbkdf2(string password, byte[] salt) =>
                    Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);

                public byte[] KeyThenDigest(string password, byte[] salt) =>
                    SHA256.HashData(Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32));

                public string Identity(User user, string password) => new PasswordHasher<User>().HashPassword(user, password);

                public byte[] Hmac(byte[] key, string password) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(password));

                public byte[] Keyed(byte[] key, string password)
                {
                    using var hmac = new HMACSHA256(key);
                    return hmac.ComputeHash(Encoding.UTF8.GetBytes(password));
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
            using System.Security.Cryptography;
            using System.Text;

            public class Broken
            {
                public byte[] Hash(string password, Missing missing)
                {
                    var a = SHA256.HashData();
                    var b = SHA256.HashData(missing.Password);
                    var c = Unknown.HashData(Encoding.UTF8.GetBytes(password));
                    var d = {|#0:SHA256.HashData(Encoding.UTF8.GetBytes(password))|}
                    return SHA256.HashData(Encoding.UTF8.GetBytes(password, ));
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("SHA256.HashData", "SHA256"));
        await test.RunAsync();
    }
}
