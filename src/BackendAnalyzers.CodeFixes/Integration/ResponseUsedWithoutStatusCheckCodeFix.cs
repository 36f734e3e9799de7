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

namespace BackendAnalyzers.CodeFixes.Integration
{
    /// <summary>
    /// BA6004: inserts <c>response.EnsureSuccessStatusCode();</c> before the statement that reads the content, or,
    /// where there is no statement to put it before (or the response is not in a local), calls it inline:
    /// <c>(await client.GetAsync(url)).EnsureSuccessStatusCode().Content</c> (it returns the response).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResponseUsedWithoutStatusCheckCodeFix)), Shared]
    public sealed class ResponseUsedWithoutStatusCheckCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ResponseUsedWithoutStatusCheck);

        protected override string GetTitle(Diagnostic diagnostic) => "Call EnsureSuccessStatusCode() before reading the content";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.AdditionalLocations.Count > 0;

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = editor.OriginalRoot;
            if (diagnostic.AdditionalLocations.Count == 0
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not MemberAccessExpressionSyntax content)
            {
                return Task.CompletedTask;
            }

            var read = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Properties.TryGetValue(ResponseUsedWithoutStatusCheckAnalyzer.ResponseProperty, out var response) && response is { Length: > 0 }
                && TryInsertStatement(editor, read, response))
            {
                return Task.CompletedTask;
            }

            editor.ReplaceNode(content, (current, _) =>
            {
                var access = (MemberAccessExpressionSyntax)current;
                var check = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, access.Expression.WithoutTrivia(), SyntaxFactory.IdentifierName("EnsureSuccessStatusCode")));
                return access.WithExpression(check.WithTriviaFrom(access.Expression));
            });
            return Task.CompletedTask;
        }

        private static bool TryInsertStatement(DocumentEditor editor, SyntaxNode read, string response)
        {
            var statement = read.FirstAncestorOrSelf<StatementSyntax>();
            if (statement is null or LocalFunctionStatementSyntax)
            {
                return false;
            }

            var check = FixSyntax.Statement(response + ".EnsureSuccessStatusCode();", statement);
            switch (statement.Parent)
            {
                case BlockSyntax:
                case SwitchSectionSyntax:
                    editor.InsertBefore(statement, check);
                    return true;
                case GlobalStatementSyntax global:
                    editor.InsertBefore(global, SyntaxFactory.GlobalStatement(check));
                    return true;
                default:
                    return false;
            }
        }
    }
}
