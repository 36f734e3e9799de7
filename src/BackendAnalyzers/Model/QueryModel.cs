using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    internal enum RoundTripKind
    {
        /// <summary>An EF Core query executed by a materializing or aggregating operator.</summary>
        EfQuery,

        /// <summary>DbSet.Find/FindAsync or DbContext.Find/FindAsync.</summary>
        EfFind,

        /// <summary>Explicit loading: Entry(e).Collection(...).Load(), Reference(...).LoadAsync(), Reload.</summary>
        EfLoad,

        /// <summary>ExecuteUpdate/ExecuteDelete.</summary>
        EfBulk,

        /// <summary>SaveChanges/SaveChangesAsync.</summary>
        SaveChanges,

        /// <summary>Database.ExecuteSql*/SqlQuery*.</summary>
        EfRawSql,

        /// <summary>A Dapper Query*/Execute* call.</summary>
        Dapper,

        /// <summary>DbCommand.ExecuteReader/NonQuery/Scalar and DbDataAdapter.Fill.</summary>
        AdoNet,

        /// <summary>foreach / await foreach directly over an EF query.</summary>
        Enumeration,
    }

    internal sealed class RoundTrip
    {
        public RoundTrip(RoundTripKind kind, string name, IOperation operation)
        {
            Kind = kind;
            Name = name;
            Operation = operation;
        }

        public RoundTripKind Kind { get; }

        /// <summary>The method that goes to the database, as messages show it ("FirstOrDefaultAsync").</summary>
        public string Name { get; }

        public IOperation Operation { get; }
    }

    /// <summary>What a method of the compilation does to the database, directly or through the methods it calls.</summary>
    internal sealed class MethodQuerySummary
    {
        public static readonly MethodQuerySummary None = new MethodQuerySummary(null, ImmutableArray<IMethodSymbol>.Empty, null, ImmutableArray<IMethodSymbol>.Empty);

        public MethodQuerySummary(string? roundTripName, ImmutableArray<IMethodSymbol> path, string? saveName, ImmutableArray<IMethodSymbol> savePath)
        {
            RoundTripName = roundTripName;
            Path = path;
            SaveName = saveName;
            SavePath = savePath;
        }

        /// <summary>The first database round trip (other than SaveChanges) the method performs, by name; null when none.</summary>
        public string? RoundTripName { get; }

        /// <summary>The methods between this one and the round trip, nearest first (empty when it is in the method itself).</summary>
        public ImmutableArray<IMethodSymbol> Path { get; }

        /// <summary>The method (or one it calls) calls SaveChanges/SaveChangesAsync.</summary>
        public bool Saves => SaveName is not null;

        /// <summary>The save the method makes ("SaveChangesAsync"), through the shortest path; null when it does not save.</summary>
        public string? SaveName { get; }

        /// <summary>The methods between this one and the save, nearest first (empty when it saves itself).</summary>
        public ImmutableArray<IMethodSymbol> SavePath { get; }

        public bool RunsQuery => RoundTripName is not null;
    }

    /// <summary>
    /// Knows which expressions are database round trips (EF Core, Dapper, ADO.NET), the operator chain of an EF
    /// query, and which methods of the compilation perform queries (transitively, through helpers, other classes,
    /// and interface or abstract methods with a single implementation in the compilation). One instance per
    /// compilation; summaries are computed on demand, once, and are safe to ask for from concurrent actions.
    /// </summary>
    internal sealed class QueryModel
    {
        /// <summary>How many calls deep the interprocedural summaries follow.</summary>
        public const int MaxCallDepth = 6;

        private readonly KnownTypes _types;
        private readonly FunctionBodies _bodies;
        private readonly ConcurrentDictionary<IMethodSymbol, MethodQuerySummary> _summaries = new ConcurrentDictionary<IMethodSymbol, MethodQuerySummary>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> _facts = new ConcurrentDictionary<IMethodSymbol, MethodFacts>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> _implementations = new ConcurrentDictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, (bool Take, bool Order)> _helperEffects = new ConcurrentDictionary<IMethodSymbol, (bool, bool)>(SymbolEqualityComparer.Default);
        private readonly Lazy<Dictionary<string, List<TypeDeclarationSyntax>>> _declarationsByBaseName;
        private readonly ConcurrentDictionary<INamedTypeSymbol, List<INamedTypeSymbol>> _concreteTypes = new ConcurrentDictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _contextAbstractions = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);

        public QueryModel(KnownTypes types, FunctionBodies bodies)
        {
            _types = types;
            _bodies = bodies;
            _declarationsByBaseName = new Lazy<Dictionary<string, List<TypeDeclarationSyntax>>>(IndexDeclarationsByBaseName, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public KnownTypes Types => _types;

        public FunctionBodies Bodies => _bodies;

        /// <summary>False when the compilation references no data-access library the rules know.</summary>
        public bool IsEnabled => _types.DbContext is not null || _types.DapperSqlMapper is not null || _types.DbCommand is not null;

        /// <summary>Names of EF/LINQ operators that execute a query and return its result (sync and Async forms).</summary>
        public static bool IsExecutingOperatorName(string name)
        {
            var baseName = name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
            switch (baseName)
            {
                case "ToList":
                case "ToArray":
                case "ToDictionary":
                case "ToHashSet":
                case "ToLookup":
                case "First":
                case "FirstOrDefault":
                case "Single":
                case "SingleOrDefault":
                case "Last":
                case "LastOrDefault":
                case "Any":
                case "All":
                case "Count":
                case "LongCount":
                case "Sum":
                case "Min":
                case "Max":
                case "MinBy":
                case "MaxBy":
                case "Average":
                case "ElementAt":
                case "ElementAtOrDefault":
                case "Contains":
                case "Aggregate":
                case "SequenceEqual":
                case "ForEach":
                case "Load":
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Operators that turn a query into an in-memory collection (the end of the database part of a chain).</summary>
        public static bool IsMaterializerName(string name) => name switch
        {
            "ToList" or "ToListAsync" or "ToArray" or "ToArrayAsync" or "ToHashSet" or "ToHashSetAsync"
                or "ToDictionary" or "ToDictionaryAsync" or "ToLookup" or "AsEnumerable" or "AsAsyncEnumerable" => true,
            _ => false,
        };

        private bool IsLinqOrEfOperatorType(INamedTypeSymbol? type)
        {
            if (type is null)
            {
                return false;
            }

            return type.IsSame(_types.Queryable) || type.IsSame(_types.Enumerable) || type.IsSame(_types.EntityFrameworkQueryableExtensions)
                || type.IsSame(_types.RelationalQueryableExtensions)
                || type.Name == "AsyncEnumerable" && type.ContainingNamespace?.ToDisplayString() == "System.Linq";
        }

        public bool IsQueryableType(ITypeSymbol? type) =>
            type is not null && (type.IsOrImplements(_types.IQueryableOfT) || type.IsOrImplements(_types.IQueryable));

        public bool IsDbContext(ITypeSymbol? type) => type.InheritsFromOrEquals(_types.DbContext);

        /// <summary>
        /// An interface that stands for a DbContext (<c>IApplicationDbContext</c>): it exposes DbSet&lt;T&gt;
        /// properties, itself or through the interfaces it extends. Its SaveChanges is the context's.
        /// </summary>
        public bool IsDbContextAbstraction(ITypeSymbol? type)
        {
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } named || _types.DbSetOfT is null)
            {
                return false;
            }

            return _contextAbstractions.GetOrAdd(named.OriginalDefinition, candidate =>
            {
                foreach (var declaring in candidate.AllInterfaces.Add(candidate))
                {
                    foreach (var member in declaring.GetMembers())
                    {
                        if (member is IPropertySymbol { Type: INamedTypeSymbol propertyType } && propertyType.OriginalDefinition.IsSame(_types.DbSetOfT))
                        {
                            return true;
                        }
                    }
                }

                return false;
            });
        }

        /// <summary>True when the expression is (or is a chain over) an EF Core DbSet, Set&lt;T&gt;() or DbContext query member.</summary>
        public bool IsEfQuery(IOperation expression, CancellationToken cancellationToken)
        {
            var chain = GetChain(expression, cancellationToken);
            return chain is not null && chain.IsEntityFramework && chain.MaterializedBy is null;
        }

        /// <summary>
        /// Follows a query expression back to its data source. Returns null when the expression is not a query
        /// (no IQueryable/DbSet anywhere on the way).
        /// </summary>
        public QueryChain? GetChain(IOperation expression, CancellationToken cancellationToken) =>
            GetChain(expression, stopAtMaterializer: true, 0, cancellationToken);

        /// <summary>Like <see cref="GetChain(IOperation, CancellationToken)"/>, but walks through materializers too (ToList().Where(...)).</summary>
        public QueryChain? GetChainThroughMaterializers(IOperation expression, CancellationToken cancellationToken) =>
            GetChain(expression, stopAtMaterializer: false, 0, cancellationToken);

        private QueryChain? GetChain(IOperation expression, bool stopAtMaterializer, int depth, CancellationToken cancellationToken)
        {
            var operators = new List<IInvocationOperation>();
            var helpers = ImmutableArray.CreateBuilder<IMethodSymbol>();
            var helpersTake = false;
            var helpersOrder = false;
            IInvocationOperation? materializedBy = null;
            var visitedLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var current = expression.WalkDownConversionAndAwait();
            var sawQuery = false;

            for (var guard = 0; guard < 256; guard++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (current)
                {
                    case IInvocationOperation invocation:
                    {
                        var method = invocation.TargetMethod;
                        if (IsLinqOrEfOperatorType(method.ContainingType) && invocation.GetReceiverOrThisArgument() is { } source)
                        {
                            if (method.Name is "AsEnumerable" or "AsAsyncEnumerable" or "AsQueryable")
                            {
                                // Pass-through: the query still runs in one piece when the result is enumerated.
                            }
                            else if (IsMaterializerName(method.Name) || IsExecutingOperatorName(method.Name) && !IsQueryableType(method.ReturnType))
                            {
                                if (stopAtMaterializer)
                                {
                                    // The expression is an in-memory result, not a query.
                                    return null;
                                }

                                materializedBy = invocation; // the last one seen is the one nearest the database
                            }
                            else
                            {
                                operators.Add(invocation);
                            }

                            sawQuery |= IsQueryableType(method.ReturnType) || IsQueryableType(source.Type);
                            current = source.WalkDownConversionAndAwait();
                            continue;
                        }

                        if (method.Name is "AsAsyncEnumerable" or "AsQueryable" && invocation.Instance is { } set
                            && method.ContainingType.OriginalDefinition.InheritsFromOrEquals(_types.DbSetOfT))
                        {
                            // DbSet<T>.AsAsyncEnumerable() / AsQueryable() are instance methods: the set itself, still a query.
                            current = set.WalkDownConversionAndAwait();
                            continue;
                        }

                        if (method.Name == "Set" && method.IsGenericMethod && IsDbContext(method.ContainingType))
                        {
                            return Build(QueryRootKind.DbContextSet, invocation, method.TypeArguments[0]);
                        }

                        if (method.Name == "Query" && method.ContainingType.InheritsFromOrEquals(_types.NavigationEntry) && IsQueryableType(method.ReturnType))
                        {
                            return Build(QueryRootKind.Navigation, invocation, ElementType(method.ReturnType));
                        }

                        if (invocation.Instance is { } instance && IsDbContext(instance.Type) && IsQueryableType(method.ReturnType) && method.IsInSource())
                        {
                            return Build(QueryRootKind.DbContextMember, invocation, ElementType(method.ReturnType));
                        }

                        // A method of the compilation: a helper over the query (query.Paginate(...)) or a repository
                        // method that returns one (repo.Query().Where(...)).
                        if (method.IsInSource() && depth < 3)
                        {
                            var helperSource = method.IsExtensionMethod || method.IsStatic ? invocation.GetArgument(0) : null;
                            if (helperSource is not null && IsQueryableType(helperSource.Type))
                            {
                                var effects = GetHelperEffects(method, cancellationToken);
                                helpers.Add(method);
                                helpersTake |= effects.Take;
                                helpersOrder |= effects.Order;
                                sawQuery = true;
                                current = helperSource.WalkDownConversionAndAwait();
                                continue;
                            }

                            if (IsQueryableType(method.ReturnType) || IsQueryableType(method.ReturnType.UnwrapTask(_types)))
                            {
                                var inner = GetReturnedChain(method, stopAtMaterializer, depth + 1, cancellationToken);
                                if (inner is null)
                                {
                                    return null;
                                }

                                helpers.Add(method);
                                helpers.AddRange(inner.Helpers);
                                var combined = new List<IInvocationOperation>(inner.Operators);
                                operators.Reverse();
                                combined.AddRange(operators);
                                return new QueryChain(inner.RootKind, inner.Root, inner.EntityType, combined.ToImmutableArray(), helpers.ToImmutable(),
                                    helpersTake || inner.HelpersApplyTake, helpersOrder || inner.HelpersApplyOrder, materializedBy ?? inner.MaterializedBy);
                            }
                        }

                        return sawQuery ? Build(QueryRootKind.Unknown, invocation, null) : null;
                    }

                    case IPropertyReferenceOperation property:
                        if (property.Type is INamedTypeSymbol propertyType && propertyType.OriginalDefinition.IsSame(_types.DbSetOfT))
                        {
                            return Build(QueryRootKind.DbSet, property, propertyType.TypeArguments[0]);
                        }

                        if (property.Instance is { } owner && IsDbContext(owner.Type) && IsQueryableType(property.Type))
                        {
                            return Build(QueryRootKind.DbContextMember, property, ElementType(property.Type));
                        }

                        return sawQuery ? Build(QueryRootKind.Unknown, property, null) : null;

                    case IFieldReferenceOperation field when field.Type is INamedTypeSymbol fieldType && fieldType.OriginalDefinition.IsSame(_types.DbSetOfT):
                        return Build(QueryRootKind.DbSet, field, fieldType.TypeArguments[0]);

                    case ILocalReferenceOperation localReference when visitedLocals.Add(localReference.Local):
                    {
                        var value = FindLocalValue(localReference, operators, cancellationToken);
                        if (value is null)
                        {
                            return sawQuery || IsQueryableType(localReference.Type) ? Build(QueryRootKind.Unknown, localReference, null) : null;
                        }

                        current = value.WalkDownConversionAndAwait();
                        continue;
                    }

                    case ITranslatedQueryOperation translated:
                        // Query syntax (from p in db.Patients where ... select p) stands for the operator calls it wraps.
                        current = translated.Operation.WalkDownConversionAndAwait();
                        continue;

                    case IParameterReferenceOperation parameter when IsQueryableType(parameter.Type):
                        return Build(QueryRootKind.Parameter, parameter, ElementType(parameter.Type));

                    default:
                        return sawQuery ? Build(QueryRootKind.Unknown, current, null) : null;
                }
            }

            return null;

            QueryChain Build(QueryRootKind kind, IOperation root, ITypeSymbol? entityType)
            {
                operators.Reverse();
                return new QueryChain(kind, root, entityType, operators.ToImmutableArray(), helpers.ToImmutable(), helpersTake, helpersOrder, materializedBy);
            }
        }

        private ITypeSymbol? ElementType(ITypeSymbol? type) =>
            type.UnwrapTask(_types).GetGenericInterfaceArgument(_types.IQueryableOfT) ?? type.GetGenericInterfaceArgument(_types.IEnumerableOfT);

        /// <summary>
        /// The value a query local starts from (its initializer, else its first assignment before the use), plus the
        /// operators of self-assignments (<c>q = q.Where(...)</c>) made before the use, which are added to
        /// <paramref name="operators"/> (outermost first, like the rest of the walk).
        /// </summary>
        private static IOperation? FindLocalValue(ILocalReferenceOperation reference, List<IInvocationOperation> operators, CancellationToken cancellationToken)
        {
            var local = reference.Local;
            var function = reference.GetEnclosingFunction();
            if (function is null)
            {
                return null;
            }

            var position = reference.Syntax.SpanStart;
            IOperation? initializer = null;
            IOperation? firstAssigned = null;
            var firstAssignedAt = int.MaxValue;
            var selfAssignments = new List<ISimpleAssignmentOperation>();
            foreach (var operation in function.DescendantsInSameFunction())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(local):
                        initializer = declarator.Initializer?.Value;
                        break;
                    case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && target.Local.IsSame(local)
                        && assignment.Syntax.Span.End <= position:
                        if (ReferencesLocal(assignment.Value, local))
                        {
                            selfAssignments.Add(assignment);
                        }
                        else if (assignment.Syntax.SpanStart < firstAssignedAt)
                        {
                            firstAssigned = assignment.Value;
                            firstAssignedAt = assignment.Syntax.SpanStart;
                        }

                        break;
                }
            }

            // q = q.Where(...).OrderBy(...): collect the operators applied on the way back to q, latest assignment first.
            selfAssignments.Sort((a, b) => b.Syntax.SpanStart.CompareTo(a.Syntax.SpanStart));
            foreach (var assignment in selfAssignments)
            {
                var value = assignment.Value.WalkDownConversionAndAwait();
                while (value is IInvocationOperation invocation && invocation.GetReceiverOrThisArgument() is { } receiver)
                {
                    operators.Add(invocation);
                    value = receiver.WalkDownConversionAndAwait();
                }
            }

            return initializer ?? firstAssigned;
        }

        private static bool ReferencesLocal(IOperation operation, ILocalSymbol local)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is ILocalReferenceOperation reference && reference.Local.IsSame(local))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The chain a query-returning method of the compilation returns (first return that is a query).</summary>
        private QueryChain? GetReturnedChain(IMethodSymbol method, bool stopAtMaterializer, int depth, CancellationToken cancellationToken)
        {
            var target = ResolveImplementation(method) ?? method;
            var body = _bodies.GetBody(target, cancellationToken);
            if (body is null)
            {
                return null;
            }

            foreach (var ret in body.GetOwnReturns())
            {
                var chain = GetChain(ret.ReturnedValue!, stopAtMaterializer, depth, cancellationToken);
                if (chain is not null)
                {
                    return chain;
                }
            }

            return null;
        }

        /// <summary>Does a helper that takes a query apply Take (paging) or an ordering to it?</summary>
        public (bool Take, bool Order) GetHelperEffects(IMethodSymbol helper, CancellationToken cancellationToken)
        {
            return _helperEffects.GetOrAdd(helper, m =>
            {
                var body = _bodies.GetBody(m, cancellationToken);
                if (body is null)
                {
                    return (false, false);
                }

                bool take = false, order = false;
                foreach (var operation in body.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation invocation && IsLinqOrEfOperatorType(invocation.TargetMethod.ContainingType))
                    {
                        switch (invocation.TargetMethod.Name)
                        {
                            case "Take":
                                take = true;
                                break;
                            case "OrderBy":
                            case "OrderByDescending":
                                order = true;
                                break;
                        }
                    }
                }

                return (take, order);
            });
        }

        /// <summary>
        /// Classifies an invocation as a database round trip. SaveChanges is reported as such; callers decide
        /// whether they care.
        /// </summary>
        public RoundTrip? GetRoundTrip(IInvocationOperation invocation, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod;
            var name = method.Name;
            var containingType = method.ContainingType;
            if (containingType is null)
            {
                return null;
            }

            // Dapper: every Query*/Execute* extension goes to the database.
            if (_types.DapperSqlMapper is not null && containingType.IsSame(_types.DapperSqlMapper))
            {
                return name.StartsWith("Query", StringComparison.Ordinal) || name.StartsWith("Execute", StringComparison.Ordinal)
                    ? new RoundTrip(RoundTripKind.Dapper, name, invocation)
                    : null;
            }

            // ADO.NET
            if (name.StartsWith("Execute", StringComparison.Ordinal)
                && name is "ExecuteReader" or "ExecuteReaderAsync" or "ExecuteNonQuery" or "ExecuteNonQueryAsync" or "ExecuteScalar" or "ExecuteScalarAsync"
                && (containingType.InheritsFromOrEquals(_types.DbCommand) || containingType.IsOrImplements(_types.IDbCommand)))
            {
                return new RoundTrip(RoundTripKind.AdoNet, name, invocation);
            }

            if (name == "Fill" && containingType.InheritsFromOrEquals(_types.DbDataAdapter))
            {
                return new RoundTrip(RoundTripKind.AdoNet, name, invocation);
            }

            if (_types.DbContext is null)
            {
                return null;
            }

            switch (name)
            {
                case "SaveChanges":
                case "SaveChangesAsync":
                    return IsDbContext(containingType) || IsDbContextAbstraction(containingType) ? new RoundTrip(RoundTripKind.SaveChanges, name, invocation) : null;
                case "Find":
                case "FindAsync":
                    return IsDbContext(containingType) || containingType.OriginalDefinition.InheritsFromOrEquals(_types.DbSetOfT)
                        ? new RoundTrip(RoundTripKind.EfFind, name, invocation)
                        : null;
                case "Load":
                case "LoadAsync":
                    if (containingType.InheritsFromOrEquals(_types.NavigationEntry))
                    {
                        return new RoundTrip(RoundTripKind.EfLoad, name, invocation);
                    }

                    break;
                case "Reload":
                case "ReloadAsync":
                case "GetDatabaseValues":
                case "GetDatabaseValuesAsync":
                    return containingType.InheritsFromOrEquals(_types.EntityEntry) ? new RoundTrip(RoundTripKind.EfLoad, name, invocation) : null;
                case "ExecuteSql":
                case "ExecuteSqlAsync":
                case "ExecuteSqlRaw":
                case "ExecuteSqlRawAsync":
                case "ExecuteSqlInterpolated":
                case "ExecuteSqlInterpolatedAsync":
                    return containingType.IsSame(_types.RelationalDatabaseFacadeExtensions) ? new RoundTrip(RoundTripKind.EfRawSql, name, invocation) : null;
                case "ExecuteUpdate":
                case "ExecuteUpdateAsync":
                case "ExecuteDelete":
                case "ExecuteDeleteAsync":
                    return IsLinqOrEfOperatorType(containingType) ? new RoundTrip(RoundTripKind.EfBulk, name, invocation) : null;
            }

            if (!IsExecutingOperatorName(name) || !IsLinqOrEfOperatorType(containingType))
            {
                return null;
            }

            var source = invocation.GetReceiverOrThisArgument();
            if (source is null)
            {
                return null;
            }

            var chain = GetChain(source, cancellationToken);
            return chain is not null && chain.IsEntityFramework ? new RoundTrip(RoundTripKind.EfQuery, name, invocation) : null;
        }

        /// <summary>A call that goes to the database, directly or through methods of the compilation (SaveChanges excluded).</summary>
        public bool ReadsDatabase(IOperation operation, CancellationToken cancellationToken)
        {
            if (operation is not IInvocationOperation invocation)
            {
                return false;
            }

            var trip = GetRoundTrip(invocation, cancellationToken);
            if (trip is not null)
            {
                return trip.Kind != RoundTripKind.SaveChanges;
            }

            return invocation.TargetMethod.IsInSource() && GetSummary(invocation.TargetMethod, cancellationToken).RunsQuery;
        }

        /// <summary>foreach/await foreach over an EF query runs it; returns the round trip for the loop's collection.</summary>
        public RoundTrip? GetEnumerationRoundTrip(IForEachLoopOperation loop, CancellationToken cancellationToken)
        {
            if (_types.DbContext is null)
            {
                return null;
            }

            var collection = loop.Collection.WalkDownConversion();
            var chain = GetChain(collection, cancellationToken);
            return chain is not null && chain.IsEntityFramework ? new RoundTrip(RoundTripKind.Enumeration, loop.IsAsynchronous ? "await foreach" : "foreach", collection) : null;
        }

        /// <summary>
        /// The method a call really runs, for calls through an interface or an abstract method that has exactly one
        /// implementation in the compilation. Returns the method itself when it has a body; null when unknown.
        /// </summary>
        public IMethodSymbol? ResolveImplementation(IMethodSymbol method)
        {
            method = method.ReducedFrom ?? method;
            method = method.OriginalDefinition;
            if (method.ContainingType?.TypeKind != TypeKind.Interface && !method.IsAbstract)
            {
                return method.IsInSource() ? method : null;
            }

            return _implementations.GetOrAdd(method, FindSingleImplementation);
        }

        private IMethodSymbol? FindSingleImplementation(IMethodSymbol method)
        {
            IMethodSymbol? found = null;
            var containing = method.ContainingType.OriginalDefinition;
            var candidates = _concreteTypes.GetOrAdd(containing, ConcreteTypesOf);
            if (candidates.Count == 0)
            {
                return null;
            }

            var implementations = new List<IMethodSymbol>();
            foreach (var type in candidates)
            {
                implementations.Clear();
                if (containing.TypeKind == TypeKind.Interface)
                {
                    AddInterfaceImplementations(type, method, implementations);
                }
                else
                {
                    for (var current = type; current is not null && implementations.Count == 0; current = current.BaseType)
                    {
                        foreach (var member in current.GetMembers(method.Name))
                        {
                            if (member is IMethodSymbol candidate && candidate.IsOverride && IsOverrideOf(candidate, method))
                            {
                                implementations.Add(candidate);
                                break;
                            }
                        }
                    }
                }

                foreach (var implementation in implementations)
                {
                    if (!implementation.IsInSource())
                    {
                        continue;
                    }

                    var definition = implementation.OriginalDefinition;
                    if (found is not null && !found.IsSame(definition))
                    {
                        return null; // more than one: the call could go to either
                    }

                    found = definition;
                }
            }

            return found;
        }

        /// <summary>
        /// The members of <paramref name="type"/> that implement <paramref name="method"/> (a member of an interface
        /// definition), through each constructed form of the interface the type implements
        /// (<c>IRepository&lt;Patient&gt;</c>; a type implementing <c>IHandler&lt;A&gt;</c> and <c>IHandler&lt;B&gt;</c> has two).
        /// </summary>
        private static void AddInterfaceImplementations(INamedTypeSymbol type, IMethodSymbol method, List<IMethodSymbol> implementations)
        {
            foreach (var candidate in type.AllInterfaces)
            {
                if (!candidate.OriginalDefinition.IsSame(method.ContainingType))
                {
                    continue;
                }

                foreach (var member in candidate.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol interfaceMethod && interfaceMethod.OriginalDefinition.IsSame(method)
                        && type.FindImplementationForInterfaceMember(interfaceMethod) is IMethodSymbol implementation)
                    {
                        // An abstract base implements the interface and the concrete type overrides it: the override runs.
                        implementations.Add(implementation.IsAbstract ? FindOverride(type, implementation) ?? implementation : implementation);
                    }
                }
            }
        }

        private static IMethodSymbol? FindOverride(INamedTypeSymbol type, IMethodSymbol method)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol { IsOverride: true } candidate && IsOverrideOf(candidate, method.OriginalDefinition))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }

        private static bool IsOverrideOf(IMethodSymbol candidate, IMethodSymbol method)
        {
            for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (overridden.OriginalDefinition.IsSame(method))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The type declarations of the compilation by the simple names their base lists write (<c>class A : IRepo&lt;T&gt;, B</c>
        /// is found under IRepo and B). Only namespaces and type declarations are walked, never a member's body.
        /// </summary>
        private Dictionary<string, List<TypeDeclarationSyntax>> IndexDeclarationsByBaseName()
        {
            var index = new Dictionary<string, List<TypeDeclarationSyntax>>(StringComparer.Ordinal);
            foreach (var tree in _bodies.Compilation.SyntaxTrees)
            {
                var root = tree.GetRoot();
                foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
                {
                    if (node is not TypeDeclarationSyntax { BaseList: { } baseList } declaration)
                    {
                        continue;
                    }

                    foreach (var baseType in baseList.Types)
                    {
                        var name = SyntaxNames.LastIdentifier(baseType.Type);
                        if (name is null)
                        {
                            continue;
                        }

                        if (!index.TryGetValue(name, out var list))
                        {
                            list = new List<TypeDeclarationSyntax>();
                            index.Add(name, list);
                        }

                        list.Add(declaration);
                    }
                }
            }

            return index;
        }

        /// <summary>
        /// The concrete classes and structs of the compilation that implement an interface or derive from an abstract
        /// class: the declarations that name it in their base list, then those that name one of them, and so on; only
        /// those declarations are bound.
        /// </summary>
        private List<INamedTypeSymbol> ConcreteTypesOf(INamedTypeSymbol abstraction)
        {
            var found = new List<INamedTypeSymbol>();
            var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            var names = new HashSet<string>(StringComparer.Ordinal) { abstraction.Name };
            var pending = new Queue<string>();
            pending.Enqueue(abstraction.Name);
            var index = _declarationsByBaseName.Value;
            while (pending.Count > 0)
            {
                if (!index.TryGetValue(pending.Dequeue(), out var declarations))
                {
                    continue;
                }

                foreach (var declaration in declarations)
                {
                    if (_bodies.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration) is not { } type || !seen.Add(type.OriginalDefinition))
                    {
                        continue;
                    }

                    if (names.Add(type.Name))
                    {
                        pending.Enqueue(type.Name);
                    }

                    if (!type.IsAbstract && type.TypeKind is TypeKind.Class or TypeKind.Struct && DerivesFrom(type, abstraction))
                    {
                        found.Add(type.OriginalDefinition);
                    }
                }
            }

            return found;
        }

        private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol abstraction)
        {
            if (abstraction.TypeKind == TypeKind.Interface)
            {
                foreach (var implemented in type.AllInterfaces)
                {
                    if (implemented.OriginalDefinition.IsSame(abstraction))
                    {
                        return true;
                    }
                }

                return false;
            }

            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (baseType.OriginalDefinition.IsSame(abstraction))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// What a method of the compilation does to the database, following the calls it makes (breadth first, so
        /// the shortest path to a round trip explains it) up to <see cref="MaxCallDepth"/> methods deep, through
        /// interface and abstract methods that have a single implementation. Lambdas inside the methods are not
        /// followed (they may never run, or run later, as with cache factories). Calls that form cycles are visited
        /// once.
        /// </summary>
        public MethodQuerySummary GetSummary(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var target = ResolveImplementation(method);
            if (target is null)
            {
                return MethodQuerySummary.None;
            }

            if (_summaries.TryGetValue(target, out var cached))
            {
                return cached;
            }

            return _summaries.GetOrAdd(target, Summarize(target, cancellationToken));
        }

        private MethodQuerySummary Summarize(IMethodSymbol start, CancellationToken cancellationToken)
        {
            var reachedFrom = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default) { [start] = null };
            var level = new List<IMethodSymbol> { start };
            string? tripName = null;
            IMethodSymbol? tripMethod = null;
            string? saveName = null;
            IMethodSymbol? saveMethod = null;
            for (var depth = 0; depth < MaxCallDepth && level.Count > 0; depth++)
            {
                var next = new List<IMethodSymbol>();
                foreach (var method in level)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var facts = GetFacts(method, cancellationToken);
                    if (saveName is null && facts.SaveName is not null)
                    {
                        saveName = facts.SaveName;
                        saveMethod = method;
                    }

                    if (tripName is null && facts.RoundTripName is not null)
                    {
                        tripName = facts.RoundTripName;
                        tripMethod = method;
                    }

                    foreach (var callee in facts.Callees)
                    {
                        if (!reachedFrom.ContainsKey(callee))
                        {
                            reachedFrom.Add(callee, method);
                            next.Add(callee);
                        }
                    }
                }

                level = next;
            }

            if (tripName is null && saveName is null)
            {
                return MethodQuerySummary.None;
            }

            return new MethodQuerySummary(tripName, PathTo(tripMethod), saveName, PathTo(saveMethod));

            ImmutableArray<IMethodSymbol> PathTo(IMethodSymbol? end)
            {
                var path = ImmutableArray<IMethodSymbol>.Empty;
                for (var current = end; current is not null && !current.IsSame(start); current = reachedFrom[current])
                {
                    path = path.Insert(0, current);
                }

                return path;
            }
        }

        /// <summary>What one method does by itself: its first round trip, whether it saves, and the methods of the compilation it calls.</summary>
        private sealed class MethodFacts
        {
            public static readonly MethodFacts Empty = new MethodFacts(null, null, ImmutableArray<IMethodSymbol>.Empty);

            public MethodFacts(string? roundTripName, string? saveName, ImmutableArray<IMethodSymbol> callees)
            {
                RoundTripName = roundTripName;
                SaveName = saveName;
                Callees = callees;
            }

            public string? RoundTripName { get; }

            /// <summary>The first SaveChanges/SaveChangesAsync call of the method, by name.</summary>
            public string? SaveName { get; }

            /// <summary>The implementations the method calls, in source order, without repeats.</summary>
            public ImmutableArray<IMethodSymbol> Callees { get; }
        }

        private MethodFacts GetFacts(IMethodSymbol method, CancellationToken cancellationToken)
        {
            if (_facts.TryGetValue(method, out var cached))
            {
                return cached;
            }

            return _facts.GetOrAdd(method, ComputeFacts(method, cancellationToken));
        }

        private MethodFacts ComputeFacts(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var body = _bodies.GetBody(method, cancellationToken);
            if (body is null)
            {
                return MethodFacts.Empty;
            }

            string? tripName = null;
            string? saveName = null;
            var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method };
            foreach (var operation in InSourceOrder(body))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is IForEachLoopOperation loop && tripName is null && GetEnumerationRoundTrip(loop, cancellationToken) is { } enumeration)
                {
                    tripName = enumeration.Name;
                    continue;
                }

                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                var trip = GetRoundTrip(invocation, cancellationToken);
                if (trip is not null)
                {
                    if (trip.Kind == RoundTripKind.SaveChanges)
                    {
                        saveName ??= trip.Name;
                    }
                    else
                    {
                        tripName ??= trip.Name;
                    }

                    continue;
                }

                if (!invocation.TargetMethod.IsInSource())
                {
                    continue; // framework and library calls; interfaces of libraries may have implementations anywhere
                }

                if (ResolveImplementation(invocation.TargetMethod) is { } implementation && seen.Add(implementation))
                {
                    callees.Add(implementation);
                }
            }

            return new MethodFacts(tripName, saveName, callees.ToImmutable());
        }

        /// <summary>The operations of a function body in source order, without entering lambdas or local functions.</summary>
        private static IEnumerable<IOperation> InSourceOrder(IOperation body)
        {
            var stack = new Stack<IOperation>();
            stack.Push(body);
            var children = new List<IOperation>();
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                yield return current;
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                children.Clear();
                children.AddRange(current.ChildOperations);
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }
    }
}
