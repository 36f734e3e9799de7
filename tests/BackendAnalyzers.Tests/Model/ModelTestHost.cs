using System.Collections.Immutable;
using System.Text;
using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Tests.Model;

/// <summary>
/// A compilation for testing the shared models (Queries, Endpoints) directly: the test sources with the web global
/// usings, the clinic model unless asked otherwise, and the offline references every analyzer test uses.
/// <para>
/// Find what a test is about in three ways: a marker comment <c>/*name*/</c> placed right before a statement or
/// expression (<see cref="Node"/>, <see cref="Operation"/>, <see cref="Operation{TOperation}"/>); a named span
/// <c>{|name:...|}</c> around the exact text (same methods; the markup is removed before parsing); or a search over
/// the operations of the test sources (<see cref="Operations{TOperation}"/>, <see cref="Invocation"/>).
/// Symbols come from <see cref="Type"/> and <see cref="Method"/>.
/// </para>
/// </summary>
public sealed class ModelTestHost
{
    private readonly Dictionary<string, (SyntaxTree Tree, TextSpan Span)> _spans;
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();

    private ModelTestHost(CSharpCompilation compilation, ImmutableArray<SyntaxTree> testTrees, Dictionary<string, (SyntaxTree, TextSpan)> spans)
    {
        Compilation = compilation;
        TestTrees = testTrees;
        _spans = spans;
    }

    public CSharpCompilation Compilation { get; }

    /// <summary>The trees of the sources the test passed (not the global usings or the clinic model).</summary>
    public ImmutableArray<SyntaxTree> TestTrees { get; }

    /// <summary>Compiles <paramref name="sources"/> beside the global usings and the clinic model.</summary>
    public static ModelTestHost Create(params string[] sources) => Create(includeClinicModel: true, sources);

    public static ModelTestHost Create(bool includeClinicModel, params string[] sources)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var spans = new Dictionary<string, (SyntaxTree, TextSpan)>(StringComparer.Ordinal);
        var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
        var testTrees = ImmutableArray.CreateBuilder<SyntaxTree>();
        trees.Add(CSharpSyntaxTree.ParseText(TestSources.GlobalUsings, parseOptions, path: "/0/GlobalUsings.cs"));
        if (includeClinicModel)
        {
            trees.Add(CSharpSyntaxTree.ParseText(TestSources.ClinicModel, parseOptions, path: "/0/ClinicModel.cs"));
        }

        for (var i = 0; i < sources.Length; i++)
        {
            var text = StripSpans(sources[i], out var named);
            var tree = CSharpSyntaxTree.ParseText(text, parseOptions, path: $"/0/Test{i}.cs");
            foreach (var (name, span) in named)
            {
                if (!spans.TryAdd(name, (tree, span)))
                {
                    throw new ArgumentException($"The span name '{name}' is used twice.");
                }
            }

            trees.Add(tree);
            testTrees.Add(tree);
        }

