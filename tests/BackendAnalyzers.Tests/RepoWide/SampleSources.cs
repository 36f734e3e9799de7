using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using BackendAnalyzers.Tests.Verifiers;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>The sample app's sources, compiled the way the Web SDK compiles them (its implicit usings included).</summary>
public static class SampleSources
{
    public const string WebImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static string SampleFolder => Path.Combine(AnalyzerCatalog.RepositoryRoot, "samples", "BackendSample");

    public static IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(SampleFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "BackendSample",
            trees.Append(CSharpSyntaxTree.ParseText(WebImplicitUsings, ParseOptions, "ImplicitUsings.g.cs")),
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
}
