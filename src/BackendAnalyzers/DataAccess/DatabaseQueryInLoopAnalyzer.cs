using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3001: a database round trip on every iteration of a loop (the N+1 problem), directly or through methods
    /// of the compilation the loop calls. The loop forms and the loops that repeat work on purpose are the
    /// <see cref="LoopWorkScanner"/>'s; this rule counts every round trip except SaveChanges (BA3003).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DatabaseQueryInLoopAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.QueryInsideLoop,
            title: "Database query inside a loop (N+1)",
            messageFormat: "{0} on every iteration of the loop; load what the loop needs with one query before it",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "A query executed once per item turns one request into N+1 database round trips. Load the rows for all items at once (Where(x => ids.Contains(x.Id)), a join, or Include) and look them up in memory.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                if (!queries.IsEnabled)
                {
                    return;
                }

                var scanner = new LoopWorkScanner(queries, QueryWork.Instance);
                start.RegisterOperationAction(scanner.AnalyzeLoop, OperationKind.Loop);
                start.RegisterOperationAction(scanner.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        /// <summary>Every round trip but SaveChanges, and foreach over a query nested in the loop.</summary>
        private sealed class QueryWork : LoopWorkRule
        {
            public static readonly QueryWork Instance = new QueryWork();

            public override DiagnosticDescriptor Descriptor => Rule;

            public override string? DescribeRoundTrip(RoundTrip trip) =>
                trip.Kind == RoundTripKind.SaveChanges ? null : $"'{trip.Name}' runs a database query"; // SaveChanges in a loop is BA3003's business

            public override string? DescribeEnumeration(RoundTrip enumeration) => $"'{enumeration.Name}' over a query runs it";

            public override string? DescribeCallee(string called, MethodQuerySummary summary) =>
                summary.RunsQuery ? DescribeCallPath(called, summary.Path) + ", which runs a query ('" + summary.RoundTripName + "')," : null;
        }
    }
}
