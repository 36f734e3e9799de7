using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.Validation
{
    /// <summary>
    /// BA1004: adds a <c>CancellationToken cancellationToken</c> parameter to the action or minimal API lambda (last, or
    /// before the optional parameters) and passes it to every awaited call the analyzer listed: appended, by name when
    /// optional parameters are skipped, or as <c>FindAsync(new object[] { ... }, cancellationToken)</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EndpointWithoutCancellationTokenCodeFix)), Shared]
    public sealed class EndpointWithoutCancellationTokenCodeFix : CodeFixProvider
    {
        private const string Token = EndpointWithoutCancellationTokenAnalyzer.ParameterName;

        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.EndpointWithoutCancellationToken);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!IsFixable(diagnostic))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Accept a CancellationToken and pass it on",
                        ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct),
                        nameof(EndpointWithoutCancellationTokenCodeFix)),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static bool IsFixable(Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(EndpointWithoutCancellationTokenAnalyzer.FixableProperty, out var fixable) && fixable == "true"
            && diagnostic.AdditionalLocations.Count > 0;

        private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!IsFixable(diagnostic))
            {
                return Task.CompletedTask;
            }

            var root = editor.OriginalRoot;
            var handler = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
            var parameterList = handler switch
            {
                MethodDeclarationSyntax method => method.ParameterList,
                ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
                _ => null,
            };
            if (parameterList is null)
            {
                return Task.CompletedTask;
            }

            editor.ReplaceNode(parameterList, (current, _) => AddParameter((ParameterListSyntax)current));

            for (var i = 1; i < diagnostic.AdditionalLocations.Count; i++)
            {
                var key = EndpointWithoutCancellationTokenAnalyzer.CallPropertyPrefix + (i - 1).ToString(CultureInfo.InvariantCulture);
                if (!diagnostic.Properties.TryGetValue(key, out var pass) || pass is null)
                {
                    continue;
                }

                var call = root.FindNode(diagnostic.AdditionalLocations[i].SourceSpan, getInnermostNodeForTie: true);
                var argumentList = call switch
                {
                    InvocationExpressionSyntax invocation => invocation.ArgumentList,
                    BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
                    _ => call.FirstAncestorOrSelf<InvocationExpressionSyntax>()?.ArgumentList,
                };
                if (argumentList is null)
                {
                    continue;
                }

                editor.ReplaceNode(argumentList, (current, _) => PassToken((ArgumentListSyntax)current, pass));
            }

            return Task.CompletedTask;
        }

        private static ParameterListSyntax AddParameter(ParameterListSyntax list)
        {
            if (list.Parameters.Any(p => p.Identifier.ValueText == Token))
            {
                return list;
            }

            var type = SyntaxFactory.ParseTypeName("global::System.Threading.CancellationToken")
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(Token)).WithType(type.WithTrailingTrivia(SyntaxFactory.Space));

            // Before the first optional or params parameter, so the list stays valid.
            var nodes = list.Parameters.ToList();
            var index = nodes.FindIndex(p => p.Default is not null || p.Modifiers.Any(m => m.IsKind(SyntaxKind.ParamsKeyword)));
            if (index < 0)
            {
                index = nodes.Count;
            }

            return list.WithParameters(Insert(list.Parameters, index, parameter));
        }

        /// <summary>
        /// Inserts a node into a separated list the way the list is laid out: on its own line when the parameters are
        /// one per line (the neighbour's indentation and the separators' line breaks), else after ", ".
        /// </summary>
        internal static SeparatedSyntaxList<TNode> Insert<TNode>(SeparatedSyntaxList<TNode> list, int index, TNode node)
            where TNode : SyntaxNode
        {
            var nodes = list.ToList();
            var separators = list.GetSeparators().ToList();
            if (nodes.Count == 0)
            {
                return SyntaxFactory.SingletonSeparatedList(node);
            }

            var neighbour = index < nodes.Count ? nodes[index] : nodes[nodes.Count - 1];
            var separatorTrivia = separators.Count > 0
                ? separators[index > 0 && index - 1 < separators.Count ? index - 1 : 0].TrailingTrivia
                : SyntaxFactory.TriviaList(SyntaxFactory.Space);
            var multiLine = neighbour.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.WhitespaceTrivia)) && separatorTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            if (!multiLine)
            {
                separatorTrivia = SyntaxFactory.TriviaList(SyntaxFactory.Space);
            }

            var newSeparator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(separatorTrivia);
            if (index < nodes.Count)
            {
                // The new node takes the displaced node's place (and indentation); the separator follows it.
                node = node.WithLeadingTrivia(neighbour.GetLeadingTrivia());
                nodes[index] = nodes[index].WithLeadingTrivia(multiLine ? neighbour.GetLeadingTrivia() : default);
                nodes.Insert(index, node);
                separators.Insert(index, newSeparator);
            }
            else
            {
                // Appended: the last node keeps its trailing trivia (before the closing parenthesis) on the new one.
                var last = nodes[nodes.Count - 1];
                node = node.WithLeadingTrivia(multiLine ? last.GetLeadingTrivia() : default).WithTrailingTrivia(last.GetTrailingTrivia());
                nodes[nodes.Count - 1] = last.WithTrailingTrivia();
                nodes.Add(node);
                separators.Add(newSeparator);
            }

            return SyntaxFactory.SeparatedList(nodes, separators);
        }

        private static ArgumentListSyntax PassToken(ArgumentListSyntax list, string pass)
        {
            var token = SyntaxFactory.IdentifierName(Token);
            if (pass == EndpointWithoutCancellationTokenAnalyzer.PassWrap)
            {
                var keys = SyntaxFactory.ParseExpression("new object[] { " + string.Join(", ", list.Arguments.Select(a => a.Expression.WithoutTrivia().ToString())) + " }");
                return list.WithArguments(SyntaxFactory.SeparatedList(
                    new[] { SyntaxFactory.Argument(keys), SyntaxFactory.Argument(token) },
                    new[] { SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space) }));
            }

            var argument = SyntaxFactory.Argument(token);
            if (pass.StartsWith(EndpointWithoutCancellationTokenAnalyzer.PassNamedPrefix, System.StringComparison.Ordinal))
            {
                var name = pass.Substring(EndpointWithoutCancellationTokenAnalyzer.PassNamedPrefix.Length);
                argument = argument.WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(name)));
            }

            if (list.Arguments.Any(a => a.Expression is IdentifierNameSyntax { Identifier.ValueText: Token }))
            {
                return list;
            }

            return list.WithArguments(Insert(list.Arguments, list.Arguments.Count, argument));
        }
    }
}
