using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    internal enum QueryRootKind
    {
        /// <summary>The chain could not be followed to a data source (parameter, unknown call, half-typed code).</summary>
        Unknown,

        /// <summary>A DbSet&lt;T&gt; property or field of a DbContext.</summary>
        DbSet,

        /// <summary>DbContext.Set&lt;T&gt;().</summary>
        DbContextSet,

        /// <summary>An IQueryable-returning member of a DbContext.</summary>
        DbContextMember,

        /// <summary>An IQueryable parameter of the method: EF-ness depends on the caller.</summary>
        Parameter,

        /// <summary>
        /// The query of an entity's navigation, <c>db.Entry(e).Collection(x => x.Items).Query()</c> (explicit
        /// loading with filters).
        /// </summary>
        Navigation,
    }

    /// <summary>
    /// The operator chain of a query expression, from its data source outwards, across locals of the same function
    /// (<c>var q = db.Patients.Where(...); q = q.OrderBy(...);</c>) and through query-returning methods of the
    /// compilation.
    /// </summary>
    internal sealed class QueryChain
    {
        public QueryChain(
            QueryRootKind rootKind,
            IOperation? root,
            ITypeSymbol? entityType,
            ImmutableArray<IInvocationOperation> operators,
            ImmutableArray<IMethodSymbol> helpers,
            bool helpersApplyTake,
            bool helpersApplyOrder,
            IInvocationOperation? materializedBy)
        {
            RootKind = rootKind;
            Root = root;
            EntityType = entityType;
            Operators = operators;
            Helpers = helpers;
            HelpersApplyTake = helpersApplyTake;
            HelpersApplyOrder = helpersApplyOrder;
            MaterializedBy = materializedBy;
        }

        public QueryRootKind RootKind { get; }

        /// <summary>The DbSet reference, Set&lt;T&gt;() call or DbContext member the chain starts from.</summary>
        public IOperation? Root { get; }

        /// <summary>The entity type of the data source (T of DbSet&lt;T&gt;), when known.</summary>
        public ITypeSymbol? EntityType { get; }

        /// <summary>Operators in the order they apply, innermost (closest to the source) first.</summary>
        public ImmutableArray<IInvocationOperation> Operators { get; }

        /// <summary>Methods of the compilation the query passed through (paging helpers, repositories).</summary>
        public ImmutableArray<IMethodSymbol> Helpers { get; }

        /// <summary>A helper of the compilation applies Take to the query (a paging helper).</summary>
        public bool HelpersApplyTake { get; }

        public bool HelpersApplyOrder { get; }

        /// <summary>
        /// Set when the walk crossed a materializing call (ToList, ToArray, ...): operators after it run in memory,
        /// and the chain's database part ends there.
        /// </summary>
        public IInvocationOperation? MaterializedBy { get; }

        public bool IsEntityFramework => RootKind is QueryRootKind.DbSet or QueryRootKind.DbContextSet or QueryRootKind.DbContextMember or QueryRootKind.Navigation;

        public bool Contains(string operatorName)
        {
            foreach (var op in Operators)
            {
                if (op.TargetMethod.Name == operatorName)
                {
                    return true;
                }
            }

            return false;
        }

        public bool ContainsAny(Func<string, bool> predicate)
        {
            foreach (var op in Operators)
            {
                if (predicate(op.TargetMethod.Name))
                {
                    return true;
                }
            }

            return false;
        }

        public bool HasOrdering => HelpersApplyOrder || ContainsAny(n => n is "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Order" or "OrderDescending");

        public bool HasTake => HelpersApplyTake || ContainsAny(n => n is "Take" or "TakeLast" or "TakeWhile");
    }
}
