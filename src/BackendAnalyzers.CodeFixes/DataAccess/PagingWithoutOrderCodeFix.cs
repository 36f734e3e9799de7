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

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3005: orders the query by the entity's primary key right before the paging operator, or before the first
    /// projection when there is one: <c>db.Patients.Where(w).Skip(n)</c> becomes
    /// <c>db.Patients.Where(w).OrderBy(p =&gt; p.Id).Skip(n)</c>; a composite key adds ThenBy for each further part.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PagingWithoutOrderCodeFix)), Shared]
    public sealed class PagingWithoutOrderCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.PagingWithoutOrder);

        protected override string GetTitle(Diagnostic diagnostic) => "Order the query by its key";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(PagingWithoutOrderAnalyzer.KeyProperty, out var key) && !string.IsNullOrEmpty(key)
            && diagnostic.AdditionalLocations.Count > 0;

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(PagingWithoutOrderAnalyzer.KeyProperty, out var keyText) || string.IsNullOrEmpty(keyText)
                || diagnostic.AdditionalLocations.Count == 0)
            {
                return Task.CompletedTask;
            }

            var span = diagnostic.AdditionalLocations[0].SourceSpan;
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            var target = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Span == span);
            if (target?.Expression is not MemberAccessExpressionSyntax access)
            {
                return Task.CompletedTask;
            }

            var key = keyText!.Split(',');
            var parameter = ChooseParameterName(editor.SemanticModel, access, cancellationToken);
            editor.ReplaceNode(access, (current, _) =>
            {
                var member = (MemberAccessExpressionSyntax)current;
                if (member.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OrderBy" or "ThenBy" } })
                {
                    return member; // another fix of the same batch ordered this query already
                }

                // A chain written one operator per line (the line break trails the receiver, the indentation
                // leads the dot) gets the ordering on lines of its own.
                var lineBreak = member.Expression.GetTrailingTrivia();
                var indentation = member.OperatorToken.LeadingTrivia;
                var ordered = member.Expression.WithoutTrailingTrivia();
                for (var i = 0; i < key.Length; i++)
                {
                    ordered = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(
                            SyntaxKind.SimpleMemberAccessExpression,
                            ordered.WithTrailingTrivia(lineBreak),
                            SyntaxFactory.Token(indentation, SyntaxKind.DotToken, default),
                            SyntaxFactory.IdentifierName(i == 0 ? "OrderBy" : "ThenBy")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(KeySelector(parameter, key[i])))));
                }

                ordered = ordered.WithTrailingTrivia(lineBreak);
                return member.WithExpression(ordered);
            });
            return Task.CompletedTask;
        }

        private static SimpleLambdaExpressionSyntax KeySelector(string parameter, string property) =>
            SyntaxFactory.SimpleLambdaExpression(
                SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameter)),
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(parameter), SyntaxFactory.IdentifierName(property)))
            .NormalizeWhitespace();

        /// <summary>The first letter of the element type (p for Patient), else x, e, item: a name nothing in scope uses.</summary>
        private static string ChooseParameterName(SemanticModel model, MemberAccessExpressionSyntax access, CancellationToken cancellationToken)
        {
            var candidates = new System.Collections.Generic.List<string>();
            if (model.GetTypeInfo(access.Expression, cancellationToken).Type is INamedTypeSymbol { TypeArguments.Length: > 0 } queryType
                && queryType.TypeArguments[0].Name is { Length: > 0 } elementName && char.IsLetter(elementName[0]))
            {
                candidates.Add(char.ToLowerInvariant(elementName[0]).ToString());
            }

            candidates.AddRange(new[] { "x", "e", "item", "row" });
            foreach (var candidate in candidates)
            {
                if (model.LookupSymbols(access.SpanStart, name: candidate).IsEmpty && SyntaxFacts.GetKeywordKind(candidate) == SyntaxKind.None)
                {
                    return candidate;
                }
            }

            return "row" + access.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
