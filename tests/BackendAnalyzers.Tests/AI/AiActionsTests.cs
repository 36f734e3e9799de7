extern alias ai;

using ai::BackendAnalyzers.AI.Configuration;
using ai::BackendAnalyzers.AI.Providers;
using ai::BackendAnalyzers.AI.Transport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Xunit;
using static BackendAnalyzers.Tests.AI.AiTestSolution;

namespace BackendAnalyzers.Tests.AI;

/// <summary>
/// The three AI actions end to end against a stub chat server on 127.0.0.1: what is offered, what is sent, what is
/// verified and applied, and how failures end. No test reaches the network.
/// </summary>
public sealed class AiActionsTests
{
    private const string ServiceToImplement = """
        using Clinic;

        namespace App;

        public sealed record PatientSummary(int Id, string Name);

        public interface IPatientService
        {
            /// <summary>The patient with this id, or null.</summary>
            Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken);
        }

        public sealed class PatientService : IPatientService
        {
            private const string ReportingApiKey = "a8F3kP0qZ7xW2mN9vB4cL6tY1hJ5gD8s";
            private readonly AppDb _db;

            public PatientService(AppDb db)
            {
                _db = db;
            }

            public Task<PatientSummary?> $$FindAsync(int id, CancellationToken cancellationToken) => throw new NotImplementedException();
        }
        """;

    private const string GoodImplementation = """
        Here is the implementation:

        ```csharp
        public async Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken)
        {
            return await _db.Patients
                .AsNoTracking()
                .Where(p => p.Id == id)
                .Select(p => new PatientSummary(p.Id, p.Name))
                .FirstOrDefaultAsync(cancellationToken);
        }
        ```
        """;

    private const string ImplementationThatDoesNotCompile = """
        ```csharp
        public async Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken)
        {
            var patient = await _db.Patient.FindAsync(new object[] { id }, cancellationToken);
            return patient is null ? null : new PatientSummary(patient.Id, patient.Name);
        }
        ```
        """;

    private const string ImplementationWithQueryInLoop = """
        ```csharp
        public async Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken)
        {
            foreach (var doctor in await _db.Doctors.ToListAsync(cancellationToken))
            {
                var patient = await _db.Patients.FirstOrDefaultAsync(p => p.Id == id && p.DoctorId == doctor.DoctorId, cancellationToken);
                if (patient is not null)
                {
                    return new PatientSummary(patient.Id, patient.Name);
                }
            }

            return null;
        }
        ```
        """;

    private const string ServiceWithQueryInLoop = """
        using Clinic;

        namespace App;

        public sealed class DoctorStats
        {
            private readonly AppDb _db;

            public DoctorStats(AppDb db)
            {
                _db = db;
            }

            public async Task<Dictionary<int, int>> PatientCountsAsync(CancellationToken cancellationToken)
            {
                var counts = new Dictionary<int, int>();
                foreach (var doctor in await _db.Doctors.ToListAsync(cancellationToken))
                {
                    counts[doctor.DoctorId] = await _db.Patients.CountAsync(p => p.DoctorId == doctor.DoctorId, cancellationToken);
                }

                return counts;
            }
        }
        """;

    private const string FixedCounts = """
        ```csharp
        public async Task<Dictionary<int, int>> PatientCountsAsync(CancellationToken cancellationToken)
        {
            var doctors = await _db.Doctors.ToListAsync(cancellationToken);
            var ids = doctors.Select(d => d.DoctorId).ToList();
            var perDoctor = await _db.Patients
                .Where(p => ids.Contains(p.DoctorId))
                .GroupBy(p => p.DoctorId)
                .Select(g => new { DoctorId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.DoctorId, x => x.Count, cancellationToken);

            var counts = new Dictionary<int, int>();
            foreach (var doctor in doctors)
            {
                counts[doctor.DoctorId] = perDoctor.TryGetValue(doctor.DoctorId, out var count) ? count : 0;
            }

            return counts;
        }
        ```
        """;