        // Top-level statements (a minimal API's Program.cs) need an executable; everything else compiles as a library.
        var hasTopLevelStatements = testTrees.Any(t => t.GetRoot().ChildNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any());
        var compilation = CSharpCompilation.Create(
            "ModelTest",
            trees,
            TestReferences.All,
            new CSharpCompilationOptions(
                hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));
        return new ModelTestHost(compilation, testTrees.ToImmutable(), spans);
    }

    /// <summary>Errors of the compilation (tests of well-formed code call <see cref="AssertNoErrors"/>).</summary>
    public ImmutableArray<Diagnostic> Errors =>
        Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    public ModelTestHost AssertNoErrors()
    {
        var errors = Errors;
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException("The test source does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return this;
    }

    public SemanticModel GetSemanticModel(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out var model))
        {
            model = Compilation.GetSemanticModel(tree);
            _models.Add(tree, model);
        }

        return model;
    }

    /// <summary>
    /// The node a marker names: for <c>{|name:...|}</c> the node that spans exactly the marked text; for a
    /// <c>/*name*/</c> comment, the outermost statement or expression that starts right after it.
    /// </summary>
    public SyntaxNode Node(string name)
    {
        if (_spans.TryGetValue(name, out var marked))
        {
            var node = marked.Tree.GetRoot().FindNode(marked.Span, getInnermostNodeForTie: true);
            while (node.Parent is { } parent && parent.Span == node.Span && node.Span != marked.Span)
            {
                node = parent;
            }

            return node;
        }

        var comment = "/*" + name + "*/";
        foreach (var tree in TestTrees)
        {
            foreach (var trivia in tree.GetRoot().DescendantTrivia())
            {
                if (!trivia.IsKind(SyntaxKind.MultiLineCommentTrivia) || trivia.ToString() != comment)
                {
                    continue;
                }

                var token = trivia.Token;
                if (token.SpanStart < trivia.Span.End)
                {
                    token = token.GetNextToken(); // trailing trivia: the marker belongs to the next token
                }

                SyntaxNode? found = null;
                for (var node = token.Parent; node is not null && node.SpanStart == token.SpanStart; node = node.Parent)
                {
                    if (node is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax)
                    {
                        found = node;
                    }
                }

                return found ?? throw new InvalidOperationException($"No statement or expression follows the marker {comment}.");
            }
        }

        throw new KeyNotFoundException($"No marker named '{name}' ({comment} or {{|{name}:...|}}) in the test sources.");
    }

    /// <summary>The operation of the node a marker names.</summary>
    public IOperation Operation(string name)
    {
        var node = Node(name);
        return GetSemanticModel(node.SyntaxTree).GetOperation(node)
            ?? throw new InvalidOperationException($"The node marked '{name}' ({node}) has no operation.");
    }

    /// <summary>The first <typeparamref name="TOperation"/> at or under the marked node, outermost first.</summary>
    public TOperation Operation<TOperation>(string name)
        where TOperation : class, IOperation
    {
        var operation = Operation(name);
        return operation.DescendantsAndSelf().OfType<TOperation>().FirstOrDefault()
            ?? throw new InvalidOperationException($"No {typeof(TOperation).Name} at the marker '{name}' (found {operation.Kind}).");
    }

    /// <summary>Every operation of the test sources, in source order (member bodies, field initializers, lambdas included).</summary>
    public IEnumerable<IOperation> AllOperations()
    {
        foreach (var tree in TestTrees)
        {
            var model = GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.ArrowExpressionClauseSyntax { Parent: Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax }
                    or Microsoft.CodeAnalysis.CSharp.Syntax.EqualsValueClauseSyntax { Parent.Parent.Parent: Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax }
                    or Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax)
                {
                    var target = node is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax global ? global.Statement : node;
                    if (model.GetOperation(target) is { } root)
                    {
                        foreach (var operation in root.DescendantsAndSelf())
                        {
                            yield return operation;
                        }
                    }
                }
            }
        }
    }

    public IEnumerable<TOperation> Operations<TOperation>(Func<TOperation, bool>? predicate = null)
        where TOperation : IOperation =>
        AllOperations().OfType<TOperation>().Where(o => predicate is null || predicate(o));

    /// <summary>The only operation of the test sources that matches; fails when there are none or several.</summary>
    public TOperation Single<TOperation>(Func<TOperation, bool> predicate)
        where TOperation : IOperation
    {
        var found = Operations(predicate).ToList();
        return found.Count == 1
            ? found[0]
            : throw new InvalidOperationException($"Expected one {typeof(TOperation).Name} to match, found {found.Count}.");
    }

    /// <summary>The only call of a method with this name in the test sources (optionally the n-th, from 0, in source order).</summary>
    public IInvocationOperation Invocation(string methodName, int index = -1)
    {
        var found = Operations<IInvocationOperation>(i => i.TargetMethod.Name == methodName).ToList();
        if (index >= 0)
        {
            return found[index];
        }

        return found.Count == 1
            ? found[0]
            : throw new InvalidOperationException($"Expected one call of '{methodName}', found {found.Count}; pass an index.");
    }

    /// <summary>A type declared in the test sources or the clinic model, by simple or metadata name.</summary>
    public INamedTypeSymbol Type(string name)
    {
        var byMetadata = Compilation.GetTypeByMetadataName(name);
        if (byMetadata is not null)
        {
            return byMetadata;
        }

        var found = Compilation.GetSymbolsWithName(name, SymbolFilter.Type).OfType<INamedTypeSymbol>().ToList();
        return found.Count == 1
            ? found[0]
            : throw new InvalidOperationException($"Expected one type named '{name}', found {found.Count}.");
    }

    /// <summary>The method <paramref name="methodName"/> of type <paramref name="typeName"/> (the only one of that name).</summary>
    public IMethodSymbol Method(string typeName, string methodName)
    {
        var methods = Type(typeName).GetMembers(methodName).OfType<IMethodSymbol>().ToList();
        return methods.Count == 1
            ? methods[0]
            : throw new InvalidOperationException($"Expected one method {typeName}.{methodName}, found {methods.Count}.");
    }

    /// <summary>Runs analyzers over the compilation and returns their diagnostics; analyzer exceptions are rethrown.</summary>
    public async Task<ImmutableArray<Diagnostic>> RunAnalyzersAsync(params DiagnosticAnalyzer[] analyzers)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = Compilation.WithAnalyzers(analyzers.ToImmutableArray(), options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        if (exceptions.Count > 0)
        {
            throw new AggregateException("An analyzer threw.", exceptions);
        }

        return diagnostics;
    }

    /// <summary>Removes <c>{|name:...|}</c> markup (nesting allowed) and returns the named spans in the stripped text.</summary>
    private static string StripSpans(string source, out List<(string Name, TextSpan Span)> spans)
    {
        spans = new List<(string, TextSpan)>();
        var text = new StringBuilder(source.Length);
        var open = new Stack<(string Name, int Start)>();
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '{' && i + 1 < source.Length && source[i + 1] == '|')
            {
                var colon = source.IndexOf(':', i + 2);
                var name = colon < 0 ? null : source.Substring(i + 2, colon - i - 2);
                if (name is not null && name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '#'))
                {
                    open.Push((name, text.Length));
                    i = colon;
                    continue;
                }
            }

            if (source[i] == '|' && i + 1 < source.Length && source[i + 1] == '}' && open.Count > 0)
            {
                var (name, start) = open.Pop();
                spans.Add((name, TextSpan.FromBounds(start, text.Length)));
                i++;
                continue;
            }

            text.Append(source[i]);
        }

        if (open.Count > 0)
        {
            throw new ArgumentException($"Unclosed span markup '{{|{open.Peek().Name}:'.");
        }

        return text.ToString();
    }
}
