using System.Collections.Immutable;
using System.Composition;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3006: adds <c>.AsSplitQuery()</c> right before the call that runs the query, so each Included collection is
    /// loaded with a statement of its own: <c>db.Patients.Include(a).Include(b).AsSplitQuery().ToListAsync()</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CollectionIncludesWithoutSplitQueryCodeFix)), Shared]
    public sealed class CollectionIncludesWithoutSplitQueryCodeFix : QueryCallInsertionFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CollectionIncludesWithoutSplitQuery);

        protected override string Operator => "AsSplitQuery";
    }
}