    private const string FixedCountsThatDoNotCompile = """
        ```csharp
        public async Task<Dictionary<int, int>> PatientCountsAsync(CancellationToken cancellationToken)
        {
            return await _db.Doctors.ToDictionaryAsync(d => d.DoctorId, d => d.PatientCount, cancellationToken);
        }
        ```
        """;

    [Fact]
    public async Task Implement_with_AI_applies_a_good_answer_sent_to_the_Azure_path()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(GoodImplementation));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        Assert.Equal("Implement with AI", action.Title);
        Assert.Equal(CodeActionPriority.Low, action.Priority);
        var solution = await ApplyAsync(action, document.Project.Solution);

        var text = await TextAsync(solution, document.Id);
        Assert.Contains("public async Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken)", text, StringComparison.Ordinal);
        Assert.Contains(".FirstOrDefaultAsync(cancellationToken);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NotImplementedException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not applied", text, StringComparison.Ordinal);
        Assert.Empty(await CompilerErrorsAsync(solution.GetProject(document.Project.Id)!));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/openai/deployments/backend-gpt/chat/completions", request.Path);
        Assert.Contains("api-version=", request.Query, StringComparison.Ordinal);
        Assert.Equal(Key, request.Headers["api-key"]);

        using var json = request.Json;
        Assert.Equal(0, json.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(AiSettings.Seed, json.RootElement.GetProperty("seed").GetInt64());

        // Grounded: the member, its interface's documentation, the injected DbContext, the DTO and the EF model.
        var messages = request.Messages();
        Assert.Contains("Task<PatientSummary?> FindAsync(int id, CancellationToken cancellationToken) => throw new NotImplementedException();", messages, StringComparison.Ordinal);
        Assert.Contains("Implements: Task<PatientSummary?> IPatientService.FindAsync", messages, StringComparison.Ordinal);
        Assert.Contains("The patient with this id, or null.", messages, StringComparison.Ordinal);
        Assert.Contains("DbSet<Patient> Patients", messages, StringComparison.Ordinal);
        Assert.Contains("record PatientSummary(int Id, string Name)", messages, StringComparison.Ordinal);
        Assert.Contains("EF entity Patient: primary key Id", messages, StringComparison.Ordinal);
        Assert.Contains("navigations", messages, StringComparison.Ordinal);
        // Secrets stay out: the key-like constant of the containing type is redacted.
        Assert.DoesNotContain("a8F3kP0qZ7xW2mN9vB4cL6tY1hJ5gD8s", messages, StringComparison.Ordinal);
        Assert.Contains("<redacted>", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_with_AI_retries_an_answer_that_does_not_compile_with_its_errors_then_applies_the_second_on_the_OpenAI_path()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(FixedCountsThatDoNotCompile), StubReply.Answer(FixedCounts));
        var (document, _) = Create(ServiceWithQueryInLoop, OpenAIConfig());
        var provider = new FixWithAiCodeFixProvider(Services(OpenAIEnvironment(server)));
        Assert.Null(provider.GetFixAllProvider());

        var action = Assert.Single(await FixesAsync(provider, document, "BA3001"));
        Assert.Equal("Fix with AI", action.Title);
        var solution = await ApplyAsync(action, document.Project.Solution);

        var text = await TextAsync(solution, document.Id);
        Assert.Contains("ToDictionaryAsync(x => x.DoctorId, x => x.Count, cancellationToken)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not applied", text, StringComparison.Ordinal);
        Assert.Empty(await CompilerErrorsAsync(solution.GetProject(document.Project.Id)!));
        Assert.DoesNotContain(await DiagnosticsAsync(solution.GetDocument(document.Id)!), d => d.Id == "BA3001");

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Key, r.Headers["Authorization"]));
        var first = server.Requests[0].Messages();
        Assert.Contains("BA3001", first, StringComparison.Ordinal);
        Assert.Contains("What the rule wants:", first, StringComparison.Ordinal);
        var second = server.Requests[1].Messages();
        Assert.Contains("assistant: ", second, StringComparison.Ordinal);
        Assert.Contains("CS1061", second, StringComparison.Ordinal);
        Assert.Contains("PatientCount", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_bad_answers_leave_the_code_as_it_was_with_one_comment_naming_the_errors()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(ImplementationThatDoesNotCompile), StubReply.Answer(ImplementationWithQueryInLoop));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        var solution = await ApplyAsync(action, document.Project.Solution);

        var text = await TextAsync(solution, document.Id);
        var original = (await document.GetTextAsync()).ToString();
        var comment = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("// ", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(comment);
        Assert.StartsWith("// Implement with AI: not applied: BA3001", only, StringComparison.Ordinal);
        Assert.Equal(original, text.Replace(only + "\n    ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("CS1061", server.Requests[1].Messages(), StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);

        // Applying it again after a failure replaces the comment rather than stacking a second one.
        server.Enqueue(StubReply.Error(500), StubReply.Error(500));
        var again = await RefactoringsAsync(provider, solution.GetDocument(document.Id)!, (await TextAsync(solution, document.Id)).LastIndexOf("FindAsync(int", StringComparison.Ordinal));
        var secondRun = await TextAsync(await ApplyAsync(Assert.Single(again), solution), document.Id);
        Assert.Single(secondRun.Split('\n'), l => l.Contains("not applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_preview_and_the_light_bulb_send_nothing()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(GoodImplementation));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        var preview = await action.GetPreviewOperationsAsync(CancellationToken.None);

        var operation = Assert.Single(preview);
        Assert.IsNotType<ApplyChangesOperation>(operation);
        var description = await Assert.IsAssignableFrom<PreviewOperation>(operation).GetPreviewAsync(CancellationToken.None);
        Assert.Contains("Nothing is sent until you apply this action", Assert.IsType<string>(description), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_timeout_ends_cleanly_with_a_comment()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Slow(TimeSpan.FromSeconds(20), GoodImplementation), StubReply.Slow(TimeSpan.FromSeconds(20), GoodImplementation));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server, timeoutSeconds: 1));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var solution = await ApplyAsync(action, document.Project.Solution);
        watch.Stop();

        var text = await TextAsync(solution, document.Id);
        Assert.Contains("// Implement with AI: not applied: the AI request failed: no answer within 1 s", text, StringComparison.Ordinal);
        Assert.Contains("=> throw new NotImplementedException();", text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "The timeout did not bound the request: " + watch.Elapsed);
    }

    [Theory]
    [InlineData(401, "refused the key (HTTP 401); check AZURE_OPENAI_API_KEY")]
    [InlineData(429, "rate limiting requests (HTTP 429)")]
    public async Task Refused_and_rate_limited_requests_end_cleanly_with_a_comment(int status, string expected)
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Error(status), StubReply.Error(status), StubReply.Error(status));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        var solution = await ApplyAsync(action, document.Project.Solution);

        var text = await TextAsync(solution, document.Id);
        Assert.Contains("// Implement with AI: not applied: the AI request failed: ", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        // 401 is not retried; 429 gets the one transport retry.
        Assert.Equal(status == 429 ? 2 : 1, server.Requests.Count);
    }

    [Fact]
    public async Task The_key_never_appears_in_a_request_body_or_any_file()
    {
        // The source even holds the key itself in a literal: it is redacted like any secret.
        var source = ServiceToImplement.Replace("a8F3kP0qZ7xW2mN9vB4cL6tY1hJ5gD8s", Key, StringComparison.Ordinal)
            + "\npublic static class Settings { public const string ConnectionString = \"Server=db;Database=clinic;User Id=app;Password=Sup3rS3cret!;\"; }\n";
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(ImplementationThatDoesNotCompile), StubReply.Answer(GoodImplementation));
        var (document, caret) = Create(source, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));
        var solution = await ApplyAsync(action, document.Project.Solution);

        Assert.Equal(2, server.Requests.Count);
        foreach (var request in server.Requests)
        {
            Assert.DoesNotContain(Key, request.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Sup3rS3cret!", request.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, request.Path + request.Query, StringComparison.Ordinal);
        }

        // The only files with the key are those that had it before (the source literal); nothing new carries it.
        var before = await AllTextAsync(document.Project.Solution);
        var after = await AllTextAsync(solution);
        Assert.Equal(CountOf(before, Key), CountOf(after, Key));
    }

    [Fact]
    public async Task A_repeated_request_is_served_from_the_cache()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(GoodImplementation));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        var first = await ApplyAsync(Assert.Single(await RefactoringsAsync(provider, document, caret)), document.Project.Solution);
        var second = await ApplyAsync(Assert.Single(await RefactoringsAsync(provider, document, caret)), document.Project.Solution);

        Assert.Single(server.Requests);
        Assert.Equal(await TextAsync(first, document.Id), await TextAsync(second, document.Id));
        Assert.DoesNotContain("NotImplementedException", await TextAsync(second, document.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_configuration_there_is_no_action_and_nothing_is_sent()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(GoodImplementation));

        // No .editorconfig at all, even with keys in the environment.
        var (bare, caret) = Create(ServiceToImplement, editorConfig: null);
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(Services(AzureEnvironment())), bare, caret));
        Assert.Empty(await FixesAsync(new FixWithAiCodeFixProvider(Services(AzureEnvironment())), Create(ServiceWithQueryInLoop, null).Document, "BA3001"));

        // A provider but no key in the environment.
        var (noKey, caret2) = Create(ServiceToImplement, AzureConfig(server));
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(Services(new Dictionary<string, string?>())), noKey, caret2));

        // Provider "none".
        var (none, caret3) = Create(ServiceToImplement, "backend_analyzers.ai.provider = none\n");
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(Services(AzureEnvironment())), none, caret3));

        // An http endpoint off this machine would carry the key in clear text: refused.
        var (plainHttp, caret4) = Create(ServiceToImplement, "backend_analyzers.ai.provider = azure\nbackend_analyzers.ai.endpoint = http://example.com/\nbackend_analyzers.ai.deployment = d\n");
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(Services(AzureEnvironment())), plainHttp, caret4));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task When_the_AI_assemblies_cannot_be_loaded_the_actions_do_not_appear()
    {
        using var server = new StubChatServer();
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var unloadable = new AiServices(
            name => AzureEnvironment().TryGetValue(name, out var value) ? value : null,
            _ => throw new FileNotFoundException("Could not load file or assembly 'OpenAI, Version=2.1.0.0'"));
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(unloadable), document, caret));

        var missing = new AiServices(name => AzureEnvironment().TryGetValue(name, out var value) ? value : null, _ => null);
        Assert.Empty(await RefactoringsAsync(new ImplementWithAiRefactoringProvider(missing), document, caret));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Implement_is_offered_only_on_methods_that_throw_NotImplementedException()
    {
        using var server = new StubChatServer();
        var source = """
            namespace App;

            public sealed class Calculator
            {
                public int $$Add(int a, int b) => a + b;

                public int Subtract(int a, int b) { throw new InvalidOperationException(); }

                public int Multiply(int a, int b)
                {
                    throw new NotImplementedException("later");
                }
            }
            """;
        var (document, caret) = Create(source, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));
        var text = (await document.GetTextAsync()).ToString();

        Assert.Empty(await RefactoringsAsync(provider, document, caret));
        Assert.Empty(await RefactoringsAsync(provider, document, text.IndexOf("Subtract", StringComparison.Ordinal)));
        Assert.Single(await RefactoringsAsync(provider, document, text.IndexOf("Multiply", StringComparison.Ordinal)));
        Assert.Single(await RefactoringsAsync(provider, document, text.IndexOf("throw new NotImplementedException", StringComparison.Ordinal)));
        // Inside the body but not on the throw (here: nowhere else) and outside any method: nothing.
        Assert.Empty(await RefactoringsAsync(provider, document, text.IndexOf("namespace", StringComparison.Ordinal)));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Fix_with_AI_is_not_offered_on_rules_with_a_deterministic_fix_or_without_configuration()
    {
        var provider = new FixWithAiCodeFixProvider(Services(AzureEnvironment()));
        Assert.Equal(
            new[] { "BA1001", "BA1002", "BA1003", "BA2007", "BA3001", "BA3003", "BA3009", "BA5004", "BA5006", "BA6001" },
            provider.FixableDiagnosticIds.ToArray());
        Assert.DoesNotContain("BA4001", provider.FixableDiagnosticIds);
    }

    [Fact]
    public async Task Cancellation_by_the_user_stops_the_request()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Slow(TimeSpan.FromSeconds(20), GoodImplementation));
        var (document, caret) = Create(ServiceToImplement, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));
        var action = Assert.Single(await RefactoringsAsync(provider, document, caret));

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => action.GetOperationsAsync(cancellation.Token));
    }

    [Fact]
    public async Task BA1001_is_left_to_the_core_fix_on_MVC_controllers_without_ApiController()
    {
        using var server = new StubChatServer();
        var source = """
            namespace App;

            public sealed record NoteRequest(string Text);

            public sealed class NotesController : Controller
            {
                [HttpPost("notes")]
                public IActionResult Create([FromBody] NoteRequest request) => Ok(request.Text);
            }

            [ApiController]
            public sealed class TagsController : ControllerBase
            {
                [HttpPost("tags")]
                public IActionResult Create([FromBody] NoteRequest request) => Ok(request.Text);
            }
            """;
        var (document, _) = Create(source, AzureConfig(server));
        var text = (await document.GetTextAsync()).ToString();
        var provider = new FixWithAiCodeFixProvider(Services(AzureEnvironment()));
        var descriptor = new DiagnosticDescriptor("BA1001", "Request model is never validated", "m", "Validation", DiagnosticSeverity.Warning, true);

        async Task<int> OfferedAsync(int occurrence)
        {
            var position = -1;
            for (var i = 0; i <= occurrence; i++)
            {
                position = text.IndexOf("NoteRequest request", position + 1, StringComparison.Ordinal);
            }

            var tree = (await document.GetSyntaxTreeAsync())!;
            var diagnostic = Diagnostic.Create(descriptor, Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(position, 19)));
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            return actions.Count;
        }

        Assert.Equal(0, await OfferedAsync(0));
        Assert.Equal(1, await OfferedAsync(1));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_prompt_carries_the_validators_of_the_types_the_member_touches()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Error(500), StubReply.Error(500));
        var source = """
            using Clinic;
            using FluentValidation;

            namespace App;

            public sealed record RenamePatient(int Id, string Name);

            public sealed class RenamePatientValidator : AbstractValidator<RenamePatient>
            {
                public RenamePatientValidator()
                {
                    RuleFor(x => x.Name).NotEmpty().MaximumLength(80);
                }
            }

            public sealed class PatientCommands(AppDb db)
            {
                public Task<bool> $$RenameAsync(RenamePatient command, CancellationToken cancellationToken) => throw new NotImplementedException();
            }
            """;
        var (document, caret) = Create(source, AzureConfig(server));
        var provider = new ImplementWithAiRefactoringProvider(Services(AzureEnvironment()));

        await ApplyAsync(Assert.Single(await RefactoringsAsync(provider, document, caret)), document.Project.Solution);

        var messages = server.Requests[0].Messages();
        Assert.Contains("### Existing validators of those types", messages, StringComparison.Ordinal);
        Assert.Contains("RuleFor(x => x.Name).NotEmpty().MaximumLength(80);", messages, StringComparison.Ordinal);
        Assert.Contains("// db: AppDb", messages, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
