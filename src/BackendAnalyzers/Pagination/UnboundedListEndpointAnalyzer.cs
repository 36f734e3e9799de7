using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Pagination
{
    /// <summary>
    /// BA4001: an endpoint returns a collection built from an EF Core query that has no Take: the response grows
    /// with the table. Follows the value through Ok(...)/Results/TypedResults, locals, materializers and methods of
    /// the compilation (services, repositories).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnboundedListEndpointAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "true" when the query is built in the endpoint and the code fix can page it.</summary>
        public const string FixableProperty = "Fixable";

        /// <summary>Diagnostic property: the entity key to order by, when known.</summary>
        public const string KeyProperty = "Key";

        /// <summary>Diagnostic property: "true" when the chain already orders the rows.</summary>
        public const string OrderedProperty = "Ordered";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.UnboundedListEndpoint,
            title: "List endpoint returns an unbounded query",
            messageFormat: "The endpoint returns every '{0}' row the query matches, with no Take{1}; page it with a bounded page size",
            RuleCategories.Pagination,
            DiagnosticSeverity.Warning,
            description: "A list endpoint that returns a whole query grows with the table: response time, memory and payload size are unbounded. Order the query by a key and apply Skip/Take with a page size the server caps.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var endpoints = new EndpointModel(types);
                if (!types.HasEntityFramework || !endpoints.IsEnabled)
                {
                    return;
                }

                var analyzer = new Analyzer(endpoints, new QueryModel(types, new FunctionBodies(start.Compilation)));
                if (types.ControllerBase is not null)
                {
                    // Only controllers get body callbacks: other types cost nothing beyond this check.
                    start.RegisterSymbolStartAction(
                        symbolStart =>
                        {
                            if (endpoints.IsControllerType((INamedTypeSymbol)symbolStart.Symbol))
                            {
                                symbolStart.RegisterOperationBlockAction(analyzer.AnalyzeMethodBody);
                            }
                        },
                        SymbolKind.NamedType);
                }

                if (types.EndpointRouteBuilderExtensions is not null)
                {
                    start.RegisterOperationAction(analyzer.AnalyzeMapInvocation, OperationKind.Invocation);
                }
            });
        }

        private sealed class Finding
        {
            public Finding(QueryChain chain, IOperation reportAt, IOperation? insertAt, ImmutableArray<IMethodSymbol> path)
            {
                Chain = chain;
                ReportAt = reportAt;
                InsertAt = insertAt;
                Path = path;
            }

            public QueryChain Chain { get; }

            public IOperation ReportAt { get; }

            /// <summary>The query expression the fix appends OrderBy/Skip/Take to.</summary>
            public IOperation? InsertAt { get; }

            public ImmutableArray<IMethodSymbol> Path { get; }
        }

        private sealed class Analyzer
        {
            private const int MaxDepth = 4;
            private readonly EndpointModel _endpoints;
            private readonly QueryModel _queries;
            private readonly KnownTypes _types;

            public Analyzer(EndpointModel endpoints, QueryModel queries)
            {
                _endpoints = endpoints;
                _queries = queries;
                _types = endpoints.Types;
            }

            public void AnalyzeMethodBody(OperationBlockAnalysisContext context)
            {
                if (context.OwningSymbol is not IMethodSymbol method || method.MethodKind != MethodKind.Ordinary)
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint is null || !endpoint.IsGet && endpoint.HttpMethods.Length > 0)
                {
                    return;
                }

                foreach (var block in context.OperationBlocks)
                {
                    if (block.Kind is OperationKind.Block or OperationKind.MethodBody)
                    {
                        AnalyzeFunction(block, endpoint, context.Options, context.ReportDiagnostic, reportOn: null, context.CancellationToken);
                    }
                }
            }

            public void AnalyzeMapInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                if (!EndpointModel.IsMapMethodName(invocation.TargetMethod.Name))
                {
                    return;
                }

                var endpoint = _endpoints.GetMinimalApiEndpoint(invocation, context.CancellationToken);
                if (endpoint is null || !endpoint.IsGet && endpoint.HttpMethods.Length > 0 || endpoint.HandlerArgument is null)
                {
                    return;
                }

                var handler = endpoint.HandlerArgument.WalkDownConversion();
                if (handler is IDelegateCreationOperation creation)
                {
                    handler = creation.Target.WalkDownConversion();
                }

                if (handler is IAnonymousFunctionOperation lambda)
                {
                    AnalyzeFunction(lambda.Body, endpoint, context.Options, context.ReportDiagnostic, reportOn: null, context.CancellationToken);
                }
                else if (handler is IMethodReferenceOperation && _queries.Bodies.GetBody(endpoint.Handler, context.CancellationToken) is { } body)
                {
                    // The handler is declared elsewhere: report on the method group, where the endpoint is mapped.
                    AnalyzeFunction(body, endpoint, context.Options, context.ReportDiagnostic, reportOn: handler, context.CancellationToken);
                }
            }

            private void AnalyzeFunction(IOperation body, Endpoint endpoint, AnalyzerOptions options, System.Action<Diagnostic> report, IOperation? reportOn, CancellationToken cancellationToken)
            {
                var reported = new HashSet<Location>();
                foreach (var ret in body.GetOwnReturns())
                {
                    foreach (var branch in Branches(ret.ReturnedValue!))
                    {
                        AnalyzeReturnedValue(branch, ret, endpoint, options, report, reportOn, reported, cancellationToken);
                    }
                }
            }

            /// <summary>
            /// The values a return can produce: each arm of a ?: or switch expression and both sides of ??, inside
            /// Ok(...)/Results.Ok(...) as well as around them; a paged arm does not hide an unpaged one.
            /// </summary>
            private IEnumerable<IOperation> Branches(IOperation value)
            {
                var current = value.WalkDownConversion();
                switch (current)
                {
                    case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                        return Branches(conditional.WhenTrue).Concat(Branches(whenFalse));
                    case ICoalesceOperation coalesce:
                        return Branches(coalesce.Value).Concat(Branches(coalesce.WhenNull));
                    case ISwitchExpressionOperation switchExpression:
                        return switchExpression.Arms.SelectMany(arm => Branches(arm.Value));
                }

                var unwrapped = _endpoints.UnwrapResponseValue(current);
                return ReferenceEquals(unwrapped, current) || unwrapped.WalkDownConversion() is not (IConditionalOperation or ICoalesceOperation or ISwitchExpressionOperation)
                    ? new[] { value }
                    : Branches(unwrapped);
            }

            private void AnalyzeReturnedValue(IOperation returned, IReturnOperation ret, Endpoint endpoint, AnalyzerOptions options, System.Action<Diagnostic> report, IOperation? reportOn, HashSet<Location> reported, CancellationToken cancellationToken)
            {
                var finding = Analyze(returned, 0, cancellationToken);
                if (finding is null)
                {
                    return;
                }

                var tree = (reportOn ?? ret).Syntax.SyntaxTree;
                var smallTables = AnalyzerOptionsReader.GetNameSet(options, tree, RuleIds.UnboundedListEndpoint, OptionNames.SmallTables);
                var entity = finding.Chain.EntityType;
                if (entity is not null && smallTables.Contains(entity.Name))
                {
                    return;
                }

                var fixable = reportOn is null && finding.Path.IsEmpty && finding.InsertAt is not null
                    && endpoint.HandlerSyntax is not null && endpoint.HandlerSyntax.SyntaxTree == finding.InsertAt.Syntax.SyntaxTree
                    && endpoint.HandlerSyntax.Span.Contains(finding.InsertAt.Syntax.Span);
                var key = EntityKeys.FindKey(entity, _types);
                IOperation? orderAt = null;
                if (fixable && key is not null && !finding.Chain.HasOrdering && !TryFindOrderingPoint(finding.Chain, entity, endpoint, out orderAt))
                {
                    fixable = false; // the rows stop being entities before the end of the chain, somewhere the fix cannot order them
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(FixableProperty, fixable ? "true" : "false")
                    .Add(KeyProperty, key?.Name ?? string.Empty)
                    .Add(OrderedProperty, finding.Chain.HasOrdering ? "true" : "false");

                var where = finding.Path.IsEmpty
                    ? string.Empty
                    : " (the query is built in " + finding.Path[finding.Path.Length - 1].ToDisplayName() + ", which is where the Take belongs)";
                var location = (reportOn ?? finding.ReportAt).Syntax.GetLocation();
                if (!reported.Add(location))
                {
                    return; // two arms that return the same list
                }

                var additional = !fixable
                    ? System.Array.Empty<Location>()
                    : orderAt is null
                        ? new[] { finding.InsertAt!.Syntax.GetLocation(), endpoint.HandlerSyntax!.GetLocation() }
                        : new[] { finding.InsertAt!.Syntax.GetLocation(), endpoint.HandlerSyntax!.GetLocation(), orderAt.Syntax.GetLocation() };
                report(Diagnostic.Create(Rule, location, additional, properties, entity?.Name ?? "entity", where));
            }

            /// <summary>
            /// Where the fix's OrderBy by the entity key goes. At the end of the chain while its rows are still the
            /// entity (<paramref name="orderAt"/> null); before the projection when a Select written in the endpoint
            /// turns the entities into DTOs (its receiver). False when another operator changes the row type first.
            /// </summary>
            private static bool TryFindOrderingPoint(QueryChain chain, ITypeSymbol? entity, Endpoint endpoint, out IOperation? orderAt)
            {
                orderAt = null;
                foreach (var op in chain.Operators)
                {
                    if (SymbolEqualityComparer.Default.Equals(ElementType(op.Type), entity))
                    {
                        continue;
                    }

                    if (op.TargetMethod.Name != "Select" || op.GetReceiverOrThisArgument()?.WalkDownConversion() is not { } receiver
                        || receiver.Syntax is not ExpressionSyntax || endpoint.HandlerSyntax is null
                        || receiver.Syntax.SyntaxTree != endpoint.HandlerSyntax.SyntaxTree || !endpoint.HandlerSyntax.Span.Contains(receiver.Syntax.Span)
                        || !SymbolEqualityComparer.Default.Equals(ElementType(receiver.Type), entity))
                    {
                        return false;
                    }

                    orderAt = receiver;
                    return true;
                }

                return true;
            }

            /// <summary>
            /// An enum or a bool (nullable or not): <c>Select(s =&gt; s.Rating).Distinct()</c> returns at most as many rows as
            /// the type has values, however large the table (seen on a real API listing the age ratings in use).
            /// </summary>
            private static bool IsFewValued(ITypeSymbol? type)
            {
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    type = nullable.TypeArguments[0];
                }

                return type is { TypeKind: TypeKind.Enum } or { SpecialType: SpecialType.System_Boolean };
            }

            /// <summary>The T of the IEnumerable&lt;T&gt; a query type implements (IQueryable&lt;T&gt;, IIncludableQueryable&lt;T, P&gt;, ...).</summary>
            private static ITypeSymbol? ElementType(ITypeSymbol? type)
            {
                if (type is INamedTypeSymbol { ConstructedFrom.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T } enumerable)
                {
                    return enumerable.TypeArguments[0];
                }

                foreach (var implemented in type?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
                {
                    if (implemented.ConstructedFrom.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                    {
                        return implemented.TypeArguments[0];
                    }
                }

                return null;
            }

            private Finding? Analyze(IOperation returned, int depth, CancellationToken cancellationToken)
            {
                var value = _endpoints.UnwrapResponseValue(returned);
                if (!IsCollection(value.Type.UnwrapTask(_types)))
                {
                    return null;
                }

                var chain = _queries.GetChainThroughMaterializers(value, cancellationToken);
                if (chain is not null && chain.RootKind != QueryRootKind.Unknown)
                {
                    if (!chain.IsEntityFramework || IsBounded(chain))
                    {
                        return null;
                    }

                    var insertAt = FindInsertionPoint(chain, value);
                    // Report on the materializing call when it is in the same function (through a local), else on the value.
                    var reportAt = chain.MaterializedBy is { } materializer
                        && (IsWithin(materializer, value) || ReferenceEquals(materializer.GetEnclosingFunction(), value.GetEnclosingFunction()))
                        ? materializer
                        : value;
                    return new Finding(chain, reportAt, insertAt, ImmutableArray<IMethodSymbol>.Empty);
                }

                // Not a query here: follow in-memory LINQ and locals to a call into the compilation (a service).
                var source = StripInMemoryOperators(value, out var boundedInMemory);
                if (boundedInMemory || depth >= MaxDepth)
                {
                    return null;
                }

                if (source is ILocalReferenceOperation local)
                {
                    source = FindSingleInitializer(local);
                    if (source is null)
                    {
                        return null;
                    }

                    source = StripInMemoryOperators(source, out boundedInMemory);
                    if (boundedInMemory)
                    {
                        return null;
                    }
                }

                if (source is not IInvocationOperation call)
                {
                    return null;
                }

                var implementation = _queries.ResolveImplementation(call.TargetMethod);
                if (implementation is null)
                {
                    return null;
                }

                var body = _queries.Bodies.GetBody(implementation, cancellationToken);
                if (body is null)
                {
                    return null;
                }

                foreach (var ret in body.GetOwnReturns())
                {
                    var inner = Analyze(ret.ReturnedValue!, depth + 1, cancellationToken);
                    if (inner is not null)
                    {
                        return new Finding(inner.Chain, value, null, inner.Path.Insert(0, implementation));
                    }
                }

                return null;
            }

            private bool IsBounded(QueryChain chain)
            {
                if (chain.HasTake)
                {
                    return true;
                }

                foreach (var op in chain.Operators)
                {
                    var name = op.TargetMethod.Name;
                    if (name is "GroupBy" or "Chunk" || EntityKeys.IsKeyEqualityFilter(op, chain.EntityType, _types)
                        || EntityKeys.IsKeyMembershipFilter(op, chain.EntityType, _types)
                        || name == "Distinct" && IsFewValued(ElementType(op.Type)))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Where the fix appends its operators: the outermost expression of the chain that is still a query.</summary>
            private IOperation? FindInsertionPoint(QueryChain chain, IOperation value)
            {
                if (chain.MaterializedBy is { } materializer)
                {
                    var source = materializer.GetReceiverOrThisArgument()?.WalkDownConversion();
                    while (source is IInvocationOperation { TargetMethod.Name: "AsEnumerable" or "AsAsyncEnumerable" } passThrough)
                    {
                        source = passThrough.GetReceiverOrThisArgument()?.WalkDownConversion();
                    }

                    return source is not null && _queries.IsQueryableType(source.Type) ? source : null;
                }

                var current = value.WalkDownConversionAndAwait();
                return _queries.IsQueryableType(current.Type) ? current : null;
            }

            private static bool IsWithin(IOperation inner, IOperation outer) => outer.Syntax.SyntaxTree == inner.Syntax.SyntaxTree && outer.Syntax.Span.Contains(inner.Syntax.Span);

            private IOperation StripInMemoryOperators(IOperation value, out bool bounded)
            {
                bounded = false;
                value = value.WalkDownConversionAndAwait();
                while (value is IInvocationOperation invocation && invocation.TargetMethod.ContainingType.IsSame(_types.Enumerable)
                    && invocation.GetReceiverOrThisArgument() is { } source)
                {
                    if (invocation.TargetMethod.Name is "Take" or "TakeLast" or "TakeWhile" or "First" or "FirstOrDefault" or "Single" or "SingleOrDefault" or "GroupBy")
                    {
                        bounded = true;
                    }

                    value = source.WalkDownConversionAndAwait();
                }

                return value;
            }

            private static IOperation? FindSingleInitializer(ILocalReferenceOperation reference)
            {
                var function = reference.GetEnclosingFunction();
                if (function is null)
                {
                    return null;
                }

                IOperation? value = null;
                var count = 0;
                foreach (var operation in function.DescendantsInSameFunction())
                {
                    if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(reference.Local) && declarator.Initializer is not null)
                    {
                        value = declarator.Initializer.Value;
                        count++;
                    }
                    else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(reference.Local))
                    {
                        value = assignment.Value;
                        count++;
                    }
                }

                return count == 1 ? value : null;
            }

            private bool IsCollection(ITypeSymbol? type)
            {
                if (type is null || type.SpecialType == SpecialType.System_String || type.TypeKind == TypeKind.Error)
                {
                    return false;
                }

                if (type is IArrayTypeSymbol array)
                {
                    return array.ElementType.SpecialType != SpecialType.System_Byte;
                }

                return type.IsOrImplements(_types.IEnumerable) || type.IsOrImplements(_types.IAsyncEnumerableOfT);
            }
        }
    }
}
