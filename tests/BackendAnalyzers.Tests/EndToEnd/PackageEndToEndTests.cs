using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace BackendAnalyzers.Tests.EndToEnd;

/// <summary>
/// The package as a user gets it: packed, restored from a feed into a project outside this repository, built by
/// the SDK's compiler, and its fixes applied by <c>dotnet format</c>. Slow (minutes): filter them out with
/// <c>--filter "Category!=EndToEnd"</c> while working on a rule. The tests start dotnet themselves; do not wrap
/// them in a build lock that those children would also need.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public sealed class PackageEndToEndTests : IClassFixture<PackedPackageFixture>
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    private readonly PackedPackageFixture _fixture;

    public PackageEndToEndTests(PackedPackageFixture fixture) => _fixture = fixture;

    [Fact]
    public void Package_holds_only_the_two_analyzer_assemblies_and_is_a_development_dependency()
    {
        using (var archive = ZipFile.OpenRead(_fixture.PackagePath))
        {
            var entries = archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var listing = string.Join("\n", entries);

            var assemblies = entries.Where(n => n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(
                assemblies.SequenceEqual(new[] { AnalyzerFolder + "BackendAnalyzers.CodeFixes.dll", AnalyzerFolder + "BackendAnalyzers.dll" }),
                "The package's assemblies must be exactly the analyzer and the code fixes under " + AnalyzerFolder + ". Entries:\n" + listing);
            Assert.DoesNotContain(entries, n => n.StartsWith("lib/", StringComparison.Ordinal) || n.StartsWith("ref/", StringComparison.Ordinal));
            Assert.Contains("PACKAGE.md", entries);
        }

        var nuspecText = _fixture.Nuspec.ToString();
        var ns = _fixture.Nuspec.Root!.Name.Namespace;
        var metadata = _fixture.Nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(PackedPackageFixture.PackageId, metadata.Element(ns + "id")?.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")?.Value);
        Assert.True(nuspecText.Contains("<developmentDependency>true</developmentDependency>", StringComparison.Ordinal), nuspecText);
        Assert.False(nuspecText.Contains("<dependency", StringComparison.Ordinal), "The package must have no dependencies:\n" + nuspecText);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("PACKAGE.md", metadata.Element(ns + "readme")?.Value);

        // The version is the repository's, from Directory.Build.props.
        var props = XDocument.Load(Path.Combine(_fixture.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants().FirstOrDefault(e => e.Name.LocalName == "Version")?.Value;
        Assert.Equal(version, _fixture.Version);

        // The release notes carry every rule the release-tracking file lists for this release.
        var releaseNotes = metadata.Element(ns + "releaseNotes")?.Value ?? string.Empty;
        var unshipped = File.ReadAllLines(Path.Combine(_fixture.RepositoryRoot, "src", "BackendAnalyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var ruleLine in unshipped.Where(l => l.StartsWith("BA", StringComparison.Ordinal)))
        {
            Assert.True(releaseNotes.Contains(ruleLine.Trim(), StringComparison.Ordinal), $"Release notes miss '{ruleLine}':\n{releaseNotes}");
        }
    }

    [Fact]
    public async Task Sample_built_against_the_package_reports_its_problems_and_only_those()
    {
        var sample = SampleCopy.CreateWithPackage(_fixture, "package-build");

        var restore = await sample.RestoreAsync(_fixture);
        Assert.True(restore.Succeeded, "Restoring the sample copy failed.\n" + restore.Describe());
        Assert.True(
            Directory.Exists(Path.Combine(_fixture.PackagesDirectory, PackedPackageFixture.PackageId.ToLowerInvariant(), _fixture.Version)),
            "BackendAnalyzers " + _fixture.Version + " was not restored into the run's packages folder.\n" + restore.Describe());

        var build = await sample.BuildAsync();
        Assert.True(build.Succeeded, "Building the sample copy against the package failed.\n" + build.Describe());
        Assert.Contains("warning BA3001", build.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("warning BA4001", build.StandardOutput, StringComparison.Ordinal);

        var warnings = SampleCopy.ParseWarnings(build);
        Assert.Contains(warnings, w => w.Id == "BA3001");
        Assert.Contains(warnings, w => w.Id == "BA4001");
        var outsideProblems = warnings.Where(w => !sample.IsUnderProblems(w.Path)).ToList();
        Assert.True(
            outsideProblems.Count == 0,
            "The clean part of the sample must produce no BA diagnostics; these come from outside Problems/:\n"
                + string.Join("\n", outsideProblems.Select(Format)) + "\n\n" + build.Describe());
    }

    [Fact]
    public async Task Dotnet_format_applies_the_BA4001_fix_and_the_sample_still_builds()
    {
        var sample = SampleCopy.CreateWithPackage(_fixture, "format", forDotnetFormat: true);

        var restore = await sample.RestoreAsync(_fixture);
        Assert.True(restore.Succeeded, "Restoring the sample copy failed.\n" + restore.Describe());

        var before = await sample.BuildAsync();
        Assert.True(before.Succeeded, "Building the sample copy failed before formatting.\n" + before.Describe());
        var warningsBefore = SampleCopy.ParseWarnings(before).Where(w => w.Id == "BA4001").ToList();
        Assert.True(warningsBefore.Count > 0, "The sample must show BA4001 before the fix runs.\n" + before.Describe());
        var sourcesBefore = sample.ReadSources();

        var format = await ProcessRunner.DotnetAsync(
            sample.Root,
            "format", "analyzers", sample.ProjectPath, "--diagnostics", "BA4001", "--severity", "warn", "--no-restore", "-v", "normal");
        Assert.True(format.Succeeded, "dotnet format failed.\n" + format.Describe());

        var after = await sample.BuildAsync();
        Assert.True(after.Succeeded, "The sample copy no longer builds after `dotnet format analyzers --diagnostics BA4001`.\n" + format.Describe() + "\n" + after.Describe());
        var warningsAfter = SampleCopy.ParseWarnings(after).Where(w => w.Id == "BA4001").ToList();

        var sourcesAfter = sample.ReadSources();
        var changed = sourcesAfter.Where(kv => !sourcesBefore.TryGetValue(kv.Key, out var old) || old != kv.Value).Select(kv => kv.Key).ToList();
        var filesWithWarnings = warningsBefore.Select(w => w.Path).ToHashSet(StringComparer.Ordinal);
        var report = "BA4001 before:\n" + string.Join("\n", warningsBefore.Select(Format))
            + "\nBA4001 after:\n" + string.Join("\n", warningsAfter.Select(Format))
            + "\nChanged files:\n" + string.Join("\n", changed)
            + "\n\n" + format.Describe();

        // The fix touches only the files it was asked to fix.
        Assert.True(changed.All(filesWithWarnings.Contains), "dotnet format changed files that had no BA4001 warning.\n" + report);

        if (HasCodeFixFor("BA4001"))
        {
            Assert.True(changed.Count > 0, "A BA4001 code fix ships in the package, yet dotnet format changed no file.\n" + report);
            Assert.True(warningsAfter.Count < warningsBefore.Count, "The BA4001 fix left as many warnings as before.\n" + report);
        }
        else
        {
            // No fix for the rule ships yet: formatting must leave the sample exactly as it was.
            Assert.True(changed.Count == 0 && warningsAfter.Count == warningsBefore.Count, "Without a BA4001 fix nothing may change.\n" + report);
        }
    }

    /// <summary>Whether the code-fix assembly (the one the package carries) exports a fix for <paramref name="id"/>.</summary>
    private static bool HasCodeFixFor(string id)
    {
        var assembly = Assembly.Load(new AssemblyName("BackendAnalyzers.CodeFixes"));
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        return types
            .Where(t => t is { IsAbstract: false } && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t!)!)
            .Any(p => p.FixableDiagnosticIds.Contains(id));
    }

    private static string Format(BuildWarning w) => $"{w.Path}({w.Line},{w.Column}): {w.Id}";
}
