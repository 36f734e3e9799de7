using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.Infrastructure
{
    /// <summary>
    /// A FixAll that applies every diagnostic of a document to one <see cref="DocumentEditor"/>, for fixes whose
    /// edits may touch the same node (two insertions before one statement, a fix inside a lambda that another fix
    /// rewrites). Each fix must edit through the editor with the callback forms of ReplaceNode, so that edits of
    /// nested nodes compose; the single-diagnostic code action uses the same delegate. Using directives for names
    /// annotated with <see cref="Simplifier.AddImportsAnnotation"/> are added at the end.
    /// </summary>
    internal static class EditorFixAllProvider
    {
        public delegate Task ApplyFix(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken);

        public static FixAllProvider Create(ApplyFix apply) =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                if (diagnostics.IsDefaultOrEmpty)
                {
                    return document;
                }

                var editor = await DocumentEditor.CreateAsync(document, context.CancellationToken).ConfigureAwait(false);
                foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
                {
                    await apply(editor, diagnostic, context.CancellationToken).ConfigureAwait(false);
                }

                return await AddImportsAsync(editor.GetChangedDocument(), context.CancellationToken).ConfigureAwait(false);
            });

        /// <summary>Runs one fix on its own editor: what a single code action does.</summary>
        public static async Task<Document> ApplyOneAsync(Document document, Diagnostic diagnostic, ApplyFix apply, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            await apply(editor, diagnostic, cancellationToken).ConfigureAwait(false);
            return await AddImportsAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Adds using directives for the fully qualified names the fix annotated with
        /// <see cref="Simplifier.AddImportsAnnotation"/>; the code action's clean-up then simplifies them.
        /// </summary>
        private static Task<Document> AddImportsAsync(Document document, CancellationToken cancellationToken) =>
            ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);
    }
}
