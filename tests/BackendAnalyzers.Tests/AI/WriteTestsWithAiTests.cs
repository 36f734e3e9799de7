extern alias ai;

using ai::BackendAnalyzers.AI.Providers;
using BackendAnalyzers.Tests.RepoWide;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using static BackendAnalyzers.Tests.AI.AiTestSolution;

namespace BackendAnalyzers.Tests.AI;

/// <summary>
/// Write tests with AI on the sample: the sample and its xunit test project (samples/BackendSample.Tests) loaded as
/// two projects, the generated file added to the test project and compiled there.
/// </summary>
public sealed class WriteTestsWithAiTests
{
    private const string NonWebImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string TestsThatDoNotCompile = """
        ```csharp
        using BackendSample.Data;
        using BackendSample.Features.Patients;
        using Moq;

        namespace BackendSample.Tests.Features.Patients;

        public sealed class PatientServiceTests
        {
            [Fact]
            public async Task GetByIdAsync_returns_null_for_an_unknown_patient()
            {
                var db = new Mock<ClinicDbContext>();
                var service = new PatientService(db.Object, TimeProvider.System, null!);
                Assert.Null(await service.GetByIdAsync(404, CancellationToken.None));
            }
        }
        ```
        """;

    private const string GoodTests = """
        ```csharp
        using BackendSample.Features.Patients;
        using BackendSample.Infrastructure;
        using Microsoft.Extensions.Logging.Abstractions;

        namespace BackendSample.Tests.Features.Patients;

        public sealed class PatientServiceTests : IDisposable
        {
            private readonly SqliteClinic _clinic = new();

            public void Dispose() => _clinic.Dispose();

            [Fact]
            public async Task GetByIdAsync_returns_null_for_an_unknown_patient()
            {
                Assert.Null(await CreateService().GetByIdAsync(404, CancellationToken.None));
            }

            [Fact]
            public async Task ListAsync_on_an_empty_clinic_returns_an_empty_page()
            {
                var page = await CreateService().ListAsync(null, PageRequest.Create(1, 20), CancellationToken.None);

                Assert.Empty(page.Items);
                Assert.Equal(0, page.TotalCount);
            }

            private PatientService CreateService() => new(_clinic.CreateContext(), TimeProvider.System, NullLogger<PatientService>.Instance);
        }
        ```
        """;

