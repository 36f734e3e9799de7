using System.Collections.Immutable;
using System.Composition;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3007: adds <c>.AsNoTracking()</c> to the query, right after its DbSet when the whole query is one expression
    /// (<c>db.Patients.AsNoTracking().Where(...).ToListAsync()</c>), else right before the materializing call, so that
    /// other queries built on the same local keep their tracking.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadOnlyQueryTrackedCodeFix)), Shared]
    public sealed class ReadOnlyQueryTrackedCodeFix : QueryCallInsertionFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ReadOnlyQueryTracked);

        protected override string Operator => "AsNoTracking";
    }
}
