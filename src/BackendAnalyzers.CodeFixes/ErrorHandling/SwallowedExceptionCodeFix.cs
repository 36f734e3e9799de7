using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2001: rethrows at the end of the catch block (<c>throw;</c>). A final <c>return;</c>, <c>return null;</c>,
    /// <c>continue;</c> or <c>break;</c> is replaced, since a statement after it would be unreachable.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedExceptionCodeFix)), Shared]
    public sealed class SwallowedExceptionCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ExceptionSwallowed);

        protected override string GetTitle(Diagnostic diagnostic) => "Rethrow the exception (throw;)";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => FindCatch(root, diagnostic) is not null;

        private static CatchClauseSyntax? FindCatch(SyntaxNode root, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End)
            {
                return null;
            }

            var clause = root.FindToken(span.Start).Parent?.AncestorsAndSelf().OfType<CatchClauseSyntax>().FirstOrDefault();
            return clause is not null && clause.CatchKeyword.SpanStart == span.Start && !clause.Block.IsMissing ? clause : null;
        }

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var clause = FindCatch(editor.OriginalRoot, diagnostic);
            if (clause is null)
            {
                return Task.CompletedTask;
            }

            var block = clause.Block;
            var text = block.SyntaxTree.GetText(cancellationToken);
            var oneLine = text.Lines.GetLineFromPosition(block.OpenBraceToken.SpanStart).LineNumber == text.Lines.GetLineFromPosition(block.CloseBraceToken.SpanStart).LineNumber;
            var rethrow = oneLine
                ? SyntaxFactory.ThrowStatement().WithTrailingTrivia(SyntaxFactory.Space)
                : FixSyntax.Statement("throw;", clause);
            var last = clause.Block.Statements.LastOrDefault();
            if (last is ContinueStatementSyntax or BreakStatementSyntax or ReturnStatementSyntax)
            {
                editor.ReplaceNode(last, (current, _) => rethrow.WithLeadingTrivia(current.GetLeadingTrivia()).WithTrailingTrivia(current.GetTrailingTrivia()));
            }
            else
            {
                editor.ReplaceNode(clause.Block, (current, _) => ((BlockSyntax)current).AddStatements(rethrow));
            }

            return Task.CompletedTask;
        }
    }
}
