using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3007: an EF Core query that loads entities with change tracking, where nothing changes them: a GET endpoint
    /// that returns them, or a method that only reads them and keeps them to itself. Tracking costs a snapshot of
    /// every entity and an identity-map look-up per row for nothing.
    /// </summary>
    /// <remarks>
    /// Quiet when the function (or a method it calls) saves, when the results or their elements (through locals,
    /// foreach and in-memory LINQ) are written to, handed to the DbContext or a DbSet, or have a method called on
    /// them that may change them; when the query projects to a non-entity, states AsTracking, AsNoTracking or
    /// AsNoTrackingWithIdentityResolution, or the model turns tracking off globally. Outside endpoints the results
    /// must also stay in the method: returned, stored in a field or passed to another method, someone else may
    /// change and save them.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReadOnlyQueryTrackedAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.ReadOnlyQueryTracked,
            title: "Read-only query is tracked",
            messageFormat: "The '{1}' entities this query loads with '{0}' are only read, yet the change tracker snapshots each of them; add AsNoTracking()",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "A tracking query makes the DbContext keep a snapshot of every entity it returns and resolve each row against its identity map, so that SaveChanges can find the changes. When the results are only read (a GET endpoint returning them, a method that maps them to DTOs), that work and memory buy nothing. AsNoTracking() skips it; use AsNoTrackingWithIdentityResolution() when the same entity appears many times in the results.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        // The EF model's per-file facts, kept for the analyzer's lifetime: after an edit only the edited file is read again.
        private readonly SyntaxTreeValueProvider<EfFileFacts> _efFacts = EfFileFacts.CreateProvider();

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasEntityFramework || types.Queryable is null || types.EntityFrameworkQueryableExtensions is null)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var queries = new QueryModel(types, bodies);
                var efModel = EfFileFacts.LazyModel(start, types, bodies, _efFacts);
                var analyzer = new Analyzer(queries, new EndpointModel(types), efModel);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private sealed class Analyzer
        {
            private readonly QueryModel _queries;
            private readonly EndpointModel _endpoints;
            private readonly KnownTypes _types;
            private readonly Lazy<EfModel> _efModel;

            public Analyzer(QueryModel queries, EndpointModel endpoints, Lazy<EfModel> efModel)
            {
                _queries = queries;
                _endpoints = endpoints;
                _types = queries.Types;
                _efModel = efModel;
            }

            private static bool IsMaterializer(string name) => name switch
            {
                "ToList" or "ToListAsync" or "ToArray" or "ToArrayAsync" or "ToHashSet" or "ToHashSetAsync" or "ToDictionary" or "ToDictionaryAsync"
                    or "First" or "FirstAsync" or "FirstOrDefault" or "FirstOrDefaultAsync"
                    or "Single" or "SingleAsync" or "SingleOrDefault" or "SingleOrDefaultAsync"
                    or "Last" or "LastAsync" or "LastOrDefault" or "LastOrDefaultAsync" => true,
                _ => false,
            };

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                if (!IsMaterializer(method.Name))
                {
                    return;
                }

                var containing = method.ContainingType;
                if (containing is null || !(containing.IsSame(_types.Queryable) || containing.IsSame(_types.Enumerable) || containing.IsSame(_types.EntityFrameworkQueryableExtensions)))
                {
                    return;
                }

                var source = invocation.GetReceiverOrThisArgument()?.WalkDownConversion();
                if (source is null || !_queries.IsQueryableType(source.Type))
                {
                    return;
                }

                var efModel = _efModel.Value;
                if (efModel.NoTrackingByDefault)
                {
                    return;
                }

                var elementType = source.Type.GetGenericInterfaceArgument(_types.IQueryableOfT);
                var entity = efModel.GetEntity(elementType);
                if (entity is null || entity.IsKeyless)
                {
                    return; // a projection (never tracked) or a keyless type
                }

                var cancellationToken = context.CancellationToken;
                var chain = _queries.GetChain(source, cancellationToken);
                if (chain is null || chain.RootKind is not (QueryRootKind.DbSet or QueryRootKind.DbContextSet or QueryRootKind.DbContextMember)
                    || chain.ContainsAny(n => n is "AsNoTracking" or "AsNoTrackingWithIdentityResolution" or "AsTracking")
                    || HelpersStateTracking(chain, cancellationToken))
                {
                    return;
                }

                var function = invocation.GetEnclosingFunction();
                var member = invocation.GetRoot();
                if (function is null || invocation.IsInsideExpressionTree(_types.ExpressionOfT))
                {
                    return;
                }

                var endpoint = GetEndpoint(function, cancellationToken);
                var usage = new ResultUsage(this, function, member, endpoint, cancellationToken);

                // A minimal API lambda is its own unit (the method that maps it maps others); anything else is judged
                // with the whole member around it.
                var scope = endpoint is not null && function is IAnonymousFunctionOperation ? function : member;
                if (usage.ChangesOrEscapes(invocation) || MayChangeEntities(scope, cancellationToken))
                {
                    return;
                }

                var insertAfter = FindInsertionPoint(chain, invocation);
                var additional = insertAfter is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(insertAfter.GetLocation());
                context.ReportDiagnostic(Diagnostic.Create(Rule, OperatorLocation(invocation), additional, method.Name, elementType!.Name));
            }

            /// <summary>A helper of the compilation the query passed through states the tracking itself.</summary>
            private bool HelpersStateTracking(QueryChain chain, CancellationToken cancellationToken)
            {
                foreach (var helper in chain.Helpers)
                {
                    var body = _queries.Bodies.GetBody(helper, cancellationToken);
                    if (body is null)
                    {
                        return true; // cannot see: assume it does
                    }

                    foreach (var operation in body.DescendantsAndSelf())
                    {
                        if (operation is IInvocationOperation { TargetMethod.Name: "AsNoTracking" or "AsNoTrackingWithIdentityResolution" or "AsTracking" })
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary>The endpoint the function is: a controller action, or a lambda or method passed to Map*.</summary>
            private Endpoint? GetEndpoint(IOperation function, CancellationToken cancellationToken)
            {
                if (!_endpoints.IsEnabled)
                {
                    return null;
                }

                if (function is IAnonymousFunctionOperation lambda)
                {
                    IOperation current = lambda;
                    while (current.Parent is IConversionOperation or IDelegateCreationOperation)
                    {
                        current = current.Parent;
                    }

                    return current.Parent is IArgumentOperation { Parent: IInvocationOperation map } ? _endpoints.GetMinimalApiEndpoint(map, cancellationToken) : null;
                }

                if (function is ILocalFunctionOperation)
                {
                    return null;
                }

                return function.SemanticModel?.GetDeclaredSymbol(function.Syntax, cancellationToken) is IMethodSymbol method
                    ? _endpoints.GetControllerAction(method, cancellationToken)
                    : null;
            }

            /// <summary>
            /// Anything in the member (lambdas included) that may change entities or persist them: SaveChanges, directly
            /// or in a method of the compilation it calls; a write to a member of an entity; a call of a
            /// DbContext/DbSet method that takes entities (Update, Remove, Attach, Entry, ...).
            /// </summary>
            private bool MayChangeEntities(IOperation member, CancellationToken cancellationToken)
            {
                var efModel = _efModel.Value;
                foreach (var operation in member.DescendantsAndSelf())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    switch (operation)
                    {
                        case IInvocationOperation call:
                        {
                            var trip = _queries.GetRoundTrip(call, cancellationToken);
                            if (trip is not null)
                            {
                                if (trip.Kind == RoundTripKind.SaveChanges)
                                {
                                    return true;
                                }

                                continue;
                            }

                            var target = call.TargetMethod;
                            if (target.Name is "SaveChanges" or "SaveChangesAsync")
                            {
                                return true; // a unit of work of some other shape
                            }

                            if (call.Instance is { } instance && IsContextOrSet(instance.Type) && target.Name is not ("Set" or "Find" or "FindAsync"))
                            {
                                foreach (var argument in call.Arguments)
                                {
                                    if (Carries(argument.Value))
                                    {
                                        return true;
                                    }
                                }
                            }

                            if (target.IsInSource() && _queries.GetSummary(target, cancellationToken).Saves)
                            {
                                return true;
                            }

                            break;
                        }

                        case IAssignmentOperation { Target: IMemberReferenceOperation { Instance: { } owner } } when !(owner is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                            && efModel.IsEntity(owner.Type):
                            return true;
                        case IIncrementOrDecrementOperation { Target: IMemberReferenceOperation { Instance: { } incremented } } when efModel.IsEntity(incremented.Type):
                            return true;
                    }
                }

                return false;
            }

            private bool IsContextOrSet(ITypeSymbol? type) =>
                type is not null && (_queries.IsDbContext(type) || _queries.IsDbContextAbstraction(type)
                    || type.OriginalDefinition.InheritsFromOrEquals(_types.DbSetOfT) || type.InheritsFromOrEquals(_types.EntityEntry));

            /// <summary>The value is (or holds) entities: an entity, a collection of them, a task, tuple or anonymous object with one.</summary>
            internal bool Carries(IOperation value) => Carries(value.WalkDownConversion().Type, 0) || Carries(value.Type, 0);

            private bool Carries(ITypeSymbol? type, int depth)
            {
                if (type is null || depth > 4)
                {
                    return false;
                }

                if (_efModel.Value.IsEntity(type))
                {
                    return true;
                }

                switch (type)
                {
                    case IArrayTypeSymbol array:
                        return Carries(array.ElementType, depth + 1);
                    case INamedTypeSymbol { IsAnonymousType: true } anonymous:
                        foreach (var member in anonymous.GetMembers())
                        {
                            if (member is IPropertySymbol property && Carries(property.Type, depth + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    case INamedTypeSymbol named:
                        foreach (var argument in named.TypeArguments)
                        {
                            if (Carries(argument, depth + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    case ITypeParameterSymbol:
                        return false;
                }

                return type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic;
            }

            /// <summary>
            /// Where the fix adds AsNoTracking(): right after the DbSet when the whole query is written in the expression
            /// (after FromSql*, which needs the DbSet itself), else right before the materializing call, so that other
            /// queries built on a shared local keep their tracking.
            /// </summary>
            private static SyntaxNode? FindInsertionPoint(QueryChain chain, IInvocationOperation materializer)
            {
                var root = chain.Root?.Syntax;
                if (root is not null && materializer.Syntax.Span.Contains(root.Span) && root.Parent is MemberAccessExpressionSyntax rootAccess && rootAccess.Expression == root)
                {
                    var after = root;
                    foreach (var op in chain.Operators)
                    {
                        if (!op.TargetMethod.Name.StartsWith("FromSql", StringComparison.Ordinal))
                        {
                            break;
                        }

                        after = op.Syntax;
                    }

                    if (after.Parent is MemberAccessExpressionSyntax access && access.Expression == after)
                    {
                        return after;
                    }
                }

                return materializer.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } && materializer.Instance is null
                    ? member.Expression
                    : null;
            }

            private static Location OperatorLocation(IInvocationOperation invocation)
            {
                if (invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } syntax)
                {
                    return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, syntax.Span.End));
                }

                return invocation.Syntax.GetLocation();
            }
        }

        /// <summary>
        /// Follows the results of one query through the function: the locals that hold them or their elements, and
        /// how each use treats them.
        /// </summary>
        private sealed class ResultUsage
        {
            private readonly Analyzer _analyzer;
            private readonly IOperation _function;
            private readonly IOperation _member;
            private readonly Endpoint? _endpoint;
            private readonly CancellationToken _cancellationToken;
            private readonly HashSet<ILocalSymbol> _locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            private readonly Queue<ILocalSymbol> _pending = new Queue<ILocalSymbol>();

            public ResultUsage(Analyzer analyzer, IOperation function, IOperation member, Endpoint? endpoint, CancellationToken cancellationToken)
            {
                _analyzer = analyzer;
                _function = function;
                _member = member;
                _endpoint = endpoint;
                _cancellationToken = cancellationToken;
            }

            public bool ChangesOrEscapes(IOperation results)
            {
                if (Follow(results))
                {
                    return true;
                }

                while (_pending.Count > 0)
                {
                    var local = _pending.Dequeue();
                    foreach (var operation in _member.DescendantsAndSelf())
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        if (operation is ILocalReferenceOperation reference && reference.Local.IsSame(local) && Follow(reference))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            private void Track(ILocalSymbol local)
            {
                if (_locals.Add(local))
                {
                    _pending.Enqueue(local);
                }
            }

            /// <summary>True when this use may change the entities, or lets them leave the function.</summary>
            private bool Follow(IOperation value)
            {
                var current = value;
                for (var guard = 0; guard < 64; guard++)
                {
                    var parent = current.Parent;
                    switch (parent)
                    {
                        case null:
                            return false;
                        case IConversionOperation:
                        case IAwaitOperation:
                        case IParenthesizedOperation:
                        case IConditionalAccessOperation:
                        case IConditionalAccessInstanceOperation:
                        case ICoalesceOperation:
                        case IConditionalOperation conditional when conditional.Condition != current:
                            current = parent;
                            continue;
                        case IMemberReferenceOperation memberReference when memberReference.Instance == current:
                            if (IsWritten(memberReference))
                            {
                                return true;
                            }

                            if (!_analyzer.Carries(memberReference))
                            {
                                return false; // reads a value
                            }

                            current = memberReference;
                            continue;
                        case IArrayElementReferenceOperation element when element.ArrayReference == current:
                            current = element;
                            continue;
                        case IInvocationOperation call when call.Instance == current:
                            if (!IsReadingCall(call))
                            {
                                return true; // list.ForEach(...), patient.Rename(...): may change them
                            }

                            if (!_analyzer.Carries(call))
                            {
                                return false;
                            }

                            current = call;
                            continue;
                        case IArgumentOperation { Parent: IInvocationOperation call }:
                            if (call.TargetMethod.ContainingType is { } type && type.ContainingNamespace?.ToDisplayString() == "System.Linq")
                            {
                                // In-memory LINQ over the results: follow what comes out (lambdas that write are seen by the member scan).
                                if (!_analyzer.Carries(call))
                                {
                                    return false;
                                }

                                current = call;
                                continue;
                            }

                            return PassingEscapes(call.TargetMethod);
                        case IArgumentOperation { Parent: IObjectCreationOperation }:
                            // new PatientView(patient) in an endpoint is a response; elsewhere the object may keep them.
                            return _endpoint is null && _analyzer.Carries(current);
                        case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                            Track(declarator.Symbol);
                            return false;
                        case ISimpleAssignmentOperation assignment when assignment.Value == current:
                            if (assignment.Target is ILocalReferenceOperation target)
                            {
                                Track(target.Local);
                                return false;
                            }

                            return _analyzer.Carries(current) && !(assignment.Target is IDiscardOperation);
                        case ISimpleAssignmentOperation assignment when assignment.Target == current:
                            return false; // the local gets another value
                        case IForEachLoopOperation loop when loop.Collection == current:
                            foreach (var local in loop.Locals)
                            {
                                Track(local);
                            }

                            return false;
                        case IReturnOperation ret:
                            if (ret.Kind == OperationKind.YieldReturn)
                            {
                                return _analyzer.Carries(current);
                            }

                            // An endpoint hands them to the serializer; any other function to a caller that may change them.
                            return !(_endpoint is not null && ReferenceEquals(ret.GetEnclosingFunction(), _function)) && _analyzer.Carries(current);
                        case IExpressionStatementOperation:
                        case IBinaryOperation:
                        case IUnaryOperation:
                        case IInterpolationOperation:
                        case IIsTypeOperation:
                        case IConditionalOperation:
                            return false;
                        case IInvalidOperation:
                            return true; // half-typed code: assume the worst
                        case IIsPatternOperation pattern:
                            // x is { } y, x is Patient p: a new name for them; x is null: a check.
                            return HasDeclarations(pattern.Pattern) && _analyzer.Carries(current);
                        default:
                            return _analyzer.Carries(current);
                    }
                }

                return true;
            }

            /// <summary>Passing the entities to a method: the DbContext may track changes on them; elsewhere someone else may change them.</summary>
            private bool PassingEscapes(IMethodSymbol method)
            {
                if (_endpoint is null)
                {
                    return true;
                }

                // An endpoint handing the results to Ok(...), Results.Ok(...), a mapper: a response. In a GET endpoint
                // methods of the compilation too (a save on the way is seen by the member scan).
                return !_endpoint.IsGet && method.IsInSource();
            }

            private static bool HasDeclarations(IPatternOperation pattern)
            {
                foreach (var operation in pattern.DescendantsAndSelf())
                {
                    if (operation is IDeclarationPatternOperation { DeclaredSymbol: not null } or IRecursivePatternOperation { DeclaredSymbol: not null })
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsWritten(IMemberReferenceOperation reference)
            {
                IOperation current = reference;
                while (current.Parent is IConversionOperation)
                {
                    current = current.Parent;
                }

                return current.Parent switch
                {
                    IAssignmentOperation assignment => assignment.Target == current,
                    IIncrementOrDecrementOperation => true,
                    IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                    _ => false,
                };
            }

            /// <summary>Instance methods that only read a collection or an entity.</summary>
            private static bool IsReadingCall(IInvocationOperation call)
            {
                var method = call.TargetMethod;
                if (method.ContainingType?.SpecialType == SpecialType.System_Object || method.Name is "ToString" or "GetHashCode" or "Equals" or "GetType")
                {
                    return true;
                }

                var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString();
                if (ns is not ("System.Collections.Generic" or "System.Collections.Immutable" or "System.Linq"))
                {
                    return false;
                }

                return method.Name is "Contains" or "ContainsKey" or "ContainsValue" or "TryGetValue" or "IndexOf" or "LastIndexOf" or "Find" or "FindAll"
                    or "FindIndex" or "FindLast" or "Exists" or "TrueForAll" or "GetEnumerator" or "ToArray" or "GetRange" or "GetValueOrDefault"
                    or "BinarySearch" or "CopyTo" or "AsReadOnly";
            }
        }
    }
}
