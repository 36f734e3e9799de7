using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using BackendAnalyzers.Benchmarks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Measures what BackendAnalyzers costs next to the compiler and the peer packages, on one synthetic backend per
// size, in one process. Usage:
//   dotnet run -c Release --project tests/BackendAnalyzers.Benchmarks -- [--sizes 10000,50000,200000] [--no-peers] [--out docs/performance-results.md]
//   --quick: one small size, no peers, no timing claims (used by the test suite to keep the benchmark working).
var options = BenchmarkOptions.Parse(args);
var runner = new BenchmarkRunner(options);
return await runner.RunAsync();

internal sealed record BenchmarkOptions(int[] Sizes, bool Peers, bool Quick, string? OutFile, int IdeEdits, bool IdeOnly = false)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var sizes = new[] { 10_000, 50_000, 200_000 };
        var peers = true;
        var quick = false;
        string? outFile = null;
        var ideOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes":
                    sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--no-peers":
                    peers = false;
                    break;
                case "--quick":
                    quick = true;
                    peers = false;
                    sizes = new[] { 2_000 };
                    break;
                case "--out":
                    outFile = args[++i];
                    break;
                case "--ide-only":
                    ideOnly = true;
                    peers = false;
                    break;
            }
        }

        return new BenchmarkOptions(sizes, peers, quick, outFile, quick ? 1 : 5, ideOnly);
    }
}

internal sealed class BenchmarkRunner
{
    private readonly BenchmarkOptions _options;
    private readonly ImmutableArray<MetadataReference> _references = BenchmarkReferences.Build();
    private readonly StringBuilder _report = new();
    private Dictionary<string, TimeSpan> _idePerAnalyzer = new();
    private (int Entities, TimeSpan Time) _efCold;
    private TimeSpan _efWarm;
    private TimeSpan _efRead;
    private TimeSpan _ideBaseline;

    public BenchmarkRunner(BenchmarkOptions options) => _options = options;

    public async Task<int> RunAsync()
    {
        var ours = AnalyzerSets.BackendAnalyzers();
        var sets = new List<(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)> { ("BackendAnalyzers", ours) };
        if (_options.Peers)
        {
            sets.Add(("Meziantou.Analyzer", AnalyzerSets.LoadPeer("Meziantou.Analyzer")));
            sets.Add(("SonarAnalyzer.CSharp", AnalyzerSets.LoadPeer("SonarAnalyzer.CSharp")));
        }

        Line($"# BackendAnalyzers benchmark");
        Line();
        Line($"- machine: {Environment.ProcessorCount} cores, {RuntimeInfo()}");
        Line($"- analyzers: {string.Join(", ", sets.Select(s => $"{s.Name} ({s.Analyzers.Length})"))}");
        Line();

        // Warm-up: JIT the compiler and every analyzer on a small backend that has every planted problem, twice,
        // so that first-use costs do not land in the first measured size; nothing is recorded.
        for (var round = 0; round < 2; round++)
        {
            CreateCompilation(SyntheticBackend.Generate(3_000)).GetDiagnostics();
            foreach (var set in sets)
            {
                await RunAnalyzersAsync(CreateCompilation(SyntheticBackend.Generate(3_000)), set.Analyzers);
            }
        }

        var rows = new List<SizeResult>();
        foreach (var size in _options.IdeOnly ? Array.Empty<int>() : _options.Sizes)
        {
            var files = SyntheticBackend.Generate(size);
            var lines = files.Sum(f => SyntheticBackend.CountLines(f.Text));
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)).ToImmutableArray();

