using System.IO.Compression;
using System.Xml.Linq;

namespace BackendAnalyzers.Tests.EndToEnd;

/// <summary>
/// Packs the BackendAnalyzers package once per test run into a temp feed, the way a release does
/// (<c>dotnet pack src/BackendAnalyzers.Package -c Release</c>), and owns the temp folder the end-to-end tests
/// work in: the feed, a packages folder of their own for restores, and the sample copies.
/// </summary>
public sealed class PackedPackageFixture : IDisposable
{
    public const string PackageId = "BackendAnalyzers";

    public PackedPackageFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkRoot = Path.Combine(Path.GetTempPath(), "BackendAnalyzers.EndToEnd", Guid.NewGuid().ToString("N"));
        FeedDirectory = Path.Combine(WorkRoot, "feed");
        PackagesDirectory = Path.Combine(WorkRoot, "packages");
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(PackagesDirectory);

        PackResult = ProcessRunner.DotnetAsync(
            RepositoryRoot,
            "pack", Path.Combine("src", "BackendAnalyzers.Package"), "-c", "Release", "-o", FeedDirectory,
            "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false").GetAwaiter().GetResult();
        if (!PackResult.Succeeded)
        {
            throw new InvalidOperationException("Packing BackendAnalyzers failed.\n" + PackResult.Describe());
        }

        var packages = Directory.GetFiles(FeedDirectory, PackageId + ".*.nupkg")
            .Where(p => !p.EndsWith(".snupkg", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (packages.Length != 1)
        {
            throw new InvalidOperationException(
                $"Expected one {PackageId} package in {FeedDirectory}, found {packages.Length}: {string.Join(", ", packages.Select(Path.GetFileName))}\n" + PackResult.Describe());
        }

        PackagePath = packages[0];
        Nuspec = ReadNuspec(PackagePath);
        var ns = Nuspec.Root!.Name.Namespace;
        Version = Nuspec.Root.Element(ns + "metadata")?.Element(ns + "version")?.Value
            ?? throw new InvalidOperationException("The nuspec of " + PackagePath + " has no version.");
    }

    /// <summary>The folder holding BackendAnalyzers.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The temp folder everything of this run lives in; deleted at the end.</summary>
    public string WorkRoot { get; }

    /// <summary>A local feed holding only the freshly packed package.</summary>
    public string FeedDirectory { get; }

    /// <summary>Where the sample copies restore to, so no run reads or writes the global packages folder for BackendAnalyzers.</summary>
    public string PackagesDirectory { get; }

    public ProcessResult PackResult { get; }

    public string PackagePath { get; }

    public XDocument Nuspec { get; }

    public string Version { get; }

    public string SampleDirectory => Path.Combine(RepositoryRoot, "samples", "BackendSample");

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("BACKENDANALYZERS_KEEP_E2E") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static XDocument ReadNuspec(string packagePath)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var entry = archive.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BackendAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No folder above " + AppContext.BaseDirectory + " holds BackendAnalyzers.sln.");
    }
}
