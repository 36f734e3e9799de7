using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.SignatureComparedInNonConstantTimeAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.SignatureComparedInNonConstantTimeAnalyzer, BackendAnalyzers.CodeFixes.Integration.SignatureComparedInNonConstantTimeCodeFix>;

namespace BackendAnalyzers.Tests.Integration;

public class BA6005_SignatureComparedInNonConstantTimeTests
{
    [Fact]
    public async Task Flags_webhook_signature_compared_with_operator_in_minimal_api()
    {
        const string source = """
            using System.IO;
            using System.Security.Cryptography;
            using System.Text;
            using Microsoft.Extensions.Configuration;

            public static class Webhooks
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/hooks/github", async (HttpRequest request, IConfiguration config) =>
                    {
                        var body = await new StreamReader(request.Body).ReadToEndAsync();
                        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(config["Webhooks:Secret"]!));
                        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
                        string provided = request.Headers["X-Hub-Signature-256"].ToString();
                        if ({|#0:expected != provided|})
                        {
                            return Results.Unauthorized();
                        }

                        return Results.Ok();
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("!="));
    }

    [Fact]
    public async Task Flags_equals_and_sequence_equal_forms_in_a_service()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Text;

            public class SignatureVerifier
            {
                private readonly byte[] _key;
                private readonly string _apiKey;
                public SignatureVerifier(byte[] key, string apiKey) { _key = key; _apiKey = apiKey; }

                public bool Bytes(byte[] payload, string signature)
                {
                    var computed = HMACSHA256.HashData(_key, payload);
                    return {|#0:computed.SequenceEqual(Convert.FromBase64String(signature))|};
                }

                public bool Span(byte[] payload, byte[] signature) =>
                    {|#1:HMACSHA512.HashData(_key, payload).AsSpan().SequenceEqual(signature)|};

                public bool Hex(byte[] payload, string signature)
                {
                    using var hmac = new HMACSHA1(_key);
                    var hex = BitConverter.ToString(hmac.ComputeHash(payload)).Replace("-", "");
                    return {|#2:string.Equals(hex, signature, StringComparison.OrdinalIgnoreCase)|};
                }

                public bool Base64(byte[] payload, string signature)
                {
                    string expected;
                    using (var hmac = new HMACMD5(_key))
                    {
                        expected = Convert.ToBase64String(hmac.ComputeHash(payload));
                    }

                    return {|#3:expected.Equals(signature)|};
                }

                public bool HashedApiKey(string presented, string storedHash) =>
                    {|#4:Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented + _apiKey))) == storedHash|};
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("SequenceEqual"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("SequenceEqual"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("string.Equals"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("Equals"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("=="));
    }

    [Fact]
    public async Task Leaves_constant_time_and_non_signature_comparisons_alone()
    {
        const string source = """
            using System.Security.Cryptography;
            using System.Text;

            public class C
            {
                private readonly byte[] _key = new byte[32];

                public bool FixedTime(byte[] payload, byte[] signature) =>
                    CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), signature);

                public bool NullAndLength(byte[] payload)
                {
                    var hash = HMACSHA256.HashData(_key, payload);
                    var hex = Convert.ToHexString(hash);
                    return hash != null && hex.Length == 64 && hex != "";
                }

                // A content hash (an ETag) is no secret: comparing it in plain time leaks nothing.
                public bool ETag(byte[] content, string ifNoneMatch) =>
                    Convert.ToBase64String(SHA256.HashData(content)) == ifNoneMatch;

                // A plain hash instance and MD5 checksums are not signatures either.
                public bool Checksum(byte[] content, byte[] expected)
                {
                    using var sha = SHA256.Create();
                    return sha.ComputeHash(content).SequenceEqual(expected) && MD5.HashData(content).SequenceEqual(expected);
                }

                public bool Plain(string a, string b) => a == b || string.Equals(a, b) || a.Equals(b);
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

            public class Broken
            {
                public bool Check(byte[] key, byte[] payload, Missing other, byte[] signature)
                {
                    var broken = HMACSHA256.HashData(key, );
                    var hash = HMACSHA256.HashData(key, payload)
                    var unknown = Unknown.HashData(payload);
                    if (unknown == other || broken == other || hash.Equals() || string.Equals(hash)) return true;
                    return {|#0:hash == signature|};
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("=="));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_uses_fixed_time_equals_for_bytes_and_strings()
    {
        const string source = """
            using System.Security.Cryptography;

            public class Verifier(byte[] key)
            {
                public bool Bytes(byte[] payload, byte[] signature) =>
                    {|#0:HMACSHA256.HashData(key, payload).SequenceEqual(signature)|};

                public bool NotEqual(byte[] payload, byte[] signature) =>
                    {|#1:HMACSHA256.HashData(key, payload) != signature|};

                public bool Text(byte[] payload, string signature)
                {
                    var expected = Convert.ToHexString(HMACSHA256.HashData(key, payload));
                    if ({|#2:string.Equals(expected, signature, StringComparison.OrdinalIgnoreCase)|}) return true;
                    return !{|#3:expected.Equals(signature)|};
                }
            }
            """;
        const string fixedSource = """
            using System.Security.Cryptography;
            using System.Text;

            public class Verifier(byte[] key)
            {
                public bool Bytes(byte[] payload, byte[] signature) =>
                    CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature);

                public bool NotEqual(byte[] payload, byte[] signature) =>
                    !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature);

                public bool Text(byte[] payload, string signature)
                {
                    var expected = Convert.ToHexString(HMACSHA256.HashData(key, payload));
                    if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected.ToLowerInvariant()), Encoding.UTF8.GetBytes(signature.ToLowerInvariant()))) return true;
                    return !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            VerifyFix.Diagnostic().WithLocation(0).WithArguments("SequenceEqual"),
            VerifyFix.Diagnostic().WithLocation(1).WithArguments("!="),
            VerifyFix.Diagnostic().WithLocation(2).WithArguments("string.Equals"),
            VerifyFix.Diagnostic().WithLocation(3).WithArguments("Equals"));
    }

    [Fact]
    public async Task Fix_adds_the_cryptography_using()
    {
        const string source = """
            public class Verifier
            {
                public bool Check(byte[] key, byte[] payload, string signature)
                {
                    using var hmac = new System.Security.Cryptography.HMACSHA256(key);
                    var expected = Convert.ToBase64String(hmac.ComputeHash(payload));
                    return {|#0:expected == signature|};
                }
            }
            """;
        const string fixedSource = """
            using System.Security.Cryptography;
            using System.Text;

            public class Verifier
            {
                public bool Check(byte[] key, byte[] payload, string signature)
                {
                    using var hmac = new System.Security.Cryptography.HMACSHA256(key);
                    var expected = Convert.ToBase64String(hmac.ComputeHash(payload));
                    return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, VerifyFix.Diagnostic().WithLocation(0).WithArguments("=="));
    }
}
