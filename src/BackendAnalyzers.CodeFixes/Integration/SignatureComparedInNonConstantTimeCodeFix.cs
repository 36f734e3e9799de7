using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Integration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.Integration
{
    /// <summary>
    /// BA6005: rewrites the comparison as <c>CryptographicOperations.FixedTimeEquals(a, b)</c> (byte arrays and
    /// spans) or <c>CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b))</c>
    /// (strings; both lower-cased first when the comparison ignored case), negated for <c>!=</c>. The usings for
    /// System.Security.Cryptography and System.Text are added when not in scope.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SignatureComparedInNonConstantTimeCodeFix)), Shared]
    public sealed class SignatureComparedInNonConstantTimeCodeFix : EditorCodeFix
    {
        private const string FixedTimeEquals = "global::System.Security.Cryptography.CryptographicOperations.FixedTimeEquals";
        private const string Utf8GetBytes = "global::System.Text.Encoding.UTF8.GetBytes";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SignatureComparedInNonConstantTime);

        protected override string GetTitle(Diagnostic diagnostic) => "Use CryptographicOperations.FixedTimeEquals";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.Properties.ContainsKey(SignatureComparedInNonConstantTimeAnalyzer.KindProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(SignatureComparedInNonConstantTimeAnalyzer.KindProperty, out var kind)
                || !properties.TryGetValue(SignatureComparedInNonConstantTimeAnalyzer.FormProperty, out var form))
            {
                return Task.CompletedTask;
            }

            var comparison = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (comparison is not (BinaryExpressionSyntax or InvocationExpressionSyntax))
            {
                return Task.CompletedTask;
            }

            var negate = properties.ContainsKey(SignatureComparedInNonConstantTimeAnalyzer.NegateProperty);
            var ignoreCase = properties.ContainsKey(SignatureComparedInNonConstantTimeAnalyzer.IgnoreCaseProperty);
            var isString = kind == SignatureComparedInNonConstantTimeAnalyzer.StringKind;

            editor.ReplaceNode(comparison, (current, _) =>
            {
                if (!TryGetOperands(current, form, out var left, out var right))
                {
                    return current;
                }

                var call = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression(FixedTimeEquals),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                    {
                        SyntaxFactory.Argument(Operand(left, isString, ignoreCase)),
                        SyntaxFactory.Argument(Operand(right, isString, ignoreCase)),
                    })));
                ExpressionSyntax result = negate
                    ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call)
                    : call;
                return result
                    .WithTriviaFrom(current)
                    .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);
            });
            return Task.CompletedTask;
        }

        private static bool TryGetOperands(SyntaxNode comparison, string? form, out ExpressionSyntax left, out ExpressionSyntax right)
        {
            left = right = null!;
            switch (comparison)
            {
                case BinaryExpressionSyntax binary when form == SignatureComparedInNonConstantTimeAnalyzer.FormBinary:
                    left = binary.Left;
                    right = binary.Right;
                    return true;
                case InvocationExpressionSyntax { ArgumentList.Arguments: { Count: >= 2 } arguments } when form == SignatureComparedInNonConstantTimeAnalyzer.FormArguments:
                    left = arguments[0].Expression;
                    right = arguments[1].Expression;
                    return true;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments: { Count: >= 1 } arguments }
                    when form == SignatureComparedInNonConstantTimeAnalyzer.FormReceiver:
                    left = access.Expression;
                    right = arguments[0].Expression;
                    return true;
                default:
                    return false;
            }
        }

        private static ExpressionSyntax Operand(ExpressionSyntax operand, bool isString, bool ignoreCase)
        {
            var value = operand.WithoutTrivia();
            if (!isString)
            {
                return value;
            }

            if (ignoreCase)
            {
                value = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        Parenthesize(value),
                        SyntaxFactory.IdentifierName("ToLowerInvariant")));
            }

            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression(Utf8GetBytes),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(value))));
        }

        private static ExpressionSyntax Parenthesize(ExpressionSyntax value) =>
            value is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
                ? value
                : SyntaxFactory.ParenthesizedExpression(value);
    }
}
