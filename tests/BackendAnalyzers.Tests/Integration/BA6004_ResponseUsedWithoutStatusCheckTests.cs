using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.ResponseUsedWithoutStatusCheckAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.ResponseUsedWithoutStatusCheckAnalyzer, BackendAnalyzers.CodeFixes.Integration.ResponseUsedWithoutStatusCheckCodeFix>;

namespace BackendAnalyzers.Tests.Integration;

public class BA6004_ResponseUsedWithoutStatusCheckTests
{
    [Fact]
    public async Task Flags_content_read_of_unchecked_response_in_service()
    {
        const string source = """
            using System.Net.Http;
            using System.Net.Http.Json;

            public record Rate(string Currency, decimal Value);

            public class RatesClient
            {
                private readonly HttpClient _http;
                public RatesClient(HttpClient http) => _http = http;

                public async Task<Rate?> GetAsync(string currency, CancellationToken ct)
                {
                    using var response = await _http.GetAsync("rates/" + currency, ct);
                    return await {|#0:response.Content.ReadFromJsonAsync<Rate>(ct)|};
                }

                public async Task<string> PostAsync(Rate rate, CancellationToken ct)
                {
                    var response = await _http.PostAsJsonAsync("rates", rate, ct);
                    var content = response.Content;
                    return await {|#1:content.ReadAsStringAsync(ct)|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Diag(0, "'response'"),
            Diag(1, "'response'"));
    }

    [Fact]
    public async Task Flags_read_chained_on_the_send_and_in_minimal_api()
    {
        const string source = """
            using System.Net.Http;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/proxy", async (IHttpClientFactory factory, CancellationToken ct) =>
                    {
                        var client = factory.CreateClient("upstream");
                        var request = new HttpRequestMessage(HttpMethod.Get, "/data");
                        var response = await client.SendAsync(request, ct);
                        var bytes = await {|#0:response.Content.ReadAsByteArrayAsync(ct)|};
                        return Results.Bytes(bytes);
                    });

                    app.MapGet("/text", async (HttpClient client) =>
                        await {|#1:(await client.GetAsync("/text")).Content.ReadAsStringAsync()|});
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Diag(0, "'response'"),
            Diag(1, "the response of 'GetAsync'"));
    }

    [Fact]
    public async Task Reports_only_the_first_read_of_a_response()
    {
        const string source = """
            using System.Net.Http;

            public class C
            {
                public async Task<(string, byte[])> Twice(HttpClient client)
                {
                    var response = await client.GetAsync("/x");
                    var text = await {|#0:response.Content.ReadAsStringAsync()|};
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    return (text, bytes);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diag(0, "'response'"));
    }

    [Fact]
    public async Task Leaves_checked_responses_alone()
    {
        const string source = """
            using System.Net;
            using System.Net.Http;
            using System.Net.Http.Json;

            public class C
            {
                public async Task<string> Ensure(HttpClient client)
                {
                    var response = await client.GetAsync("/a");
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync();
                }

                public async Task<string?> IsSuccess(HttpClient client)
                {
                    using var response = await client.GetAsync("/b");
                    if (!response.IsSuccessStatusCode) return null;
                    return await response.Content.ReadAsStringAsync();
                }

                public async Task<string?> StatusCode(HttpClient client)
                {
                    var response = await client.GetAsync("/c");
                    return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsStringAsync();
                }

                public async Task<string> ErrorBodyFirst(HttpClient client)
                {
                    var response = await client.GetAsync("/d");
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException(body);
                    return body;
                }

                public async Task<string> Pattern(HttpClient client)
                {
                    var response = await client.GetAsync("/e");
                    if (response is not { IsSuccessStatusCode: true }) return "";
                    return await response.Content.ReadAsStringAsync();
                }

                public async Task<string> Chained(HttpClient client) =>
                    await (await client.GetAsync("/f")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();

                public async Task<string?> Conditional(HttpClient client)
                {
                    HttpResponseMessage? response = await client.GetAsync("/g");
                    if (response?.IsSuccessStatusCode != true) return null;
                    return await response.Content.ReadAsStringAsync();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_throwing_helpers_handed_responses_and_request_content_alone()
    {
        const string source = """
            using System.Net.Http;
            using System.Net.Http.Json;

            public record Item(int Id);

            public class C
            {
                public Task<string> Get(HttpClient client) => client.GetStringAsync("/a");
                public Task<Item?> Json(HttpClient client) => client.GetFromJsonAsync<Item>("/b");
                public Task<byte[]> Bytes(HttpClient client) => client.GetByteArrayAsync("/c");

                // A response handed in: the caller may have checked it.
                public Task<string> Parameter(HttpResponseMessage response) => response.Content.ReadAsStringAsync();

                // A response from a helper of ours: the helper may check it.
                public async Task<string> FromHelper(HttpClient client)
                {
                    var response = await SendCheckedAsync(client);
                    return await response.Content.ReadAsStringAsync();
                }

                // The response goes to another method, which may check it.
                public async Task<string> HandedOn(HttpClient client)
                {
                    var response = await client.GetAsync("/d");
                    Validate(response);
                    return await response.Content.ReadAsStringAsync();
                }

                // Request content is not a response.
                public async Task<string> Request()
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/e") { Content = new StringContent("x") };
                    return await request.Content!.ReadAsStringAsync();
                }

                private static async Task<HttpResponseMessage> SendCheckedAsync(HttpClient client)
                {
                    var response = await client.GetAsync("/f");
                    return response.EnsureSuccessStatusCode();
                }

                private static void Validate(HttpResponseMessage response) => response.EnsureSuccessStatusCode();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using System.Net.Http;

            public class Broken
            {
                public async Task<string> Get(HttpClient client)
                {
                    var response = await client.GetAsync(
                    var other = await missing.Content.ReadAsStringAsync();
                    var text = await response.Content.ReadAsStringAsync()
                    return await (await client.Unknown("/x")).Content.ReadAsStringAsync();
                }
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_inserts_a_check_before_the_statement()
    {
        const string source = """
            using System.Net.Http;
            using System.Net.Http.Json;

            public record Rate(string Currency, decimal Value);

            public class RatesClient(HttpClient http)
            {
                public async Task<Rate?> GetAsync(string currency, CancellationToken ct)
                {
                    using var response = await http.GetAsync("rates/" + currency, ct);
                    var rate = await {|#0:response.Content.ReadFromJsonAsync<Rate>(ct)|};
                    return rate;
                }
            }
            """;
        const string fixedSource = """
            using System.Net.Http;
            using System.Net.Http.Json;

            public record Rate(string Currency, decimal Value);

            public class RatesClient(HttpClient http)
            {
                public async Task<Rate?> GetAsync(string currency, CancellationToken ct)
                {
                    using var response = await http.GetAsync("rates/" + currency, ct);
                    response.EnsureSuccessStatusCode();
                    var rate = await response.Content.ReadFromJsonAsync<Rate>(ct);
                    return rate;
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diag(0, "'response'"));
    }

    [Fact]
    public async Task Fix_all_handles_two_responses_in_one_statement_and_inline_forms()
    {
        const string source = """
            using System.Net.Http;

            public class C
            {
                public async Task<string> Both(HttpClient client)
                {
                    var first = await client.GetAsync("/a");
                    var second = await client.GetAsync("/b");
                    return await {|#0:first.Content.ReadAsStringAsync()|} + await {|#1:second.Content.ReadAsStringAsync()|};
                }

                public async Task<string> Chained(HttpClient client) =>
                    await {|#2:(await client.GetAsync("/c")).Content.ReadAsStringAsync()|};

                public async Task<string> Embedded(HttpClient client, bool raw)
                {
                    var response = await client.GetAsync("/d");
                    if (raw)
                        return await {|#3:response.Content.ReadAsStringAsync()|};
                    return "";
                }
            }
            """;
        const string fixedSource = """
            using System.Net.Http;

            public class C
            {
                public async Task<string> Both(HttpClient client)
                {
                    var first = await client.GetAsync("/a");
                    var second = await client.GetAsync("/b");
                    first.EnsureSuccessStatusCode();
                    second.EnsureSuccessStatusCode();
                    return await first.Content.ReadAsStringAsync() + await second.Content.ReadAsStringAsync();
                }

                public async Task<string> Chained(HttpClient client) =>
                    await (await client.GetAsync("/c")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();

                public async Task<string> Embedded(HttpClient client, bool raw)
                {
                    var response = await client.GetAsync("/d");
                    if (raw)
                        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
                    return "";
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource,
            Diag(0, "'first'"),
            Diag(1, "'second'"),
            Diag(2, "the response of 'GetAsync'"),
            Diag(3, "'response'"));
    }

    private static DiagnosticResult Diag(int location, string response) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(response).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
