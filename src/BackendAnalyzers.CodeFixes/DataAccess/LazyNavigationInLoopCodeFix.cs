using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3002: Includes the navigation in the query the loop goes over, right after its DbSet
    /// (<c>db.Patients.Include(p =&gt; p.Doctor).Where(...)</c>), or right before the materializing call when the query
    /// comes from elsewhere. No fix when neither is in the loop's method.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LazyNavigationInLoopCodeFix)), Shared]
    public sealed class LazyNavigationInLoopCodeFix : CodeFixProvider
    {
        private const string Title = "Include the navigation in the query";
        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.LazyNavigationInLoop);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (diagnostic.AdditionalLocations.Count == 0 || !diagnostic.Properties.TryGetValue(LazyNavigationInLoopAnalyzer.NavigationProperty, out var navigation)
                    || string.IsNullOrEmpty(navigation))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct), nameof(LazyNavigationInLoopCodeFix)),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.AdditionalLocations.Count == 0 || !diagnostic.Properties.TryGetValue(LazyNavigationInLoopAnalyzer.NavigationProperty, out var navigation)
                || string.IsNullOrEmpty(navigation))
            {
                return Task.CompletedTask;
            }

            var span = diagnostic.AdditionalLocations[0].SourceSpan;
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            var target = node.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == span);
            if (target is null)
            {
                return Task.CompletedTask;
            }

            var parameter = ChooseParameterName(editor.SemanticModel, target, cancellationToken);
            var selector = SyntaxFactory.SimpleLambdaExpression(
                    SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameter)),
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(parameter), SyntaxFactory.IdentifierName(navigation!)))
                .NormalizeWhitespace();
            var arguments = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(selector)));
            if (QueryChainEdits.InsertCallAfter(editor, span, "Include", arguments))
            {
                QueryChainEdits.EnsureEntityFrameworkUsing(editor, span, "Include", cancellationToken);
            }

            return Task.CompletedTask;
        }

        /// <summary>The first letter of the entity type (p for Patient), else x, e, item: a name nothing in scope uses.</summary>
        private static string ChooseParameterName(SemanticModel model, ExpressionSyntax query, CancellationToken cancellationToken)
        {
            var candidates = new List<string>();
            var type = model.GetTypeInfo(query, cancellationToken).Type as INamedTypeSymbol;
            if (type is { TypeArguments.Length: > 0 } && type.TypeArguments[0].Name is { Length: > 0 } elementName && char.IsLetter(elementName[0]))
            {
                candidates.Add(char.ToLowerInvariant(elementName[0]).ToString());
            }

            candidates.AddRange(new[] { "x", "e", "item", "row" });
            foreach (var candidate in candidates)
            {
                if (model.LookupSymbols(query.SpanStart, name: candidate).IsEmpty && SyntaxFacts.GetKeywordKind(candidate) == SyntaxKind.None)
                {
                    return candidate;
                }
            }

            return "row" + query.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
