using System.Security;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace BackendAnalyzers.Tests.EndToEnd;

/// <summary>One warning line of an MSBuild log: <c>path(line,col): warning BAxxxx: message [project]</c>.</summary>
public sealed record BuildWarning(string Path, int Line, int Column, string Id);

/// <summary>
/// A copy of samples/BackendSample in a temp folder, outside the repository: none of the repository's
/// Directory.Build.props, Directory.Packages.props or nuget.config is above it, so the copy gets small ones of its
/// own. In package form the analyzer project reference is replaced by a reference to the packed package, restored
/// from the temp feed into the run's own packages folder.
/// </summary>
public sealed class SampleCopy
{
    private static readonly Regex WarningLine = new(
        @"^\s*(?<path>.+?)\((?<line>\d+),(?<col>\d+)(?:,\d+,\d+)?\)\s*:\s*warning\s+(?<id>BA\d{4})\s*:",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private SampleCopy(string root)
    {
        Root = root;
        ProjectDirectory = Path.Combine(root, "BackendSample");
        ProjectPath = Path.Combine(ProjectDirectory, "BackendSample.csproj");
    }

    /// <summary>The temp folder holding the copy and its build configuration.</summary>
    public string Root { get; }

    public string ProjectDirectory { get; }

    public string ProjectPath { get; }

    public string ProblemsDirectory => Path.Combine(ProjectDirectory, "Problems");

    /// <summary>Copies the sample and makes it consume the packed package instead of the analyzer project.</summary>
    /// <param name="forDotnetFormat">
    /// Also drop <c>WarningsNotAsErrors</c> when warnings are not errors anyway. dotnet format reads an ID listed
    /// there (passed to the compiler as <c>/warnaserror-:ID</c>) as configured to "default" severity, which it
    /// takes for hidden, and then skips the rule's analyzer and fix entirely; the sample lists every BA rule there.
    /// </param>
    public static SampleCopy CreateWithPackage(PackedPackageFixture fixture, string name, bool forDotnetFormat = false)
    {
        var root = Path.Combine(fixture.WorkRoot, name);
        if (Directory.Exists(root))
        {
            throw new InvalidOperationException("The sample copy " + root + " already exists.");
        }

        var copy = new SampleCopy(root);
        CopyDirectory(fixture.SampleDirectory, copy.ProjectDirectory);
        copy.WriteBuildConfiguration(fixture);
        copy.ReplaceAnalyzerProjectReference();
        if (forDotnetFormat)
        {
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), """
                <Project>
                  <!-- Written by the end-to-end tests: dotnet format skips rules listed in WarningsNotAsErrors. -->
                  <PropertyGroup Condition="'$(TreatWarningsAsErrors)' != 'true'">
                    <WarningsNotAsErrors></WarningsNotAsErrors>
                  </PropertyGroup>
                </Project>
                """);
        }

        return copy;
    }

    public Task<ProcessResult> RestoreAsync(PackedPackageFixture fixture) =>
        ProcessRunner.DotnetAsync(Root, "restore", ProjectPath, "--packages", fixture.PackagesDirectory, "-nologo", "-nodeReuse:false");

    /// <summary>A full build: an incremental one that skips the compiler would report no warnings at all.</summary>
    public Task<ProcessResult> BuildAsync() =>
        ProcessRunner.DotnetAsync(Root, "build", ProjectPath, "--no-restore", "--no-incremental", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");

    /// <summary>The distinct BA warnings in a build's output (MSBuild repeats them in its summary).</summary>
    public static IReadOnlyList<BuildWarning> ParseWarnings(ProcessResult build) =>
        WarningLine.Matches(build.StandardOutput + "\n" + build.StandardError)
            .Select(m => new BuildWarning(
                System.IO.Path.GetFullPath(m.Groups["path"].Value.Trim()),
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["id"].Value))
            .Distinct()
            .OrderBy(w => w.Path, StringComparer.Ordinal).ThenBy(w => w.Line).ThenBy(w => w.Column)
            .ToList();

    public bool IsUnderProblems(string path)
    {
        var problems = System.IO.Path.GetFullPath(ProblemsDirectory) + System.IO.Path.DirectorySeparatorChar;
        return System.IO.Path.GetFullPath(path).StartsWith(problems, StringComparison.Ordinal);
    }

    /// <summary>The text of every C# file of the copy, by full path.</summary>
    public IReadOnlyDictionary<string, string> ReadSources() =>
        Directory.EnumerateFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(p))
            .ToDictionary(p => p, File.ReadAllText, StringComparer.Ordinal);

    private bool IsBuildOutput(string path)
    {
        var relative = System.IO.Path.GetRelativePath(ProjectDirectory, path).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    private void WriteBuildConfiguration(PackedPackageFixture fixture)
    {
        var globalJson = Path.Combine(fixture.RepositoryRoot, "global.json");
        if (File.Exists(globalJson))
        {
            File.Copy(globalJson, Path.Combine(Root, "global.json"));
        }

        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), $"""
            <Project>
              <!-- Written by the end-to-end tests: the sample outside the repository, as a user's project. -->
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <RestorePackagesPath>{SecurityElement.Escape(fixture.PackagesDirectory)}</RestorePackagesPath>
                <NoWarn>$(NoWarn);NU1603</NoWarn>
              </PropertyGroup>
            </Project>
            """);

        // The repository's central versions (the sample's packages), plus the packed package.
        var packages = XDocument.Load(Path.Combine(fixture.RepositoryRoot, "Directory.Packages.props"));
        var root = packages.Root!;
        var ns = root.Name.Namespace;
        foreach (var existing in root.Descendants(ns + "PackageVersion")
            .Where(e => string.Equals((string?)e.Attribute("Include"), PackedPackageFixture.PackageId, StringComparison.OrdinalIgnoreCase))
            .ToList())
        {
            existing.Remove();
        }

        root.Add(new XElement(ns + "ItemGroup",
            new XElement(ns + "PackageVersion",
                new XAttribute("Include", PackedPackageFixture.PackageId),
                new XAttribute("Version", fixture.Version))));
        packages.Save(Path.Combine(Root, "Directory.Packages.props"));

        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="backendanalyzers-local" value="{SecurityElement.Escape(fixture.FeedDirectory)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="backendanalyzers-local">
                  <package pattern="{PackedPackageFixture.PackageId}" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    private void ReplaceAnalyzerProjectReference()
    {
        var project = XDocument.Load(ProjectPath, LoadOptions.PreserveWhitespace);
        var ns = project.Root!.Name.Namespace;
        // Every reference into the package's projects (the analyzer one, and the code fixes should the sample
        // ever reference them too): the package brings both assemblies.
        var analyzerReferences = project.Root.Descendants(ns + "ProjectReference")
            .Where(e => Path.GetFileName(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/'))
                .StartsWith("BackendAnalyzers", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (!analyzerReferences.Any(e => ((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/').EndsWith("/BackendAnalyzers.csproj", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException(
                "samples/BackendSample/BackendSample.csproj no longer references src/BackendAnalyzers/BackendAnalyzers.csproj; the end-to-end test expects that reference and replaces it with the package.");
        }

        foreach (var reference in analyzerReferences)
        {
            reference.Remove();
        }

        project.Root.Add(new XElement(ns + "ItemGroup",
            new XElement(ns + "PackageReference", new XAttribute("Include", PackedPackageFixture.PackageId))));
        project.Save(ProjectPath);
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".db", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".db-shm", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".db-wal", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            File.Copy(file, Path.Combine(destination, name));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or ".vs")
            {
                continue;
            }

            CopyDirectory(directory, Path.Combine(destination, name));
        }
    }
}
