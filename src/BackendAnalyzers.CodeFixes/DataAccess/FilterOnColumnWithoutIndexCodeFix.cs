using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3008: adds the missing index where the entity's model is written: <c>HasIndex(x =&gt; x.Prop)</c> at the end of
    /// the entity's IEntityTypeConfiguration.Configure method or of its <c>modelBuilder.Entity&lt;T&gt;(b =&gt; { ... })</c>
    /// block (or as a statement of its own after a <c>modelBuilder.Entity&lt;T&gt;()...</c> chain), else
    /// <c>[Index(nameof(Prop))]</c> on the entity class. The edit usually lands in another document than the query, so
    /// the fix changes the solution; Fix All gathers every property per entity and adds each index once.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FilterOnColumnWithoutIndexCodeFix)), Shared]
    public sealed class FilterOnColumnWithoutIndexCodeFix : CodeFixProvider
    {
        private const string EfNamespace = "Microsoft.EntityFrameworkCore";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.FilterOnColumnWithoutIndex);

        public override FixAllProvider GetFixAllProvider() => IndexFixAllProvider.Instance;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var solution = context.Document.Project.Solution;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (TryRead(diagnostic, out var property, out _, out var location) && solution.GetDocument(location.SourceTree) is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Add an index on " + property,
                            ct => AddIndexesAsync(solution, new[] { diagnostic }, ct),
                            nameof(FilterOnColumnWithoutIndexCodeFix)),
                        diagnostic);
                }
            }

            return Task.CompletedTask;
        }

        private static bool TryRead(Diagnostic diagnostic, out string property, out string target, out Location location)
        {
            property = target = string.Empty;
            location = Location.None;
            if (!diagnostic.Properties.TryGetValue(FilterOnColumnWithoutIndexAnalyzer.PropertyProperty, out var p) || string.IsNullOrEmpty(p)
                || !diagnostic.Properties.TryGetValue(FilterOnColumnWithoutIndexAnalyzer.TargetProperty, out var t) || string.IsNullOrEmpty(t)
                || diagnostic.AdditionalLocations.Count != 1 || !diagnostic.AdditionalLocations[0].IsInSource)
            {
                return false;
            }

            property = p!;
            target = t!;
            location = diagnostic.AdditionalLocations[0];
            return true;
        }

        private static async Task<Solution> AddIndexesAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            // Several findings may want an index on the same entity, or even the same property: one edit per place.
            var wanted = new Dictionary<(SyntaxTree Tree, int Start, string Target), List<string>>();
            foreach (var diagnostic in diagnostics)
            {
                if (!TryRead(diagnostic, out var property, out var target, out var location))
                {
                    continue;
                }

                var key = (location.SourceTree!, location.SourceSpan.Start, target);
                if (!wanted.TryGetValue(key, out var properties))
                {
                    wanted[key] = properties = new List<string>();
                }

                if (!properties.Contains(property))
                {
                    properties.Add(property);
                }
            }

            foreach (var byTree in wanted.GroupBy(w => w.Key.Tree))
            {
                var document = solution.GetDocument(byTree.Key);
                if (document is null)
                {
                    continue;
                }

                var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
                var needsUsing = false;
                foreach (var place in byTree.OrderBy(w => w.Key.Start))
                {
                    var token = editor.OriginalRoot.FindToken(place.Key.Start);
                    switch (place.Key.Target)
                    {
                        case "Attribute":
                            needsUsing |= AddAttributes(editor, token, place.Value);
                            break;
                        case "Configuration":
                            AddToConfigure(editor, token, place.Value);
                            break;
                        case "EntityCall":
                            AddToEntityCall(editor, token, place.Value);
                            break;
                    }
                }

                if (needsUsing && editor.OriginalRoot is CompilationUnitSyntax unit
                    && !await IndexAttributeInScopeAsync(document, byTree.Min(w => w.Key.Start), cancellationToken).ConfigureAwait(false))
                {
                    editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(
                        SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(EfNamespace)).WithAdditionalAnnotations(Formatter.Annotation)));
                }

                solution = solution.WithDocumentSyntaxRoot(document.Id, editor.GetChangedRoot());
            }

            return solution;
        }

        /// <summary>Is EF Core's IndexAttribute already in scope there (a using, a global using, the namespace)?</summary>
        private static async Task<bool> IndexAttributeInScopeAsync(Document document, int position, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return model is not null
                && model.LookupNamespacesAndTypes(position, name: "IndexAttribute")
                    .Any(s => s.ContainingNamespace?.ToDisplayString() == EfNamespace);
        }

        /// <summary>[Index(nameof(Prop))] on the entity class, one per property.</summary>
        private static bool AddAttributes(DocumentEditor editor, SyntaxToken identifier, List<string> properties)
        {
            if (identifier.Parent is not TypeDeclarationSyntax type || type.Identifier != identifier)
            {
                return false;
            }

            editor.ReplaceNode(type, (current, generator) => generator.AddAttributes(
                current,
                properties.Select(p => generator.Attribute("Index", generator.NameOfExpression(generator.IdentifierName(p))))));
            return true;
        }

        /// <summary>builder.HasIndex(x =&gt; x.Prop); at the end of IEntityTypeConfiguration&lt;T&gt;.Configure(EntityTypeBuilder&lt;T&gt; builder).</summary>
        private static void AddToConfigure(DocumentEditor editor, SyntaxToken identifier, List<string> properties)
        {
            if (identifier.Parent is not TypeDeclarationSyntax type)
            {
                return;
            }

            var configure = type.Members.OfType<MethodDeclarationSyntax>()
                .FirstOrDefault(m => m.Identifier.ValueText == "Configure" && m.ParameterList.Parameters.Count == 1);
            if (configure is null)
            {
                return;
            }

            var builder = configure.ParameterList.Parameters[0].Identifier.ValueText;
            var statements = IndexStatements(builder, properties, NewLine(editor.OriginalRoot));
            editor.ReplaceNode(configure, (current, _) => AppendStatements((MethodDeclarationSyntax)current, statements));
        }

        private static SyntaxNode AppendStatements(MethodDeclarationSyntax method, IEnumerable<StatementSyntax> statements)
        {
            if (method.Body is { } body)
            {
                return method.WithBody(body.AddStatements(statements.ToArray()));
            }

            if (method.ExpressionBody is { } arrow)
            {
                var block = SyntaxFactory.Block(new StatementSyntax[] { SyntaxFactory.ExpressionStatement(arrow.Expression) }.Concat(statements))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                return method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
            }

            return method;
        }

        /// <summary>
        /// modelBuilder.Entity&lt;T&gt;(b =&gt; { ... }): appended to the block. modelBuilder.Entity&lt;T&gt;()...; a new
        /// statement modelBuilder.Entity&lt;T&gt;().HasIndex(x =&gt; x.Prop); after it.
        /// </summary>
        private static void AddToEntityCall(DocumentEditor editor, SyntaxToken token, List<string> properties)
        {
            var invocation = token.Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>()
                .FirstOrDefault(i => i.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "Entity" } });
            if (invocation is null)
            {
                return;
            }

            if (invocation.ArgumentList.Arguments.Count == 1
                && invocation.ArgumentList.Arguments[0].Expression is SimpleLambdaExpressionSyntax { Block: { } block } lambda)
            {
                var statements = IndexStatements(lambda.Parameter.Identifier.ValueText, properties, NewLine(editor.OriginalRoot));
                editor.ReplaceNode(block, (current, _) => ((BlockSyntax)current).AddStatements(statements.ToArray()));
                return;
            }

            if (invocation.ArgumentList.Arguments.Count == 0
                && invocation.FirstAncestorOrSelf<StatementSyntax>() is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax)
            {
                var entity = invocation.Expression.WithoutTrivia().ToString() + "()";
                // After the indexes an earlier fix added there, so that fixing one at a time keeps their order.
                var statements = ((BlockSyntax)statement.Parent!).Statements;
                for (var i = statements.IndexOf(statement) + 1; i < statements.Count
                    && statements[i].ToString().StartsWith(entity + ".HasIndex(", System.StringComparison.Ordinal); i++)
                {
                    statement = (ExpressionStatementSyntax)statements[i];
                }

                var added = properties.Select(p => (SyntaxNode)OnItsOwnLine(SyntaxFactory.ParseStatement($"{entity}.HasIndex(x => x.{p});"), NewLine(editor.OriginalRoot)));
                editor.InsertAfter(statement, added);
            }
        }

        private static IEnumerable<StatementSyntax> IndexStatements(string builder, List<string> properties, string newline)
        {
            var row = builder == "x" ? "e" : "x";
            return properties.Select(p => OnItsOwnLine(SyntaxFactory.ParseStatement($"{builder}.HasIndex({row} => {row}.{p});"), newline));
        }

        private static StatementSyntax OnItsOwnLine(StatementSyntax statement, string newline) =>
            statement.WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                .WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(newline))
                .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>The line ending the document already uses.</summary>
        private static string NewLine(SyntaxNode root)
        {
            foreach (var trivia in root.DescendantTrivia())
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return trivia.ToString();
                }
            }

            return "\n";
        }

        /// <summary>Fix All: every finding of the scope in one solution change, so indexes on one entity are added together.</summary>
        private sealed class IndexFixAllProvider : FixAllProvider
        {
            public static readonly IndexFixAllProvider Instance = new IndexFixAllProvider();

            public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
                new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

            public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            {
                var diagnostics = new List<Diagnostic>();
                switch (fixAllContext.Scope)
                {
                    case FixAllScope.Document when fixAllContext.Document is not null:
                        diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(fixAllContext.Document).ConfigureAwait(false));
                        break;
                    case FixAllScope.Project:
                        diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false));
                        break;
                    case FixAllScope.Solution:
                        foreach (var project in fixAllContext.Solution.Projects)
                        {
                            diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                        }

                        break;
                }

                if (diagnostics.Count == 0)
                {
                    return null;
                }

                var solution = fixAllContext.Solution;
                return CodeAction.Create(
                    "Add the missing indexes",
                    ct => AddIndexesAsync(solution, diagnostics, ct),
                    fixAllContext.CodeActionEquivalenceKey);
            }
        }
    }
}
