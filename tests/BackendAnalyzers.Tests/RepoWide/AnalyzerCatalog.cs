using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>Every analyzer and code fix the two shipped assemblies contain, found by reflection so new rules are picked up.</summary>
public static class AnalyzerCatalog
{
    public static Assembly AnalyzerAssembly { get; } = typeof(BackendAnalyzers.Infrastructure.RuleIds).Assembly;

    public static Assembly CodeFixAssembly { get; } = typeof(BackendAnalyzers.CodeFixes.Pagination.UnboundedListEndpointCodeFix).Assembly;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        AnalyzerAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } =
        CodeFixAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
        Analyzers.SelectMany(a => a.SupportedDiagnostics)
            .GroupBy(d => d.Id)
            .Select(g => g.First())
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BackendAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BackendAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The README rule table, generated from the descriptors.</summary>
    public static string RuleTable(string linkPrefix = "docs/rules/")
    {
        var text = new StringBuilder();
        text.Append("| ID | Severity | Title | Category |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var descriptor in Descriptors)
        {
            text.Append($"| [{descriptor.Id}]({linkPrefix}{descriptor.Id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} | {descriptor.Category} |\n");
        }

        return text.ToString();
    }
}
