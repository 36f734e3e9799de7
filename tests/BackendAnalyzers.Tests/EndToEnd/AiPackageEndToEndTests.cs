extern alias ai;

using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace BackendAnalyzers.Tests.EndToEnd;

/// <summary>
/// The end-to-end classes run one after another: each packs from the same project folders, and parallel packs of
/// one project would write the same obj/ and bin/ files.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// Packs the core package and BackendAnalyzers.AI into one temp feed (the core through <see cref="PackedPackageFixture"/>,
/// so both come from the same commit), for <see cref="AiPackageEndToEndTests"/>.
/// </summary>
public sealed class AiPackagesFixture : IDisposable
{
    public const string AiPackageId = "BackendAnalyzers.AI";

    public AiPackagesFixture()
    {
        Core = new PackedPackageFixture();
        PackResult = ProcessRunner.DotnetAsync(
            Core.RepositoryRoot,
            "pack", Path.Combine("src", "BackendAnalyzers.AI"), "-c", "Release", "-o", Core.FeedDirectory,
            "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false").GetAwaiter().GetResult();
        if (!PackResult.Succeeded)
        {
            throw new InvalidOperationException("Packing BackendAnalyzers.AI failed.\n" + PackResult.Describe());
        }

        AiPackagePath = Directory.GetFiles(Core.FeedDirectory, AiPackageId + ".*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.OrdinalIgnoreCase));
    }

    public PackedPackageFixture Core { get; }

    public ProcessResult PackResult { get; }

    public string AiPackagePath { get; }

    public void Dispose() => Core.Dispose();
}

/// <summary>
/// The AI package as a user installs it: beside the core package in a copy of the sample, the build shows no
/// analyzer loader warning (CS8032, CS8034, AD0001) and the BA rules still run; the core package carries no Azure or
/// OpenAI assembly; the AI package carries its dependency closure without Roslyn's assemblies. Slow (minutes).
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public sealed class AiPackageEndToEndTests : IClassFixture<AiPackagesFixture>
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    private readonly AiPackagesFixture _fixture;

