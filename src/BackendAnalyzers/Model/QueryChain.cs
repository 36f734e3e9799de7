using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
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

        /// <summary>
        /// The navigation paths the chain's Include and ThenInclude operators load, one per operator, in order:
        /// <c>Include(p =&gt; p.Appointments).ThenInclude(a =&gt; a.Doctor)</c> gives <c>Appointments</c> and
        /// <c>Appointments.Doctor</c>; <c>Include("Appointments.Doctor")</c> gives the path at once; a filtered include
        /// (<c>p =&gt; p.Appointments.Where(...).Take(5)</c>) counts as its navigation.
        /// </summary>
        public ImmutableArray<IncludedPath> GetIncludes()
        {
            var builder = ImmutableArray.CreateBuilder<IncludedPath>();
            var previous = ImmutableArray<IPropertySymbol?>.Empty;
            foreach (var op in Operators)
            {
                var name = op.TargetMethod.Name;
                if (name is not ("Include" or "ThenInclude"))
                {
                    continue;
                }

                var lambda = op.Arguments.Length > 1 ? EntityKeys.UnwrapLambda(op.Arguments[op.Arguments.Length - 1].Value) : null;
                ImmutableArray<IPropertySymbol?> path;
                if (lambda is not null)
                {
                    var members = IncludedPath.ReadMemberPath(lambda);
                    if (members.IsEmpty)
                    {
                        continue;
                    }

                    path = name == "ThenInclude" ? previous.AddRange(members) : members;
                }
                else if (name == "Include" && op.Arguments.Length > 1 && op.Arguments[op.Arguments.Length - 1].Value.ConstantValue is { HasValue: true, Value: string text }
                    && op.TargetMethod.TypeArguments.Length > 0)
                {
                    path = IncludedPath.ResolveNames(op.TargetMethod.TypeArguments[0], text);
                    if (path.IsEmpty)
                    {
                        continue;
                    }
                }
                else
                {
                    continue;
                }

                previous = path;
                builder.Add(new IncludedPath(op, path));
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>One Include or ThenInclude of a query: the navigation path it loads, from the query's entity.</summary>
    internal sealed class IncludedPath
    {
        public IncludedPath(IInvocationOperation op, ImmutableArray<IPropertySymbol?> navigations)
        {
            Operator = op;
            Navigations = navigations;
        }

        public IInvocationOperation Operator { get; }

        /// <summary>The navigations from the query's entity; an entry is null where a string path names a member that does not exist.</summary>
        public ImmutableArray<IPropertySymbol?> Navigations { get; }

        /// <summary>The navigation this operator adds (the last of the path).</summary>
        public IPropertySymbol? Last => Navigations.IsEmpty ? null : Navigations[Navigations.Length - 1];

        /// <summary>The path as EF Core writes it in a string Include: <c>Appointments.Doctor</c>.</summary>
        public string PathText
        {
            get
            {
                var names = new string[Navigations.Length];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = Navigations[i]?.Name ?? "?";
                }

                return string.Join(".", names);
            }
        }

        /// <summary><c>x =&gt; x.A.B</c>, <c>x =&gt; ((Derived)x).A</c>, <c>x =&gt; x.Items.Where(...).OrderBy(...)</c>: the properties, outermost first.</summary>
        internal static ImmutableArray<IPropertySymbol?> ReadMemberPath(IAnonymousFunctionOperation lambda)
        {
            IOperation? value = null;
            foreach (var operation in lambda.Body.DescendantsAndSelf())
            {
                if (operation is IReturnOperation { ReturnedValue: { } returned })
                {
                    value = returned;
                    break;
                }
            }

            var members = new List<IPropertySymbol?>();
            for (var guard = 0; value is not null && guard < 32; guard++)
            {
                value = value.WalkDownConversion();
                switch (value)
                {
                    case IPropertyReferenceOperation property:
                        members.Add(property.Property);
                        value = property.Instance;
                        continue;
                    case IInvocationOperation { TargetMethod.Name: "Where" or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Skip" or "Take" or "AsQueryable" } filter:
                        value = filter.GetReceiverOrThisArgument();
                        continue;
                    case IParameterReferenceOperation:
                        members.Reverse();
                        return members.ToImmutableArray();
                }

                break;
            }

            return ImmutableArray<IPropertySymbol?>.Empty;
        }

        /// <summary>Resolves <c>"A.B"</c> from <paramref name="entity"/>, through the element types of collections.</summary>
        internal static ImmutableArray<IPropertySymbol?> ResolveNames(ITypeSymbol entity, string path)
        {
            var builder = ImmutableArray.CreateBuilder<IPropertySymbol?>();
            ITypeSymbol? current = entity;
            foreach (var part in path.Split('.'))
            {
                var name = part.Trim();
                if (name.Length == 0)
                {
                    return ImmutableArray<IPropertySymbol?>.Empty;
                }

                IPropertySymbol? found = null;
                for (var type = current; type is not null && found is null; type = type.BaseType)
                {
                    foreach (var member in type.GetMembers(name))
                    {
                        if (member is IPropertySymbol { IsStatic: false } property)
                        {
                            found = property;
                            break;
                        }
                    }
                }

                builder.Add(found);
                current = found is null ? null : EfModel.CollectionElementType(found.Type) ?? found.Type;
            }

            return builder.ToImmutable();
        }
    }
}
