using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendAnalyzers.Tests.Infrastructure;

public class ProjectKindsTests
{
    private static Compilation Project(string name, params string[] referencedAssemblies)
    {
        var references = referencedAssemblies
            .Select(a => CSharpCompilation.Create(a, new[] { CSharpSyntaxTree.ParseText("public class C { }") }, Basic.Reference.Assemblies.Net100.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).ToMetadataReference() as MetadataReference)
            .Concat(Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>());
        return CSharpCompilation.Create(name, new[] { CSharpSyntaxTree.ParseText("public class Program { }") }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    [Theory]
    [InlineData("Clinic.Api.Tests")]
    [InlineData("Clinic.IntegrationTest")]
    public void Named_like_a_test_project(string name) => Assert.True(ProjectKinds.IsTestProject(Project(name)));

    [Theory]
    [InlineData("xunit.core")]
    [InlineData("xunit.v3.core")]
    [InlineData("nunit.framework")]
    [InlineData("Microsoft.VisualStudio.TestPlatform.TestFramework")]
    public void References_a_test_framework(string framework) => Assert.True(ProjectKinds.IsTestProject(Project("Clinic.Api", framework)));

    [Fact]
    public void An_assertion_library_alone_does_not_make_a_test_project() =>
        Assert.False(ProjectKinds.IsTestProject(Project("Clinic.Api", "xunit.assert")));
}