    [Fact]
    public async Task Write_tests_adds_a_file_that_compiles_in_the_sample_test_project()
    {
        using var server = new StubChatServer();
        server.Enqueue(StubReply.Answer(TestsThatDoNotCompile), StubReply.Answer(GoodTests));
        var (solution, sampleId, testsId) = LoadSample(AzureConfig(server));
        var document = solution.GetProject(sampleId)!.Documents.Single(d => d.Name == "PatientService.cs");
        var text = (await document.GetTextAsync()).ToString();
        var provider = new WriteTestsWithAiRefactoringProvider(Services(AzureEnvironment()));

        Assert.Empty(await CompilerErrorsAsync(solution.GetProject(testsId)!));
        var action = Assert.Single(await RefactoringsAsync(provider, document, text.IndexOf("class PatientService", StringComparison.Ordinal) + 6));
        Assert.Equal("Write tests with AI", action.Title);
        Assert.Empty(server.Requests);
        var result = await ApplyAsync(action, solution);

        var tests = result.GetProject(testsId)!;
        var added = Assert.Single(tests.Documents, d => d.Name == "PatientServiceTests.cs");
        Assert.Equal(new[] { "Features", "Patients" }, added.Folders);
        Assert.Contains("GetByIdAsync_returns_null_for_an_unknown_patient", (await added.GetTextAsync()).ToString(), StringComparison.Ordinal);
        Assert.Empty(await CompilerErrorsAsync(tests));
        // The sample itself is untouched.
        Assert.Equal(text, (await result.GetDocument(document.Id)!.GetTextAsync()).ToString());

        Assert.Equal(2, server.Requests.Count);
        var first = server.Requests[0].Messages();
        Assert.Contains("Test framework: xunit", first, StringComparison.Ordinal);
        Assert.Contains("Mocking library: none", first, StringComparison.Ordinal);
        Assert.Contains("The file to write: Features/Patients/PatientServiceTests.cs", first, StringComparison.Ordinal);
        Assert.Contains("DoctorServiceTests", first, StringComparison.Ordinal);
        Assert.Contains("global using Xunit;", first, StringComparison.Ordinal);
        Assert.Contains("EF entity Patient", first, StringComparison.Ordinal);
        Assert.Contains("CS0246", server.Requests[1].Messages(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_tests_is_offered_on_services_controllers_and_endpoints_not_on_DTOs_or_entities()
    {
        using var server = new StubChatServer();
        var (solution, sampleId, _) = LoadSample(AzureConfig(server));
        var provider = new WriteTestsWithAiRefactoringProvider(Services(AzureEnvironment()));

        async Task<int> OfferedAsync(string file, string marker)
        {
            var document = solution.GetProject(sampleId)!.Documents.Single(d => d.Name == file);
            var text = (await document.GetTextAsync()).ToString();
            var position = text.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(position >= 0, marker + " not found in " + file);
            return (await RefactoringsAsync(provider, document, position)).Count;
        }

        Assert.Equal(1, await OfferedAsync("PatientService.cs", "PatientService("));
        Assert.Equal(1, await OfferedAsync("PatientService.cs", "ListAsync(string? lastNamePrefix, PageRequest paging, CancellationToken cancellationToken)\n    {"));
        Assert.Equal(1, await OfferedAsync("PatientsController.cs", "PatientsController"));
        Assert.Equal(1, await OfferedAsync("DoctorEndpoints.cs", "DoctorEndpoints"));
        Assert.Equal(0, await OfferedAsync("Patient.cs", "class Patient"));
        Assert.Equal(0, await OfferedAsync("ClinicDbContext.cs", "ClinicDbContext("));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Write_tests_is_not_offered_without_a_test_project()
    {
        using var server = new StubChatServer();
        var (document, _) = Create("""
            namespace App;

            public interface IGreeter { string Greet(string name); }

            public sealed class GreeterService : IGreeter
            {
                public string Greet(string name) => "Hello " + name;
            }
            """, AzureConfig(server));
        var text = (await document.GetTextAsync()).ToString();
        var provider = new WriteTestsWithAiRefactoringProvider(Services(AzureEnvironment()));

        Assert.Empty(await RefactoringsAsync(provider, document, text.IndexOf("GreeterService", StringComparison.Ordinal)));
    }

    /// <summary>The sample and its test project as two projects of one solution, the way the IDE loads them.</summary>
    private static (Solution Solution, ProjectId Sample, ProjectId Tests) LoadSample(string editorConfig)
    {
        var workspace = new AdhocWorkspace();
        var sampleFolder = SampleSources.SampleFolder;
        var testsFolder = Path.Combine(AnalyzerCatalog.RepositoryRoot, "samples", "BackendSample.Tests");
        var sampleId = ProjectId.CreateNewId();
        var testsId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                sampleId, VersionStamp.Default, "BackendSample", "BackendSample", LanguageNames.CSharp,
                filePath: Path.Combine(sampleFolder, "BackendSample.csproj"),
                compilationOptions: new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: SampleSources.ParseOptions,
                metadataReferences: TestReferences.All,
                analyzerReferences: new[] { new AnalyzerImageReference(AnalyzerCatalog.Analyzers) }))
            .AddProject(ProjectInfo.Create(
                testsId, VersionStamp.Default, "BackendSample.Tests", "BackendSample.Tests", LanguageNames.CSharp,
                filePath: Path.Combine(testsFolder, "BackendSample.Tests.csproj"),
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: SampleSources.ParseOptions,
                metadataReferences: TestReferences.All.AddRange(XunitReferences()),
                projectReferences: new[] { new ProjectReference(sampleId) }));

        solution = AddFolder(solution, sampleId, sampleFolder, SampleSources.WebImplicitUsings);
        solution = AddFolder(solution, testsId, testsFolder, NonWebImplicitUsings);
        solution = solution.AddAnalyzerConfigDocument(
            DocumentId.CreateNewId(sampleId),
            ".editorconfig",
            SourceText.From("root = true\n\n[*.cs]\n" + editorConfig),
            filePath: Path.Combine(AnalyzerCatalog.RepositoryRoot, "samples", ".editorconfig"));
        return (solution, sampleId, testsId);
    }

    private static Solution AddFolder(Solution solution, ProjectId project, string folder, string implicitUsings)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = relative.Split('/');
            solution = solution.AddDocument(DocumentId.CreateNewId(project), parts[^1], SourceText.From(File.ReadAllText(file)), parts[..^1], file);
        }

        return solution.AddDocument(DocumentId.CreateNewId(project), "ImplicitUsings.g.cs", SourceText.From(implicitUsings), filePath: Path.Combine(folder, "obj", "ImplicitUsings.g.cs"));
    }

    /// <summary>xunit's assemblies, from this test project's own output folder.</summary>
    private static IEnumerable<MetadataReference> XunitReferences() =>
        new[] { "xunit.core.dll", "xunit.assert.dll", "xunit.abstractions.dll" }
            .Select(name => Path.Combine(AppContext.BaseDirectory, name))
            .Where(File.Exists)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
}
