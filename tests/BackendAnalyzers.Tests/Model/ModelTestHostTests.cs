using BackendAnalyzers.DataAccess;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace BackendAnalyzers.Tests.Model;

/// <summary>The test host the model tests share: markers, spans, searches and symbols.</summary>
public class ModelTestHostTests
{
    private const string Source = """
        using Clinic;

        public class Probe
        {
            private readonly List<int> _ids = new() { 1, 2 };

            public int Count => _ids.Count;

            public async Task<int> Run(AppDb db)
            {
                var all = /*query*/ await db.Patients.Where(p => p.Id > 0).ToListAsync();
                /*statement*/ Console.WriteLine(all.Count);
                return {|sum:all.Sum(p => p.Id)|} + {|inner:Count|};
            }
        }
        """;

    [Fact]
    public void Marker_comment_finds_the_outermost_expression_after_it()
    {
        var host = ModelTestHost.Create(Source).AssertNoErrors();

        Assert.IsAssignableFrom<IAwaitOperation>(host.Operation("query"));
        Assert.Equal("ToListAsync", host.Operation<IInvocationOperation>("query").TargetMethod.Name);
        Assert.IsAssignableFrom<IExpressionStatementOperation>(host.Operation("statement"));
        Assert.Equal("WriteLine", host.Operation<IInvocationOperation>("statement").TargetMethod.Name);
    }

    [Fact]
    public void Named_spans_find_the_exact_node_and_are_removed_from_the_source()
    {
        var host = ModelTestHost.Create(Source).AssertNoErrors();

        Assert.Equal("all.Sum(p => p.Id)", host.Node("sum").ToString());
        Assert.Equal("Sum", host.Operation<IInvocationOperation>("sum").TargetMethod.Name);
        Assert.IsAssignableFrom<IPropertyReferenceOperation>(host.Operation("inner"));
        Assert.DoesNotContain("{|", host.TestTrees[0].ToString());
    }

    [Fact]
    public void Searches_cover_method_bodies_properties_and_field_initializers()
    {
        var host = ModelTestHost.Create(Source).AssertNoErrors();

        Assert.Equal("ToListAsync", host.Invocation("ToListAsync").TargetMethod.Name);
        Assert.Single(host.Operations<IPropertyReferenceOperation>(p => p.Property.Name == "Count" && p.Instance is IFieldReferenceOperation));
        Assert.Single(host.Operations<IObjectCreationOperation>());
        Assert.Equal("Probe.Run", host.Method("Probe", "Run").ContainingType.Name + "." + host.Method("Probe", "Run").Name);
        Assert.Equal(TypeKind.Class, host.Type("Clinic.AppDb").TypeKind);
    }

    [Fact]
    public void Top_level_statements_compile_as_a_program()
    {
        var host = ModelTestHost.Create("""
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapGet("/patients/{id}", (int id) => Results.Ok(id));
            app.Run();
            """).AssertNoErrors();

        Assert.Equal("MapGet", host.Invocation("MapGet").TargetMethod.Name);
    }

    [Fact]
    public async Task Errors_are_reported_for_broken_sources_and_analyzers_can_run()
    {
        var host = ModelTestHost.Create("public class Broken { void M() { Missing(); } }");

        Assert.NotEmpty(host.Errors);
        Assert.Throws<InvalidOperationException>(() => host.AssertNoErrors());
        var diagnostics = await host.RunAnalyzersAsync(new DatabaseQueryInLoopAnalyzer());
        Assert.Empty(diagnostics);
    }
}
