using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Infrastructure
{
    /// <summary>
    /// A fix that adds one parameterless EF Core operator to a query chain (<c>.AsNoTracking()</c>,
    /// <c>.AsSplitQuery()</c>) after the expression the analyzer gives as the diagnostic's first additional location,
    /// and the <c>Microsoft.EntityFrameworkCore</c> using when the operator is not in scope.
    /// </summary>
    public abstract class QueryCallInsertionFix : EditorCodeFix
    {
        /// <summary>The operator to add, e.g. "AsNoTracking".</summary>
        protected abstract string Operator { get; }

        protected override string GetTitle(Diagnostic diagnostic) => $"Add {Operator}()";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.AdditionalLocations.Count > 0;

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.AdditionalLocations.Count == 0)
            {
                return Task.CompletedTask;
            }

            var span = diagnostic.AdditionalLocations[0].SourceSpan;
            if (QueryChainEdits.InsertCallAfter(editor, span, Operator))
            {
                QueryChainEdits.EnsureEntityFrameworkUsing(editor, span, Operator, cancellationToken);
            }

            return Task.CompletedTask;
        }
    }
}