    public AiPackageEndToEndTests(AiPackagesFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sample_with_both_packages_builds_without_loader_warnings()
    {
        var sample = SampleCopy.CreateWithPackage(_fixture.Core, "both-packages");
        AddAiPackage(sample);

        var restore = await sample.RestoreAsync(_fixture.Core);
        Assert.True(restore.Succeeded, "Restoring the sample copy with both packages failed.\n" + restore.Describe());
        Assert.True(
            Directory.Exists(Path.Combine(_fixture.Core.PackagesDirectory, AiPackagesFixture.AiPackageId.ToLowerInvariant(), _fixture.Core.Version)),
            "BackendAnalyzers.AI was not restored.\n" + restore.Describe());

        var build = await sample.BuildAsync();
        Assert.True(build.Succeeded, "Building the sample copy with both packages failed.\n" + build.Describe());
        var output = build.StandardOutput + "\n" + build.StandardError;
        foreach (var id in new[] { "CS8032", "CS8034", "AD0001", "CS9057" })
        {
            Assert.False(output.Contains(id, StringComparison.Ordinal), id + " in the build of the sample with both packages:\n" + build.Describe());
        }

        // The rules still run beside the AI package.
        Assert.Contains(SampleCopy.ParseWarnings(build), w => w.Id == "BA3001");
    }

    [Fact]
    public void Core_package_has_no_Azure_or_OpenAI_assembly()
    {
        using var archive = ZipFile.OpenRead(_fixture.Core.PackagePath);
        var assemblies = archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.DoesNotContain(assemblies, n => n.Contains("Azure", StringComparison.OrdinalIgnoreCase) || n.Contains("OpenAI", StringComparison.OrdinalIgnoreCase) || n.Contains("ClientModel", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(assemblies, n => n.Contains(AiPackagesFixture.AiPackageId, StringComparison.Ordinal));
    }

    [Fact]
    public void AI_package_carries_its_dependency_closure_without_Roslyn_and_is_a_development_dependency()
    {
        using var archive = ZipFile.OpenRead(_fixture.AiPackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        var assemblies = entries.Where(n => n.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        var listing = string.Join("\n", entries);

        Assert.All(assemblies, a => Assert.StartsWith(AnalyzerFolder, a, StringComparison.Ordinal));
        foreach (var expected in new[] { "BackendAnalyzers.AI.dll", "Azure.AI.OpenAI.dll", "OpenAI.dll", "Azure.Core.dll", "System.ClientModel.dll", "System.Memory.Data.dll" })
        {
            Assert.True(assemblies.Contains(AnalyzerFolder + expected), expected + " is missing from the AI package:\n" + listing);
        }

        Assert.DoesNotContain(assemblies, a => Path.GetFileName(a).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain(assemblies, a => Path.GetFileName(a) is "System.Collections.Immutable.dll" or "System.Reflection.Metadata.dll" or "Humanizer.dll");
        Assert.DoesNotContain(assemblies, a => Path.GetFileName(a).StartsWith("System.Composition", StringComparison.Ordinal));
        Assert.DoesNotContain(assemblies, a => Path.GetFileName(a) == "BackendAnalyzers.dll");
        Assert.Contains("AI.md", entries);

        var nuspec = PackedPackageFixture.ReadNuspec(_fixture.AiPackagePath);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")?.Value);
        Assert.False(nuspec.ToString().Contains("<dependency", StringComparison.Ordinal), "The AI package must have no NuGet dependencies:\n" + nuspec);

        // OpenAI is the exact version Azure.AI.OpenAI was built against.
        var azureReferences = ReferencedAssemblies(archive, AnalyzerFolder + "Azure.AI.OpenAI.dll");
        var openAi = AssemblyVersion(archive, AnalyzerFolder + "OpenAI.dll");
        Assert.Equal(azureReferences["OpenAI"], openAi);
    }

    [Fact]
    public void AI_assembly_has_no_analyzer_and_does_not_reference_the_core_assembly()
    {
        var assembly = typeof(ai::BackendAnalyzers.AI.Configuration.AiSettings).Assembly;
        Assert.DoesNotContain(assembly.GetTypes(), t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t));
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name is "BackendAnalyzers" or "BackendAnalyzers.CodeFixes");
    }

    /// <summary>Adds BackendAnalyzers.AI to the copy: central version, feed mapping, package reference.</summary>
    private void AddAiPackage(SampleCopy sample)
    {
        var props = Path.Combine(sample.Root, "Directory.Packages.props");
        var packages = XDocument.Load(props);
        var ns = packages.Root!.Name.Namespace;
        packages.Root.Add(new XElement(ns + "ItemGroup",
            new XElement(ns + "PackageVersion", new XAttribute("Include", AiPackagesFixture.AiPackageId), new XAttribute("Version", _fixture.Core.Version))));
        packages.Save(props);

        var config = Path.Combine(sample.Root, "nuget.config");
        var text = File.ReadAllText(config);
        var corePattern = $"<package pattern=\"{PackedPackageFixture.PackageId}\" />";
        Assert.Contains(corePattern, text, StringComparison.Ordinal);
        File.WriteAllText(config, text.Replace(corePattern, corePattern + $"\n      <package pattern=\"{AiPackagesFixture.AiPackageId}\" />", StringComparison.Ordinal));

        var project = XDocument.Load(sample.ProjectPath, LoadOptions.PreserveWhitespace);
        var projectNs = project.Root!.Name.Namespace;
        project.Root.Add(new XElement(projectNs + "ItemGroup",
            new XElement(projectNs + "PackageReference", new XAttribute("Include", AiPackagesFixture.AiPackageId))));
        project.Save(sample.ProjectPath);
    }

    private static Dictionary<string, Version> ReferencedAssemblies(ZipArchive archive, string entry)
    {
        using var reader = OpenPe(archive, entry);
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .ToDictionary(r => metadata.GetString(r.Name), r => r.Version, StringComparer.Ordinal);
    }

    private static Version AssemblyVersion(ZipArchive archive, string entry)
    {
        using var reader = OpenPe(archive, entry);
        return reader.GetMetadataReader().GetAssemblyDefinition().Version;
    }

    private static PEReader OpenPe(ZipArchive archive, string entry)
    {
        using var stream = archive.GetEntry(entry)!.Open();
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return new PEReader(memory);
    }
}
