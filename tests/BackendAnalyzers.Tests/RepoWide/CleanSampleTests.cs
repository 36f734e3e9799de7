using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>
/// The sample app is two things at once: clean code a good backend engineer would write, which must not get a single
/// BA diagnostic (of any severity), and a Problems/ folder in which every implemented rule shows itself.
/// </summary>
public class CleanSampleTests
{
    private readonly ITestOutputHelper _output;

    public CleanSampleTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Clean_code_has_no_diagnostics_and_every_problem_file_shows_its_rule()
    {
        var files = SampleSources.Files();
        Assert.NotEmpty(files);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), SampleSources.ParseOptions, f)).ToList();
        var compilation = SampleSources.Compile(trees);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The sample must compile here, or the analyzers see broken code: " + string.Join("\n", errors.Take(10)));

        var analyzers = AnalyzerCatalog.Analyzers;
        var exceptions = new List<string>();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false));
        var diagnostics = (await withAnalyzers.GetAnalyzerDiagnosticsAsync()).Where(d => d.Id.StartsWith("BA", StringComparison.Ordinal)).ToList();
        Assert.Empty(exceptions);

        var problems = Path.Combine(SampleSources.SampleFolder, "Problems") + Path.DirectorySeparatorChar;
        var inCleanCode = diagnostics.Where(d => !d.Location.GetLineSpan().Path.StartsWith(problems, StringComparison.Ordinal)).ToList();
        Assert.True(inCleanCode.Count == 0, "BA diagnostics in the sample's clean code:\n" + string.Join("\n", inCleanCode));

        var implemented = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet();
        var shown = 0;
        foreach (var file in files.Where(f => f.StartsWith(problems, StringComparison.Ordinal)))
        {
            var match = Regex.Match(Path.GetFileName(file), "^(BA[0-9]{4})_");
            if (!match.Success || !implemented.Contains(match.Groups[1].Value))
            {
                continue;
            }

            var id = match.Groups[1].Value;
            var count = diagnostics.Count(d => d.Id == id && d.Location.GetLineSpan().Path == file);
            _output.WriteLine($"{Path.GetFileName(file)}: {count} {id} diagnostic(s)");
            Assert.True(count > 0, $"{Path.GetFileName(file)} shows no {id} diagnostic");
            shown++;
        }

        Assert.True(shown >= 2, $"expected problem files for the implemented rules, found {shown}");
    }
}
