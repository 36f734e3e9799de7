using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Security
{
    /// <summary>BA5003: sets the validation flag (or RequireHttpsMetadata) back to <c>true</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenValidationDisabledCodeFix)), Shared]
    public sealed class TokenValidationDisabledCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.TokenValidationDisabled);

        protected override string GetTitle(Diagnostic diagnostic) => "Set the flag to true";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.Properties.ContainsKey(TokenValidationDisabledAnalyzer.SetTrueProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.ContainsKey(TokenValidationDisabledAnalyzer.SetTrueProperty)
                || editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AssignmentExpressionSyntax assignment)
            {
                return Task.CompletedTask;
            }

            editor.ReplaceNode(assignment.Right, (current, _) =>
                SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(current));
            return Task.CompletedTask;
        }
    }
}
