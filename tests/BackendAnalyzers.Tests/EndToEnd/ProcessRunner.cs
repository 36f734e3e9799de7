using System.Diagnostics;
using System.Text;

namespace BackendAnalyzers.Tests.EndToEnd;

/// <summary>The outcome of one child process: its exit code and everything it printed.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The command and its output, for assertion messages.</summary>
    public string Describe(int maxCharsPerStream = 20_000)
    {
        var text = new StringBuilder();
        text.AppendLine($"$ {CommandLine}");
        text.AppendLine($"  in {WorkingDirectory}");
        text.AppendLine(TimedOut
            ? $"  timed out after {Elapsed.TotalSeconds:F0} s"
            : $"  exit code {ExitCode} after {Elapsed.TotalSeconds:F0} s");
        text.AppendLine("--- stdout ---");
        text.AppendLine(Tail(StandardOutput, maxCharsPerStream));
        text.AppendLine("--- stderr ---");
        text.AppendLine(Tail(StandardError, maxCharsPerStream));
        return text.ToString();
    }

    private static string Tail(string text, int max) =>
        text.Length <= max ? text : "[... " + (text.Length - max) + " characters cut ...]" + text.Substring(text.Length - max);
}

/// <summary>
/// Runs the dotnet CLI as a child process with a timeout, capturing stdout and stderr. The children run without
/// telemetry, first-run output, MSBuild node reuse or the compiler server: a server left running would hold the
/// output pipes open and outlive the test.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The dotnet host that runs this test, so the children use the same SDK installation.</summary>
    public static string DotnetExecutable
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    public static Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(DotnetExecutable, arguments, workingDirectory, DefaultTimeout);

    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        PrepareEnvironment(start.Environment);

        var commandLine = fileName + " " + string.Join(" ", arguments.Select(Quote));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        using (var cancellation = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited between the timeout and the kill.
                }

                process.WaitForExit(10_000);
            }
        }

        stopwatch.Stop();
        string output, error;
        lock (stdout) { output = stdout.ToString(); }
        lock (stderr) { error = stderr.ToString(); }
        return new ProcessResult(commandLine, workingDirectory, timedOut ? -1 : process.ExitCode, timedOut, output, error, stopwatch.Elapsed);
    }

    private static void PrepareEnvironment(IDictionary<string, string?> environment)
    {
        // The test host inherits variables from the `dotnet test` that started it (MSBuild paths among them);
        // a child build must find its own SDK through the temp folder's global.json instead.
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(name);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        environment["NUGET_XMLDOC_MODE"] = "skip";
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', ';' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
}