            var compilerWatch = Stopwatch.StartNew();
            var compilerDiagnostics = CreateCompilation(trees).GetDiagnostics();
            compilerWatch.Stop();
            var errors = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                Line($"The synthetic backend has {errors.Count} compiler errors, e.g. {errors[0]}");
                return 2;
            }

            var result = new SizeResult(size, lines, compilerWatch.Elapsed);
            foreach (var set in sets)
            {
                result.Sets[set.Name] = await RunAnalyzersAsync(CreateCompilation(trees), set.Analyzers);
            }

            rows.Add(result);
            Console.Error.WriteLine($"measured {lines} lines");
        }

        if (rows.Count > 0)
        {
            WriteTables(rows, sets.Select(s => s.Name).ToList());
        }

        var ide = await MeasureIdeAsync(SyntheticBackend.Generate(_options.Sizes.Max()), ours);
        Line();
        Line($"## One document after an edit ({_options.Sizes.Max():N0}-line target, median of {_options.IdeEdits} edits)");
        Line();
        Line("| what | time (ms) |");
        Line("|---|---:|");
        Line($"| compiler: semantic diagnostics of the edited document | {ide.Compiler.TotalMilliseconds:F1} |");
        Line($"| BackendAnalyzers: analyzer diagnostics of the edited document (wall) | {ide.OursWall.TotalMilliseconds:F1} |");
        Line($"| BackendAnalyzers: analyzer execution time (telemetry) | {ide.OursExecution.TotalMilliseconds:F1} |");
        Line($"| an analyzer that only asks for the document's operation trees (wall) | {_ideBaseline.TotalMilliseconds:F1} |");
        Line($"| BackendAnalyzers beyond that (wall minus the line above) | {(ide.OursWall - _ideBaseline).TotalMilliseconds:F1} |");
        Line($"| EF model: reading every file's facts (each EF rule does it once per file, then keeps them) | {_efRead.TotalMilliseconds:F1} |");
        Line($"| EF model, cold: every file read, all {_efCold.Entities:N0} entities resolved with keys, indexes and foreign keys | {_efCold.Time.TotalMilliseconds:F1} |");
        Line($"| EF model after an edit: files' facts kept, one entity resolved with its keys | {_efWarm.TotalMilliseconds:F1} |");
        Line();
        Line("Analyzers that took more than 1 ms in the median edit:");
        Line();
        Line("| analyzer | execution (ms) |");
        Line("|---|---:|");
        foreach (var (name, time) in _idePerAnalyzer.Where(p => p.Value.TotalMilliseconds > 1).OrderByDescending(p => p.Value))
        {
            Line($"| {name} | {time.TotalMilliseconds:F1} |");
        }

        Console.WriteLine(_report.ToString());
        if (_options.OutFile is not null)
        {
            await File.WriteAllTextAsync(_options.OutFile, _report.ToString());
        }

        return 0;
    }

    private static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

    private CSharpCompilation CreateCompilation(IEnumerable<SyntheticBackend.SourceFile> files) =>
        CreateCompilation(files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)));

    private CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "Synthetic",
            trees.Append(CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, "GlobalUsings.cs")),
            _references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static async Task<SetResult> RunAnalyzersAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var exceptions = 0;
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) =>
            {
                if (Interlocked.Increment(ref exceptions) == 1)
                {
                    Console.Error.WriteLine($"first analyzer exception: {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}");
                }
            },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false));

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        watch.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var perAnalyzer = new Dictionary<string, TimeSpan>();
        var total = TimeSpan.Zero;
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            perAnalyzer[analyzer.GetType().Name] = telemetry.ExecutionTime;
            total += telemetry.ExecutionTime;
        }

        return new SetResult(total, watch.Elapsed, allocated, diagnostics.Length, exceptions, perAnalyzer);
    }

    private async Task<(TimeSpan Compiler, TimeSpan OursWall, TimeSpan OursExecution)> MeasureIdeAsync(IReadOnlyList<SyntheticBackend.SourceFile> files, ImmutableArray<DiagnosticAnalyzer> ours)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)).ToList();
        var compilation = CreateCompilation(trees);
        compilation.GetDiagnostics(); // the IDE has the rest of the solution bound already

        // The controller of module 1, which carries problems.
        var controllers = trees.Where(t => t.FilePath.EndsWith("Controller.cs", StringComparison.Ordinal)).ToList();
        var target = controllers.FirstOrDefault(t => t.FilePath.StartsWith("Module1/", StringComparison.Ordinal)) ?? controllers[0];
        var compilerTimes = new List<TimeSpan>();
        var wallTimes = new List<TimeSpan>();
        var executionTimes = new List<TimeSpan>();
        var baselineTimes = new List<TimeSpan>();
        var perEdit = new List<(TimeSpan Total, Dictionary<string, TimeSpan> PerAnalyzer)>();
        for (var edit = 0; edit < _options.IdeEdits; edit++)
        {
            var text = target.GetText();
            var changed = text.WithChanges(new TextChange(new TextSpan(text.Length, 0), $"\n// edit {edit}\n"));
            var editedTree = target.WithChangedText(changed);

            var forCompiler = compilation.ReplaceSyntaxTree(target, editedTree);
            var watch = Stopwatch.StartNew();
            forCompiler.GetSemanticModel(editedTree).GetDiagnostics();
            compilerTimes.Add(watch.Elapsed);

            if (edit == 0)
            {
                // The EF model on a fresh compilation, as after a keystroke: once with every file read (an analyzer's
                // first compilation), once with the files' facts already kept (every later edit), each then asked
                // about one entity (what a rule does) and, cold, about all of them.
                var fresh = compilation.ReplaceSyntaxTree(target, editedTree);
                var types = new BackendAnalyzers.Infrastructure.KnownTypes(fresh);
                var kept = new Dictionary<SyntaxTree, BackendAnalyzers.Model.EfFileFacts>();
                var modelWatch = Stopwatch.StartNew();
                foreach (var tree in fresh.SyntaxTrees)
                {
                    BackendAnalyzers.Model.EfFileFacts.Read(tree);
                }

                _efRead = modelWatch.Elapsed;
                modelWatch.Restart();
                var cold = BackendAnalyzers.Model.EfModel.Build(fresh, types, new BackendAnalyzers.Infrastructure.FunctionBodies(fresh), tree =>
                {
                    var facts = BackendAnalyzers.Model.EfFileFacts.Read(tree);
                    kept[tree] = facts;
                    return facts;
                }, CancellationToken.None);
                var entityCount = cold.Entities.Count();
                _efCold = (entityCount, modelWatch.Elapsed);

                var again = compilation.ReplaceSyntaxTree(target, editedTree);
                again.GetSemanticModel(editedTree).GetDiagnostics(); // the compiler's part, done by the IDE anyway
                var entityType = again.GetTypeByMetadataName("Synthetic.Module1.Order1") ?? again.GetSymbolsWithName(n => n.StartsWith("Order", StringComparison.Ordinal), SymbolFilter.Type).OfType<INamedTypeSymbol>().First();
                modelWatch.Restart();
                var warm = BackendAnalyzers.Model.EfModel.Build(again, new BackendAnalyzers.Infrastructure.KnownTypes(again), new BackendAnalyzers.Infrastructure.FunctionBodies(again),
                    tree => kept.TryGetValue(tree, out var facts) ? facts : BackendAnalyzers.Model.EfFileFacts.Read(tree), CancellationToken.None);
                var found = warm.GetEntity(entityType);
                _efWarm = modelWatch.Elapsed;
                if (found is null)
                {
                    throw new InvalidOperationException($"The benchmark's entity {entityType} is not in the EF model.");
                }
            }

            // What any operation-based analyzer pays first in this document: its operation trees, which Roslyn builds
            // for the analyzer pass and charges to whichever analyzer asks first. Measured with an analyzer that
            // only asks for them.
            var forBaseline = compilation.ReplaceSyntaxTree(target, editedTree);
            forBaseline.GetSemanticModel(editedTree).GetDiagnostics();
            var baseline = forBaseline.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new OperationTreesOnly()), new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
            watch.Restart();
            await baseline.GetAnalyzerSemanticDiagnosticsAsync(forBaseline.GetSemanticModel(editedTree), null, CancellationToken.None);
            baselineTimes.Add(watch.Elapsed);

            var forAnalyzers = compilation.ReplaceSyntaxTree(target, editedTree);
            forAnalyzers.GetSemanticModel(editedTree).GetDiagnostics(); // the compiler's part is done by the IDE anyway
            var withAnalyzers = forAnalyzers.WithAnalyzers(ours, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
            watch.Restart();
            await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(forAnalyzers.GetSemanticModel(editedTree), null, CancellationToken.None);
            wallTimes.Add(watch.Elapsed);
            var execution = TimeSpan.Zero;
            var perAnalyzer = new Dictionary<string, TimeSpan>();
            foreach (var analyzer in ours)
            {
                var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime;
                perAnalyzer[analyzer.GetType().Name] = time;
                execution += time;
            }

            executionTimes.Add(execution);
            perEdit.Add((execution, perAnalyzer));
        }

        // The breakdown of the edit whose total is the median.
        perEdit.Sort((a, b) => a.Total.CompareTo(b.Total));
        _idePerAnalyzer = perEdit[perEdit.Count / 2].PerAnalyzer;
        _ideBaseline = Median(baselineTimes);
        return (Median(compilerTimes), Median(wallTimes), Median(executionTimes));
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private void WriteTables(List<SizeResult> rows, List<string> setNames)
    {
        Line("## Whole compilation");
        Line();
        var header = new StringBuilder("| lines | compiler diagnostics (ms) |");
        var rule = new StringBuilder("|---:|---:|");
        foreach (var name in setNames)
        {
            header.Append($" {name} execution (ms) | {name} wall (ms) | {name} alloc (MB) | {name} diags |");
            rule.Append("---:|---:|---:|---:|");
        }

        header.Append(" BA / compiler |");
        rule.Append("---:|");
        foreach (var name in setNames.Skip(1))
        {
            header.Append($" BA / {name} |");
            rule.Append("---:|");
        }

        header.Append(" BA ms per 1k lines |");
        rule.Append("---:|");
        Line(header.ToString());
        Line(rule.ToString());
        foreach (var row in rows)
        {
            var line = new StringBuilder($"| {row.Lines:N0} | {row.Compiler.TotalMilliseconds:F0} |");
            foreach (var name in setNames)
            {
                var set = row.Sets[name];
                line.Append($" {set.Execution.TotalMilliseconds:F0} | {set.Wall.TotalMilliseconds:F0} | {set.Allocated / 1048576.0:F0} | {set.Diagnostics} |");
            }

            var ours = row.Sets["BackendAnalyzers"];
            line.Append($" {Ratio(ours.Execution, row.Compiler)} |");
            foreach (var name in setNames.Skip(1))
            {
                line.Append($" {Ratio(ours.Execution, row.Sets[name].Execution)} |");
            }

            line.Append($" {ours.Execution.TotalMilliseconds / (row.Lines / 1000.0):F2} |");
            Line(line.ToString());
        }

        if (rows.Count > 1)
        {
            var first = rows[0];
            var last = rows[^1];
            var perKFirst = first.Sets["BackendAnalyzers"].Execution.TotalMilliseconds / (first.Lines / 1000.0);
            var perKLast = last.Sets["BackendAnalyzers"].Execution.TotalMilliseconds / (last.Lines / 1000.0);
            Line();
            Line($"Growth: BA cost per 1k lines at {last.Lines:N0} lines is {perKLast / perKFirst:F2}x the cost at {first.Lines:N0} lines.");
        }

        Line();
        Line("## BackendAnalyzers per analyzer (largest size)");
        Line();
        Line("| analyzer | execution (ms) |");
        Line("|---|---:|");
        foreach (var (name, time) in rows[^1].Sets["BackendAnalyzers"].PerAnalyzer.OrderByDescending(p => p.Value))
        {
            Line($"| {name} | {time.TotalMilliseconds:F1} |");
        }

        var exceptions = rows.SelectMany(r => r.Sets).Where(s => s.Value.Exceptions > 0).ToList();
        foreach (var (name, set) in exceptions)
        {
            Line($"WARNING: {name} threw {set.Exceptions} analyzer exceptions.");
        }
    }

    private static string Ratio(TimeSpan a, TimeSpan b) => b.Ticks == 0 ? "n/a" : (a.TotalMilliseconds / b.TotalMilliseconds).ToString("P1", CultureInfo.InvariantCulture);

    private static string RuntimeInfo() => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    private void Line(string text = "") => _report.AppendLine(text);

    private sealed record SizeResult(int TargetLines, int Lines, TimeSpan Compiler)
    {
        public Dictionary<string, SetResult> Sets { get; } = new();
    }

    private sealed record SetResult(TimeSpan Execution, TimeSpan Wall, long Allocated, int Diagnostics, int Exceptions, Dictionary<string, TimeSpan> PerAnalyzer);
}

