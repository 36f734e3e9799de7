using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Infrastructure
{
    /// <summary>
    /// Adds an operator to an EF Core query chain: <c>db.Patients.Where(w)</c> with AsNoTracking() after
    /// <c>db.Patients</c> becomes <c>db.Patients.AsNoTracking().Where(w)</c>. A chain written one operator per line
    /// gets the new operator on a line of its own, indented like the next one.
    /// </summary>
    internal static class QueryChainEdits
    {
        /// <summary>
        /// Replaces the expression at <paramref name="span"/> with <c>expression.Name(arguments)</c>, through the
        /// editor's callback form so fixes of one batch compose (two insertions after one expression both land, the
        /// later one nearer the expression). Does nothing when the expression already ends in that call.
        /// </summary>
        public static bool InsertCallAfter(DocumentEditor editor, Microsoft.CodeAnalysis.Text.TextSpan span, string name, ArgumentListSyntax? arguments = null)
            => InsertCallAfter(editor, span, name, _ => arguments ?? SyntaxFactory.ArgumentList());

        /// <summary>
        /// Like <see cref="InsertCallAfter(DocumentEditor, Microsoft.CodeAnalysis.Text.TextSpan, string, ArgumentListSyntax?)"/>, with
        /// the arguments made from the expression as it is when the edit runs; the call counts as already there when
        /// one of that name with the same arguments ends the expression.
        /// </summary>
        public static bool InsertCallAfter(DocumentEditor editor, Microsoft.CodeAnalysis.Text.TextSpan span, string name, System.Func<ExpressionSyntax, ArgumentListSyntax> arguments)
        {
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            var target = node.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == span);
            if (target is null)
            {
                return false;
            }

            editor.ReplaceNode(target, (current, _) =>
            {
                var expression = (ExpressionSyntax)current;
                var argumentList = arguments(expression);
                for (var existing = expression as InvocationExpressionSyntax; existing?.Expression is MemberAccessExpressionSyntax existingAccess; existing = existingAccess.Expression as InvocationExpressionSyntax)
                {
                    if (existingAccess.Name.Identifier.ValueText == name && existing.ArgumentList.IsEquivalentTo(argumentList, topLevel: false))
                    {
                        return expression; // added already
                    }
                }

                var lineBreak = expression.GetTrailingTrivia();
                var multiline = lineBreak.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                var indentation = multiline && target.Parent is MemberAccessExpressionSyntax next ? next.OperatorToken.LeadingTrivia : default;
                var call = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        multiline ? expression.WithTrailingTrivia(lineBreak) : expression.WithoutTrailingTrivia(),
                        SyntaxFactory.Token(indentation, SyntaxKind.DotToken, default),
                        SyntaxFactory.IdentifierName(name)),
                    argumentList);
                return call.WithTrailingTrivia(lineBreak);
            });

            return true;
        }

        /// <summary>
        /// Adds <c>using Microsoft.EntityFrameworkCore;</c> when the EF Core query operators are not in scope at
        /// <paramref name="position"/> (no using directive, no global using).
        /// </summary>
        public static void EnsureEntityFrameworkUsing(DocumentEditor editor, Microsoft.CodeAnalysis.Text.TextSpan receiverSpan, string method, CancellationToken cancellationToken)
        {
            const string Namespace = "Microsoft.EntityFrameworkCore";
            var model = editor.SemanticModel;
            var node = editor.OriginalRoot.FindNode(receiverSpan, getInnermostNodeForTie: true);
            var receiver = node.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == receiverSpan);
            if (receiver is null || model.GetTypeInfo(receiver, cancellationToken).Type is not { } receiverType
                || !model.LookupSymbols(receiverSpan.End, receiverType, method, includeReducedExtensionMethods: true).IsEmpty)
            {
                return;
            }

            if (editor.OriginalRoot is not CompilationUnitSyntax unit)
            {
                return;
            }

            editor.ReplaceNode(unit, (current, _) =>
            {
                var compilationUnit = (CompilationUnitSyntax)current;
                if (compilationUnit.Usings.Any(u => u.Name?.ToString() == Namespace))
                {
                    return compilationUnit;
                }

                return compilationUnit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(Namespace)).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
            });
        }
    }
}
