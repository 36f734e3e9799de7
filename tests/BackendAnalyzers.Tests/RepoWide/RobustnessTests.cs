using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>
/// The IDE runs analyzers and fixes on code while it is being typed. Every analyzer and every code fix runs here
/// over broken and half-typed versions of real inputs (the sample's files and the C# snippets of the tests), cut
/// short at many points and with tokens deleted, and must never throw.
/// </summary>
public class RobustnessTests
{
    private const int CutsPerInput = 6;
    private const int DeletionVariantsPerInput = 3;
    private const int MaxVariants = 700;
    private const int MaxFixedDiagnostics = 120;

    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Analyzers_and_fixes_survive_broken_and_half_typed_code()
    {
        var inputs = CollectInputs();
        var variants = MakeVariants(inputs);
        _output.WriteLine($"{inputs.Count} inputs, {variants.Count} broken variants");
        Assert.True(variants.Count > 200, $"only {variants.Count} variants were made");

        var failures = new List<string>();
        var diagnosticsSeen = 0;
        var fixesRun = 0;
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var usings = CSharpSyntaxTree.ParseText(TestSources.GlobalUsings, parseOptions, "/0/GlobalUsings.cs");
        var clinic = CSharpSyntaxTree.ParseText(TestSources.ClinicModel, parseOptions, "/0/ClinicModel.cs");

        foreach (var variant in variants)
        {
            var tree = CSharpSyntaxTree.ParseText(variant.Text, parseOptions, "/0/Variant.cs");
            var compilation = CSharpCompilation.Create(
                "Robustness",
                new[] { usings, clinic, tree },
                TestReferences.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

            var exceptions = new List<string>();
            var withAnalyzers = compilation.WithAnalyzers(AnalyzerCatalog.Analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"); } },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));

            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            failures.AddRange(exceptions.Select(e => $"{variant.Name}: {e}"));
            failures.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => $"{variant.Name}: {d.GetMessage()}"));

            var ours = diagnostics.Where(d => d.Id.StartsWith("BA", StringComparison.Ordinal) && d.Location.SourceTree == tree).ToList();
            diagnosticsSeen += ours.Count;
            if (ours.Count > 0 && fixesRun < MaxFixedDiagnostics)
            {
                fixesRun += await RunFixesAsync(variant, compilation, tree, ours, failures);
            }
        }

        _output.WriteLine($"{diagnosticsSeen} BA diagnostics in broken code, {fixesRun} of them given to the code fixes");
        Assert.True(failures.Count == 0, $"{failures.Count} failures, first ones:\n" + string.Join("\n", failures.Take(10)));
    }

    private static async Task<int> RunFixesAsync(Variant variant, Compilation compilation, SyntaxTree tree, List<Diagnostic> diagnostics, List<string> failures)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "Robustness", "Robustness", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: tree.Options, metadataReferences: compilation.References));
        DocumentId? variantId = null;
        foreach (var source in compilation.SyntaxTrees)
        {
            var id = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(id, Path.GetFileName(source.FilePath), source.GetText(), filePath: source.FilePath);
            if (source == tree)
            {
                variantId = id;
            }
        }

        var document = solution.GetDocument(variantId!)!;
        var count = 0;
        foreach (var diagnostic in diagnostics)
        {
            foreach (var provider in AnalyzerCatalog.CodeFixes.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                count++;
                try
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                    await provider.RegisterCodeFixesAsync(context);
                    foreach (var action in actions)
                    {
                        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
                        {
                            if (operation is ApplyChangesOperation apply)
                            {
                                var changed = apply.ChangedSolution.GetDocument(variantId!);
                                if (changed is not null)
                                {
                                    await changed.GetTextAsync();
                                }
                            }
                        }
                    }
                }
                catch (Exception exception)
                {
                    failures.Add($"{variant.Name}: {provider.GetType().Name} on {diagnostic.Id}: {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        return count;
    }

    private sealed record Variant(string Name, string Text);

    private static List<(string Name, string Text)> CollectInputs()
    {
        var inputs = new List<(string, string)>();
        foreach (var file in SampleSources.Files())
        {
            inputs.Add(("sample/" + Path.GetFileName(file), File.ReadAllText(file)));
        }

        var testsFolder = Path.Combine(AnalyzerCatalog.RepositoryRoot, "tests", "BackendAnalyzers.Tests");
        var rawString = new Regex("\"\"\"\\r?\\n(.*?)\\r?\\n\\s*\"\"\"", RegexOptions.Singleline);
        var markup = new Regex(@"\{\|[#A-Za-z0-9_:]*:|\|\}|\[\||\|\]");
        foreach (var file in Directory.EnumerateFiles(testsFolder, "*Tests.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var index = 0;
            foreach (Match match in rawString.Matches(File.ReadAllText(file)))
            {
                var snippet = markup.Replace(match.Groups[1].Value, string.Empty);
                if (snippet.Contains("class", StringComparison.Ordinal) || snippet.Contains("Map", StringComparison.Ordinal))
                {
                    inputs.Add(($"{Path.GetFileNameWithoutExtension(file)}#{index++}", snippet));
                }
            }
        }

        return inputs;
    }

    /// <summary>Cuts at evenly spaced points and deletes random tokens; deterministic, and capped by sampling evenly.</summary>
    private static List<Variant> MakeVariants(List<(string Name, string Text)> inputs)
    {
        var variants = new List<Variant>();
        foreach (var (name, text) in inputs)
        {
            for (var cut = 1; cut <= CutsPerInput; cut++)
            {
                var at = text.Length * cut / (CutsPerInput + 1);
                variants.Add(new Variant($"{name} cut at {at}", text.Substring(0, at)));
            }

            var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            if (tokens.Count == 0)
            {
                continue;
            }

            var random = new Random(StableHash(name));
            for (var v = 0; v < DeletionVariantsPerInput; v++)
            {
                var deletions = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => tokens[random.Next(tokens.Count)].Span).Distinct().OrderByDescending(s => s.Start).ToList();
                var changed = SourceText.From(text).WithChanges(deletions.Select(span => new TextChange(span, string.Empty))).ToString();
                variants.Add(new Variant($"{name} without {string.Join(",", deletions.Select(d => d.Start))}", changed));
            }
        }

        if (variants.Count <= MaxVariants)
        {
            return variants;
        }

        var step = (double)variants.Count / MaxVariants;
        return Enumerable.Range(0, MaxVariants).Select(i => variants[(int)(i * step)]).ToList();
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = 17;
            foreach (var c in text)
            {
                hash = hash * 31 + c;
            }

            return hash;
        }
    }
}
