using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
    /// BA3011: <c>db.Patients.ToList()</c> becomes <c>await db.Patients.ToListAsync(cancellationToken)</c>, passing the
    /// token the analyzer found in scope (a CancellationToken parameter or local, an HttpContext's RequestAborted);
    /// <c>Find(id)</c> becomes <c>await FindAsync(new object[] { id }, cancellationToken)</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SynchronousQueryInAsyncMethodCodeFix)), Shared]
    public sealed class SynchronousQueryInAsyncMethodCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SynchronousQueryInAsyncMethod);

        protected override string GetTitle(Diagnostic diagnostic) => "Await the Async method";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.Properties.ContainsKey(SynchronousQueryInAsyncMethodAnalyzer.AsyncNameProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(SynchronousQueryInAsyncMethodAnalyzer.AsyncNameProperty, out var asyncName) || string.IsNullOrEmpty(asyncName))
            {
                return Task.CompletedTask;
            }

            var span = diagnostic.Location.SourceSpan;
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Span == span);
            if (invocation is null)
            {
                return Task.CompletedTask;
            }

            properties.TryGetValue(SynchronousQueryInAsyncMethodAnalyzer.TokenProperty, out var token);
            properties.TryGetValue(SynchronousQueryInAsyncMethodAnalyzer.TokenParameterProperty, out var tokenParameter);
            var wrapAt = properties.TryGetValue(SynchronousQueryInAsyncMethodAnalyzer.WrapParamsProperty, out var wrapText)
                && int.TryParse(wrapText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : -1;
            properties.TryGetValue(SynchronousQueryInAsyncMethodAnalyzer.WrapParamsTypeProperty, out var elementType);

            editor.ReplaceNode(invocation, (current, _) =>
            {
                var call = (InvocationExpressionSyntax)current;
                var renamed = Rename(call.Expression, asyncName!);
                if (renamed is null)
                {
                    return call;
                }

                var arguments = call.ArgumentList.Arguments;
                if (wrapAt >= 0 && wrapAt <= arguments.Count && !string.IsNullOrEmpty(elementType))
                {
                    // Find(a, b) -> FindAsync(new object[] { a, b }, ct)
                    var elements = arguments.Skip(wrapAt).Select(a => a.Expression.WithoutTrivia());
                    var array = SyntaxFactory.ArrayCreationExpression(
                        SyntaxFactory.ArrayType(
                            SyntaxFactory.ParseTypeName(elementType!),
                            SyntaxFactory.SingletonList(SyntaxFactory.ArrayRankSpecifier(SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.OmittedArraySizeExpression())))),
                        SyntaxFactory.InitializerExpression(SyntaxKind.ArrayInitializerExpression, SyntaxFactory.SeparatedList(elements)));
                    arguments = SyntaxFactory.SeparatedList(arguments.Take(wrapAt).Append(SyntaxFactory.Argument(array)));
                }

                if (!string.IsNullOrEmpty(token))
                {
                    var tokenArgument = SyntaxFactory.Argument(SyntaxFactory.ParseExpression(token!));
                    if (arguments.Any(a => a.NameColon is not null) && !string.IsNullOrEmpty(tokenParameter))
                    {
                        tokenArgument = tokenArgument.WithNameColon(SyntaxFactory.NameColon(tokenParameter!));
                    }

                    arguments = arguments.Add(tokenArgument);
                }

                var asyncCall = call.WithExpression(renamed).WithArgumentList(call.ArgumentList.WithArguments(arguments)).WithoutTrivia();
                return SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(asyncCall))
                    .WithAdditionalAnnotations(Simplifier.Annotation)
                    .WithTriviaFrom(call);
            });

            return Task.CompletedTask;
        }

        private static ExpressionSyntax? Rename(ExpressionSyntax expression, string name)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax member:
                    return member.WithName(Rename(member.Name, name));
                case SimpleNameSyntax simple:
                    return Rename(simple, name);
                default:
                    return null;
            }
        }

        private static SimpleNameSyntax Rename(SimpleNameSyntax simple, string name)
        {
            var identifier = SyntaxFactory.Identifier(simple.Identifier.LeadingTrivia, name, simple.Identifier.TrailingTrivia);
            return simple is GenericNameSyntax generic ? generic.WithIdentifier(identifier) : SyntaxFactory.IdentifierName(identifier);
        }
    }
}
