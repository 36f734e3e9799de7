using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace BackendAnalyzers.Tests.Verifiers;

/// <summary>
/// The one way tests run an analyzer: sources with markup (<c>[|...|]</c> or <c>{|BA3001:...|}</c>), the offline
/// references, the global usings of a web project, and the clinic model unless a test opts out.
/// </summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic() => new DiagnosticResult(new TAnalyzer().SupportedDiagnostics[0]);

    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(new TAnalyzer().SupportedDiagnostics.Single(d => d.Id == id));

    /// <summary>Analyzes <paramref name="source"/> (with the clinic model beside it) and compares the diagnostics with the markup and <paramref name="expected"/>.</summary>
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) => AnalyzerAsync(source, editorConfig: null, expected);

    public static async Task AnalyzerAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        test.TestState.Sources.Add(source);
        test.AddDefaults(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>Analyzes several files, each with its own markup.</summary>
    public static async Task AnalyzerAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.AddDefaults(null);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public sealed class AnalyzerTest : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
        }

        public bool IncludeClinicModel { get; set; } = true;

        public void AddDefaults(string? editorConfig)
        {
            TestState.Sources.Add(("/0/GlobalUsings.cs", TestSources.GlobalUsings));
            if (IncludeClinicModel)
            {
                TestState.Sources.Add(("/0/ClinicModel.cs", TestSources.ClinicModel));
            }

            if (editorConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
            }
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }
}

/// <summary>The one way tests run a code fix: the fixed state must compile, and FixAll is checked too.</summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic() => Verify<TAnalyzer>.Diagnostic();

    public static Task CodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        CodeFixAsync(source, fixedSource, editorConfig: null, expected);

    public static async Task CodeFixAsync(string source, string fixedSource, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest();
        test.TestState.Sources.Add(source);
        test.FixedState.Sources.Add(fixedSource);
        test.AddDefaults(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public sealed class CodeFixTest : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public CodeFixTest()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
            FixedState.AdditionalReferences.AddRange(TestReferences.All);
        }

        public void AddDefaults(string? editorConfig)
        {
            foreach (var state in new[] { TestState, FixedState })
            {
                state.Sources.Add(("/0/GlobalUsings.cs", TestSources.GlobalUsings));
                state.Sources.Add(("/0/ClinicModel.cs", TestSources.ClinicModel));
            }

            if (editorConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
            }
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }
}
