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
    /// BA3006: adds <c>.AsSplitQuery()</c> right before the call that runs the query, so each Included collection is
    /// loaded with a statement of its own: <c>db.Patients.Include(a).Include(b).AsSplitQuery().ToListAsync()</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CollectionIncludesWithoutSplitQueryCodeFix)), Shared]
    public sealed class CollectionIncludesWithoutSplitQueryCodeFix : CodeFixProvider
    {
        private const string Title = "Add AsSplitQuery()";
        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CollectionIncludesWithoutSplitQuery);

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
                    CodeAction.Create(Title, ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct), nameof(CollectionIncludesWithoutSplitQueryCodeFix)),
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
            if (QueryChainEdits.InsertCallAfter(editor, span, "AsSplitQuery"))
            {
                QueryChainEdits.EnsureEntityFrameworkUsing(editor, span, "AsSplitQuery", cancellationToken);
            }

            return Task.CompletedTask;
        }
    }
}
