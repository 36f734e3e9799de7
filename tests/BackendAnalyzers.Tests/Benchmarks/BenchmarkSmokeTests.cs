using System.Diagnostics;
using Xunit;

namespace BackendAnalyzers.Tests.Benchmarks;

/// <summary>
/// Keeps the benchmark working: runs it in its quick mode (one small synthetic backend, no peers) and checks that it
/// compiled the backend without errors, ran every analyzer without exceptions and found the planted problems.
/// No timing is asserted here; docs/performance.md has the measured figures.
/// </summary>
public class BenchmarkSmokeTests
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Quick_benchmark_runs_and_finds_the_planted_problems()
    {
        var root = FindRepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var benchmark = Path.Combine(root, "tests", "BackendAnalyzers.Benchmarks", "bin", configuration, "net10.0", "BackendAnalyzers.Benchmarks.dll");
        Assert.True(File.Exists(benchmark), $"Build the solution first: {benchmark} is missing.");

        var start = new ProcessStartInfo("dotnet", $"\"{benchmark}\" --quick")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}\n{await stderr}");
        Assert.DoesNotContain("compiler errors", output);
        Assert.DoesNotContain("threw", output);

        // The quick backend has one module with a query in a loop and an unbounded list endpoint.
        var row = output.Split('\n').First(l => l.StartsWith("| 2,", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var diagnostics = int.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(diagnostics >= 2, $"expected the planted BA3001 and BA4001 findings, saw {diagnostics}\n{output}");
        Assert.Contains("DatabaseQueryInLoopAnalyzer", output);
        Assert.Contains("One document after an edit", output);
    }

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
}
