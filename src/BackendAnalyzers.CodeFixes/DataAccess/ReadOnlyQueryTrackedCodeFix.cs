using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3007: adds <c>.AsNoTracking()</c> to the query, right after its DbSet when the whole query is one expression
    /// (<c>db.Patients.AsNoTracking().Where(...).ToListAsync()</c>), else right before the materializing call, so that
    /// other queries built on the same local keep their tracking.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadOnlyQueryTrackedCodeFix)), Shared]
    public sealed class ReadOnlyQueryTrackedCodeFix : CodeFixProvider
    {
        private const string Title = "Add AsNoTracking()";
        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ReadOnlyQueryTracked);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (diagnostic.AdditionalLocations.Count == 0)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct), nameof(ReadOnlyQueryTrackedCodeFix)),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.AdditionalLocations.Count == 0)
            {
                return Task.CompletedTask;
            }

            var span = diagnostic.AdditionalLocations[0].SourceSpan;
            if (QueryChainEdits.InsertCallAfter(editor, span, "AsNoTracking"))
            {
                QueryChainEdits.EnsureEntityFrameworkUsing(editor, span, "AsNoTracking", cancellationToken);
            }

            return Task.CompletedTask;
        }
    }
}
