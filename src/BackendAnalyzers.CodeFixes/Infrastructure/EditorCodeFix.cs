using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Infrastructure
{
    /// <summary>
    /// A code fix whose edits go through a <see cref="DocumentEditor"/>: one code action per fixable diagnostic, and a
    /// Fix All (<see cref="EditorFixAllProvider"/>) that applies every diagnostic of a document to one editor. A fix
    /// says which diagnostics it fixes (<see cref="CodeFixProvider.FixableDiagnosticIds"/>), which of them it can fix
    /// (<see cref="CanFixAsync"/> or <see cref="CanFix"/>), the action's title (<see cref="GetTitle"/>), and how it
    /// edits (<see cref="ApplyAsync"/>); the single action and Fix All both run <see cref="ApplyAsync"/>.
    /// </summary>
    public abstract class EditorCodeFix : CodeFixProvider
    {
        private readonly FixAllProvider fixAll;

        protected EditorCodeFix()
        {
            fixAll = EditorFixAllProvider.Create(ApplyAsync);
        }

        public sealed override FixAllProvider GetFixAllProvider() => fixAll;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var document = context.Document;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!await CanFixAsync(document, diagnostic, context.CancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        GetTitle(diagnostic),
                        ct => EditorFixAllProvider.ApplyOneAsync(document, diagnostic, ApplyAsync, ct),
                        GetEquivalenceKey(diagnostic)),
                    diagnostic);
            }
        }

        /// <summary>The code action's title for a diagnostic this fix can fix.</summary>
        protected abstract string GetTitle(Diagnostic diagnostic);

        /// <summary>
        /// The code action's equivalence key: the fix's type name, unless a fix offers different kinds of action
        /// for its diagnostics.
        /// </summary>
        protected virtual string GetEquivalenceKey(Diagnostic diagnostic) => GetType().Name;

        /// <summary>
        /// Whether a fix is offered for <paramref name="diagnostic"/>. Override when the answer needs the semantic
        /// model or other documents; the default asks <see cref="CanFix"/> with the document's syntax root.
        /// </summary>
        protected virtual async Task<bool> CanFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            return root is not null && CanFix(root, diagnostic);
        }

        /// <summary>Whether a fix is offered for <paramref name="diagnostic"/>, from the syntax alone. Every diagnostic by default.</summary>
        protected virtual bool CanFix(SyntaxNode root, Diagnostic diagnostic) => true;

        /// <summary>
        /// Fixes one diagnostic by editing through <paramref name="editor"/>, with the callback forms of ReplaceNode
        /// so that the edits of several diagnostics in one document compose (Fix All shares the editor).
        /// </summary>
        protected abstract Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken);
    }
}
