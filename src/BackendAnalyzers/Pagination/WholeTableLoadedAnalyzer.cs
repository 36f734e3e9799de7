using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Pagination
{
    /// <summary>
    /// BA4003: a whole table materialized outside endpoints: ToList/ToArray/ToHashSet/ToDictionary (and their Async
    /// forms) on a DbSet, or on a query with no filter or limit. Endpoints are BA4001's business.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class WholeTableLoadedAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.WholeTableLoaded,
            title: "Whole table loaded",
            messageFormat: "'{0}' loads every '{1}' row into memory; filter or page the query, or stream it with AsAsyncEnumerable",
            RuleCategories.Pagination,
            DiagnosticSeverity.Info,
            description: "Materializing a table without a filter or a limit loads every row into memory; the cost grows with the table. Filter, page, or stream the rows. Tables that are small by design can be listed in backend_analyzers.small_tables.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasEntityFramework)
                {
                    return;
                }

                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                var endpoints = new EndpointModel(types);
                start.RegisterOperationAction(c => Analyze(c, queries, endpoints), OperationKind.Invocation);
            });
        }

        private static bool IsWholeTableMaterializer(string name) => name switch
        {
            "ToList" or "ToListAsync" or "ToArray" or "ToArrayAsync" or "ToHashSet" or "ToHashSetAsync" or "ToDictionary" or "ToDictionaryAsync" => true,
            _ => false,
        };

        /// <summary>Operators that filter or limit the rows (or hand the SQL to the user): the table is not loaded whole.</summary>
        private static bool Narrows(string name) => name switch
        {
            "Where" or "Take" or "TakeWhile" or "TakeLast" or "Skip" or "SkipWhile" or "SkipLast" or "GroupBy" or "Distinct" or "DistinctBy"
                or "Join" or "GroupJoin" or "Intersect" or "Except" or "Chunk" or "FromSql" or "FromSqlRaw" or "FromSqlInterpolated" => true,
            _ => false,
        };

        private static void Analyze(OperationAnalysisContext context, QueryModel queries, EndpointModel endpoints)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!IsWholeTableMaterializer(method.Name) || invocation.GetReceiverOrThisArgument() is not { } source)
            {
                return;
            }

            var chain = queries.GetChain(source, context.CancellationToken);
            if (chain is null || !chain.IsEntityFramework || chain.MaterializedBy is not null || !chain.Helpers.IsDefaultOrEmpty
                || chain.ContainsAny(Narrows))
            {
                return;
            }

            var entity = chain.EntityType;
            var smallTables = AnalyzerOptionsReader.GetNameSet(context.Options, invocation.Syntax.SyntaxTree, RuleIds.WholeTableLoaded, OptionNames.SmallTables);
            if (entity is null || smallTables.Contains(entity.Name) || IsInEndpoint(invocation, context.ContainingSymbol, endpoints, context.CancellationToken))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), method.Name, entity.Name));
        }

        private static bool IsInEndpoint(IOperation operation, ISymbol containingSymbol, EndpointModel endpoints, System.Threading.CancellationToken cancellationToken)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    // A lambda passed to Map*/MapGet is a minimal API handler.
                    var parent = current.Parent;
                    while (parent is IConversionOperation or IDelegateCreationOperation or IArgumentOperation)
                    {
                        parent = parent.Parent;
                    }

                    if (parent is IInvocationOperation map && EndpointModel.IsMapMethodName(map.TargetMethod.Name)
                        && endpoints.GetMinimalApiEndpoint(map, cancellationToken) is not null)
                    {
                        return true;
                    }
                }
            }

            return containingSymbol is IMethodSymbol method && endpoints.IsEnabled && endpoints.IsControllerAction(method);
        }
    }
}