/// <summary>
/// Asks for every operation of a document and for its method symbols, and reports nothing: the cost every
/// operation-based analyzer set pays first in a document, whoever is charged for it.
/// </summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008 // a measuring probe inside the benchmark, never shipped or loaded by a compiler
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OperationTreesOnly : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("BENCH0001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        context.RegisterSymbolAction(_ => { }, SymbolKind.Method);
    }
}
#pragma warning restore RS1036, RS1038, RS1041, RS2008

internal static class AnalyzerSets
{
    public static ImmutableArray<DiagnosticAnalyzer> BackendAnalyzers() =>
        typeof(global::BackendAnalyzers.Infrastructure.RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static ImmutableArray<DiagnosticAnalyzer> LoadPeer(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "peers", name);
        var loader = new DefaultLoader();
        var builder = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        // The peers' own dependencies (SonarAnalyzer.dll, Google.Protobuf, ...) resolve from their folder.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        foreach (var file in Directory.EnumerateFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            var reference = new AnalyzerFileReference(file, loader);
            reference.AnalyzerLoadFailed += (_, e) => Console.Error.WriteLine($"{Path.GetFileName(file)}: {e.ErrorCode} {e.Message} {e.Exception?.GetType().Name}: {e.Exception?.Message}");
            builder.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
        }

