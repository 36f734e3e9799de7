extern alias ai;

using System.Collections.Immutable;
using ai::BackendAnalyzers.AI.Configuration;
using ai::BackendAnalyzers.AI.Transport;
using BackendAnalyzers.Tests.RepoWide;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Tests.AI;

/// <summary>
/// Solutions for the AI tests: an AdhocWorkspace project with the offline references, the BA analyzers attached as
/// analyzer references (as a project that installed the package has them) and an .editorconfig; plus the helpers
/// that run a provider, preview and apply its action.
/// </summary>
public static class AiTestSolution
{
    public const string Root = "/work";
    public const string ProjectDirectory = Root + "/App";
    public const string Key = "test-key-5fb1c8e2d0a94b7c9e3d";

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>An .editorconfig body for the Azure provider pointing at <paramref name="server"/>.</summary>
    public static string AzureConfig(StubChatServer server, int? timeoutSeconds = null) =>
        "backend_analyzers.ai.provider = azure\n"
        + $"backend_analyzers.ai.endpoint = {server.AzureEndpoint}\n"
        + "backend_analyzers.ai.deployment = backend-gpt\n"
        + (timeoutSeconds is null ? string.Empty : $"backend_analyzers.ai.timeout_seconds = {timeoutSeconds}\n");

    /// <summary>An .editorconfig body for the OpenAI provider; the endpoint comes from OPENAI_BASE_URL.</summary>
    public static string OpenAIConfig() =>
        "backend_analyzers.ai.provider = openai\n"
        + "backend_analyzers.ai.model = local-coder\n";

    public static Dictionary<string, string?> AzureEnvironment() => new() { ["AZURE_OPENAI_API_KEY"] = Key };

    public static Dictionary<string, string?> OpenAIEnvironment(StubChatServer server) =>
        new() { ["OPENAI_API_KEY"] = Key, ["OPENAI_BASE_URL"] = server.OpenAIEndpoint };

    internal static AiServices Services(IReadOnlyDictionary<string, string?> environment) =>
        new(name => environment.TryGetValue(name, out var value) ? value : null, TransportFactory.TryCreate);

    /// <summary>
    /// A solution with one project "App": <paramref name="source"/> (with <c>$$</c> marking the caret, removed), the
    /// clinic model and web global usings, and <paramref name="editorConfig"/> under <c>[*.cs]</c>.
    /// </summary>
    public static (Document Document, int Caret) Create(string source, string? editorConfig, bool withAnalyzers = true)
    {
        var caret = source.IndexOf("$$", StringComparison.Ordinal);
        source = source.Replace("$$", string.Empty, StringComparison.Ordinal);

        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "App",
            "App",
            LanguageNames.CSharp,
            filePath: ProjectDirectory + "/App.csproj",
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: ParseOptions,
            metadataReferences: TestReferences.All,
            analyzerReferences: withAnalyzers ? new[] { new AnalyzerImageReference(AnalyzerCatalog.Analyzers) } : Array.Empty<AnalyzerReference>()));

        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution
            .AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.cs", SourceText.From(TestSources.GlobalUsings), filePath: ProjectDirectory + "/GlobalUsings.cs")
            .AddDocument(DocumentId.CreateNewId(projectId), "ClinicModel.cs", SourceText.From(TestSources.ClinicModel), filePath: ProjectDirectory + "/ClinicModel.cs")
            .AddDocument(documentId, "Service.cs", SourceText.From(source), filePath: ProjectDirectory + "/Service.cs");
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId),
                ".editorconfig",
                SourceText.From("root = true\n\n[*.cs]\n" + editorConfig),
                filePath: Root + "/.editorconfig");
        }

        return (solution.GetDocument(documentId)!, caret);
    }

    public static async Task<List<CodeAction>> RefactoringsAsync(CodeRefactoringProvider provider, Document document, int position)
    {
        var actions = new List<CodeAction>();
        var context = new CodeRefactoringContext(document, new TextSpan(position, 0), actions.Add, CancellationToken.None);
        await provider.ComputeRefactoringsAsync(context);
        return actions;
    }

    /// <summary>The BA diagnostics of the document's project, computed with the catalog's analyzers.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(AnalyzerCatalog.Analyzers, document.Project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
    }

    public static async Task<List<CodeAction>> FixesAsync(CodeFixProvider provider, Document document, string id)
    {
        var actions = new List<CodeAction>();
        var tree = await document.GetSyntaxTreeAsync();
        foreach (var diagnostic in (await DiagnosticsAsync(document)).Where(d => d.Id == id && d.Location.SourceTree == tree))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    /// <summary>Applies the action as the IDE does and returns the solution it produces (the original when it produced none).</summary>
    public static async Task<Solution> ApplyAsync(CodeAction action, Solution original, CancellationToken cancellationToken = default)
    {
        var operations = await action.GetOperationsAsync(cancellationToken);
        return operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution ?? original;
    }

    public static async Task<string> TextAsync(Solution solution, DocumentId id) =>
        (await solution.GetDocument(id)!.GetTextAsync()).ToString();

    /// <summary>Every document's text in the solution, for "the key never appears in any file".</summary>
    public static async Task<string> AllTextAsync(Solution solution)
    {
        var parts = new List<string>();
        foreach (var project in solution.Projects)
        {
            foreach (var document in project.Documents)
            {
                parts.Add((await document.GetTextAsync()).ToString());
            }

            foreach (var document in project.AnalyzerConfigDocuments)
            {
                parts.Add((await document.GetTextAsync()).ToString());
            }
        }

        return string.Join("\n", parts);
    }

    public static async Task<IReadOnlyList<Diagnostic>> CompilerErrorsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
