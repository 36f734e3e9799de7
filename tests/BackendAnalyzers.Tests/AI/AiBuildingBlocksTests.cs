extern alias ai;

using ai::BackendAnalyzers.AI.Actions;
using ai::BackendAnalyzers.AI.Configuration;
using ai::BackendAnalyzers.AI.Grounding;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace BackendAnalyzers.Tests.AI;

/// <summary>The parts of the AI package that need no server: settings, redaction, the token budget, answer parsing.</summary>
public sealed class AiBuildingBlocksTests
{
    private static AiSettings? Read(Dictionary<string, string> options, Dictionary<string, string?> environment) =>
        AiSettings.Read(name => options.TryGetValue(name, out var v) ? v : null, name => environment.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Azure_settings_need_an_endpoint_a_deployment_and_the_key_from_the_environment()
    {
        var options = new Dictionary<string, string>
        {
            ["backend_analyzers.ai.provider"] = "azure",
            ["backend_analyzers.ai.deployment"] = "gpt-4o",
        };
        Assert.Null(Read(options, new() { ["AZURE_OPENAI_API_KEY"] = "k1234" }));

        var settings = Read(options, new() { ["AZURE_OPENAI_API_KEY"] = "k1234", ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com/" });
        Assert.NotNull(settings);
        Assert.Equal(AiProvider.Azure, settings!.Provider);
        Assert.Equal("gpt-4o", settings.Model);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Timeout);
        Assert.Equal(AiSettings.DefaultMaxPromptTokens, settings.MaxPromptTokens);
        Assert.DoesNotContain("k1234", settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("k1234", settings.Identity, StringComparison.Ordinal);

        options["backend_analyzers.ai.endpoint"] = "https://other.openai.azure.com/";
        options["backend_analyzers.ai.timeout_seconds"] = "15";
        options["backend_analyzers.ai.max_prompt_tokens"] = "2000";
        settings = Read(options, new() { ["AZURE_OPENAI_API_KEY"] = "k1234", ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com/" })!;
        Assert.Equal("other.openai.azure.com", settings.Endpoint!.Host);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Timeout);
        Assert.Equal(2000, settings.MaxPromptTokens);
    }

    [Fact]
    public void OpenAI_settings_take_the_key_from_the_environment_and_a_local_server_needs_none()
    {
        var options = new Dictionary<string, string> { ["backend_analyzers.ai.provider"] = "OpenAI", ["backend_analyzers.ai.model"] = "gpt-4o-mini" };
        Assert.Null(Read(options, new()));
        Assert.Null(Read(new() { ["backend_analyzers.ai.provider"] = "openai" }, new() { ["OPENAI_API_KEY"] = "sk-x" }));

        var hosted = Read(options, new() { ["OPENAI_API_KEY"] = "sk-x" })!;
        Assert.Null(hosted.Endpoint);
        Assert.Equal("sk-x", hosted.ApiKey);

        var local = Read(options, new() { ["OPENAI_BASE_URL"] = "http://localhost:11434/v1" })!;
        Assert.Equal(11434, local.Endpoint!.Port);

        // Plain http away from this machine is refused, so is an unparsable address.
        Assert.Null(Read(options, new() { ["OPENAI_API_KEY"] = "sk-x", ["OPENAI_BASE_URL"] = "http://10.1.2.3/v1" }));
        Assert.Null(Read(options, new() { ["OPENAI_API_KEY"] = "sk-x", ["OPENAI_BASE_URL"] = "not a url" }));
        // Unknown providers mean "not configured".
        Assert.Null(Read(new() { ["backend_analyzers.ai.provider"] = "anthropic", ["backend_analyzers.ai.model"] = "m" }, new() { ["OPENAI_API_KEY"] = "sk-x" }));
    }

    [Theory]
    [InlineData("var cs = \"Server=db;Database=app;User Id=sa;Password=P@ssw0rd!;\";", "P@ssw0rd!")]
    [InlineData("var cs = \"Server=db;Uid=app;Pwd=hunter22;\";", "hunter22")]
    [InlineData("var storage = \"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=q1w2e3r4t5y6u7i8o9p0==;\";", "q1w2e3r4t5y6u7i8o9p0==")]
    [InlineData("private const string ApiKey = \"live_9f8e7d6c5b\";", "live_9f8e7d6c5b")]
    [InlineData("options.ClientSecret = \"abc-def-ghi-jkl\";", "abc-def-ghi-jkl")]
    [InlineData("new { password = \"correct horse\" }", "correct horse")]
    [InlineData("var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(\"my signing key that is long enough\"));", "my signing key that is long enough")]
    [InlineData("var openAi = \"sk-proj-abcdefghijklmnopqrstuvwx\";", "sk-proj-abcdefghijklmnopqrstuvwx")]
    [InlineData("var aws = \"AKIAABCDEFGHIJKLMNOP\";", "AKIAABCDEFGHIJKLMNOP")]
    [InlineData("var opaque = \"Zx81Kq02Lm93Np74Ow65Pv56\";", "Zx81Kq02Lm93Np74Ow65Pv56")]
    public void The_redactor_removes_secrets(string code, string secret)
    {
        var redacted = new SecretRedactor().Redact(code);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Marker, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var connectionString = configuration.GetConnectionString(\"Clinic\");")]
    [InlineData("var password = request.Password;")]
    [InlineData("app.MapGet(\"/api/patients/{id:int}\", GetPatient);")]
    [InlineData("const string CacheKeyPrefix = \"doctor:\";")]
    [InlineData("var apiKey = \"\";")]
    [InlineData("private const string ApiKeyHeader = \"X-Api-Key\";")]
    [InlineData("var name = \"BackendSampleFeaturesPatientsController\";")]
    [InlineData("public const string TokenEndpoint = \"https://login.example.com/oauth2/token\";")]
    [InlineData("if (user.Password == null) { }")]
    public void The_redactor_leaves_ordinary_code_alone(string code)
    {
        Assert.Equal(code, new SecretRedactor().Redact(code));
    }

    [Fact]
    public void The_redactor_removes_the_key_in_use_whatever_its_shape()
    {
        Assert.Equal("x = <redacted>;", new SecretRedactor(new[] { "plain words" }).Redact("x = plain words;"));
    }

    [Fact]
    public void The_token_budget_drops_sections_in_the_documented_order_and_never_the_target_or_the_diagnostic()
    {
        var sections = new[]
        {
            new PromptSection(SectionKind.Target, "t", new string('t', 400)),
            new PromptSection(SectionKind.Diagnostic, "d", new string('d', 400)),
            new PromptSection(SectionKind.TypeOutline, "o", new string('o', 400)),
            new PromptSection(SectionKind.CalledMembers, "c", new string('c', 400)),
            new PromptSection(SectionKind.Services, "s", new string('s', 400)),
            new PromptSection(SectionKind.DataTypes, "e", new string('e', 400)),
            new PromptSection(SectionKind.Validators, "v", new string('v', 400)),
            new PromptSection(SectionKind.TestStyleSample, "x", new string('x', 400)),
        };

        var kept = TokenBudget.Apply(sections, 0, 420, out var dropped);
        Assert.Equal(
            new[] { SectionKind.TestStyleSample, SectionKind.Validators, SectionKind.DataTypes, SectionKind.Services },
            dropped.ToArray());
        Assert.Equal(new[] { SectionKind.Target, SectionKind.Diagnostic, SectionKind.TypeOutline, SectionKind.CalledMembers }, kept.Select(s => s.Kind).ToArray());

        TokenBudget.Apply(sections, 0, 1, out dropped);
        Assert.Equal(TokenBudget.DropOrder, dropped.ToArray());
        Assert.Equal(
            new[] { SectionKind.TestStyleSample, SectionKind.Validators, SectionKind.DataTypes, SectionKind.Services, SectionKind.CalledMembers, SectionKind.TypeOutline },
            TokenBudget.DropOrder);
    }

    [Fact]
    public void A_method_answer_may_be_the_whole_method_or_just_its_body()
    {
        var original = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
            "public Task<int> CountAsync(string name, CancellationToken cancellationToken) => throw new NotImplementedException();")!;

        var whole = AnswerParser.ParseMethodAnswer(original, "public async Task<int> CountAsync(string name, CancellationToken cancellationToken)\n{\n    return await Task.FromResult(name.Length);\n}", out var error);
        Assert.Null(error);
        Assert.Contains("async", whole!.Modifiers.ToString(), StringComparison.Ordinal);
        Assert.NotNull(whole.Body);
        Assert.Null(whole.ExpressionBody);

        var body = AnswerParser.ParseMethodAnswer(original, "var n = await Task.FromResult(name.Length);\nreturn n;", out error);
        Assert.Null(error);
        Assert.Contains("async", body!.Modifiers.ToString(), StringComparison.Ordinal);

        Assert.Null(AnswerParser.ParseMethodAnswer(original, "public Task<int> Other(int x) { return Task.FromResult(x); }", out error));
        Assert.Contains("different method", error, StringComparison.Ordinal);

        Assert.Null(AnswerParser.ParseMethodAnswer(original, "return name.Length", out error));
        Assert.Contains("does not parse", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_code_is_taken_from_the_first_csharp_block_and_leading_usings_are_split_off()
    {
        var answer = "Sure.\n```text\nnot this\n```\n```csharp\nusing System.Text;\n\npublic int X() => 1;\n```\nDone.";
        var code = AnswerParser.ExtractCode(answer);
        Assert.Equal("using System.Text;\n\npublic int X() => 1;", code);
        var (usings, rest) = AnswerParser.SplitUsings(code);
        Assert.Equal("using System.Text;", Assert.Single(usings).ToString());
        Assert.Equal("public int X() => 1;", rest.Trim());
        Assert.Equal("return 1;", AnswerParser.ExtractCode("return 1;"));
    }

    [Fact]
    public void The_failure_comment_is_one_line_and_redacted()
    {
        var text = FailureComment.Text("Fix with AI", "CS0103: The name 'x'\ndoes not exist; Password=abc123", new SecretRedactor());
        Assert.Equal("// Fix with AI: not applied: CS0103: The name 'x' does not exist; Password=<redacted>", text);
    }
}