        if (builder.Count == 0)
        {
            throw new InvalidOperationException($"No analyzers found for {name} in {folder}.");
        }

        return builder.ToImmutable();
    }

    private sealed class DefaultLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}

internal static class BenchmarkReferences
{
    public static ImmutableArray<MetadataReference> Build()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        builder.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        var seen = new HashSet<string>(builder.Select(r => Path.GetFileNameWithoutExtension(r.Display ?? "")), StringComparer.OrdinalIgnoreCase);
        var aspNetCore = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly.Location)!;
        var files = Directory.EnumerateFiles(aspNetCore, "*.dll").OrderBy(f => f, StringComparer.Ordinal).ToList();
        files.Add(typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.Location);
        files.Add(typeof(Microsoft.EntityFrameworkCore.IndexAttribute).Assembly.Location);
        files.Add(typeof(Microsoft.EntityFrameworkCore.RelationalQueryableExtensions).Assembly.Location);
        foreach (var file in files)
        {
            if (!seen.Add(Path.GetFileNameWithoutExtension(file)))
            {
                continue;
            }

            try
            {
                AssemblyName.GetAssemblyName(file);
            }
            catch (BadImageFormatException)
            {
                continue;
            }

            builder.Add(MetadataReference.CreateFromFile(file));
        }

        return builder.ToImmutable();
    }
}
