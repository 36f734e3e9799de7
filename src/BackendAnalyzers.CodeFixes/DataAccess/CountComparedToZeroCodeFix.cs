using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3010: <c>query.Count(p) &gt; 0</c> becomes <c>query.Any(p)</c>, <c>await query.CountAsync(p, ct) == 0</c>
    /// becomes <c>!await query.AnyAsync(p, ct)</c>: same predicate, same arguments (cancellation token included),
    /// negated when the comparison asks for none.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CountComparedToZeroCodeFix)), Shared]
    public sealed class CountComparedToZeroCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CountComparedToZero);

        protected override string GetTitle(Diagnostic diagnostic) => "Use Any()";

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var span = diagnostic.Location.SourceSpan;
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            var comparison = node.AncestorsAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.Span == span);
            if (comparison is null)
            {
                return Task.CompletedTask;
            }

            var countOnLeft = !diagnostic.Properties.TryGetValue(CountComparedToZeroAnalyzer.SideProperty, out var side) || side != "Right";
            var negate = diagnostic.Properties.ContainsKey(CountComparedToZeroAnalyzer.NegateProperty);
            editor.ReplaceNode(comparison, (current, _) =>
            {
                var binary = (BinaryExpressionSyntax)current;
                var count = countOnLeft ? binary.Left : binary.Right;
                if (FindCountCall(count) is not { } call || RenameToAny(call) is not { } any)
                {
                    return binary;
                }

                ExpressionSyntax result = count.ReplaceNode(call, any).WithoutTrivia();
                if (result is ParenthesizedExpressionSyntax)
                {
                    result = result.WithAdditionalAnnotations(Simplifier.Annotation);
                }

                if (negate)
                {
                    if (result is not (InvocationExpressionSyntax or AwaitExpressionSyntax or ParenthesizedExpressionSyntax or MemberAccessExpressionSyntax))
                    {
                        result = SyntaxFactory.ParenthesizedExpression(result).WithAdditionalAnnotations(Simplifier.Annotation);
                    }

                    result = SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, result);
                }

                return result.WithTriviaFrom(binary);
            });

            return Task.CompletedTask;
        }

        /// <summary>The Count call inside <c>(await query.CountAsync(ct).ConfigureAwait(false))</c>.</summary>
        private static InvocationExpressionSyntax? FindCountCall(ExpressionSyntax expression)
        {
            var current = expression;
            while (true)
            {
                switch (current)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        current = parenthesized.Expression;
                        continue;
                    case AwaitExpressionSyntax awaited:
                        current = awaited.Expression;
                        continue;
                    case CastExpressionSyntax cast:
                        current = cast.Expression;
                        continue;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure }:
                        current = configure.Expression;
                        continue;
                    case InvocationExpressionSyntax invocation when NameOf(invocation) is { } name
                        && name.Identifier.ValueText is "Count" or "LongCount" or "CountAsync" or "LongCountAsync":
                        return invocation;
                    default:
                        return null;
                }
            }
        }

        private static SimpleNameSyntax? NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            SimpleNameSyntax name => name,
            _ => null,
        };

        private static InvocationExpressionSyntax? RenameToAny(InvocationExpressionSyntax call)
        {
            var name = NameOf(call);
            if (name is null)
            {
                return null;
            }

            var identifier = name.Identifier.ValueText.EndsWith("Async", System.StringComparison.Ordinal) ? "AnyAsync" : "Any";
            var token = SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, identifier, name.Identifier.TrailingTrivia);
            SimpleNameSyntax renamed = name is GenericNameSyntax generic ? generic.WithIdentifier(token) : SyntaxFactory.IdentifierName(token);
            return call.ReplaceNode(name, renamed);
        }
    }
}
