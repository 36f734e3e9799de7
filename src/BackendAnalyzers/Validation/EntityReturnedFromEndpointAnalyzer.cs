using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Validation
{
    /// <summary>
    /// BA1003: an endpoint returns an EF Core entity, or a collection or query of entities: directly, as
    /// ActionResult&lt;T&gt;, through a Task, or as the payload of Ok(...)/Results.Ok(...)/TypedResults.Ok(...) and the
    /// other success results. Reported once per endpoint, on the first return that does it.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EntityReturnedFromEndpointAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.EntityReturnedFromEndpoint,
            title: "EF Core entity returned from endpoint",
            messageFormat: "The endpoint returns the EF Core entity '{0}'{1}; return a response model (project with Select) instead",
            RuleCategories.Validation,
            DiagnosticSeverity.Info,
            description: "Serializing entities exposes every column (internal flags, foreign keys, data the client should not see), can loop or explode through navigation properties, and couples the API contract to the database schema. Project the query to a response model.");

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
                var endpoints = new EndpointModel(types);
                if (!types.HasEntityFramework || !endpoints.IsEnabled)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var efModel = EfFileFacts.LazyModel(start, types, bodies, _efFacts);
                var analyzer = new Analyzer(endpoints, efModel, bodies);
                if (types.ControllerBase is not null)
                {
                    start.RegisterSymbolStartAction(
                        symbolStart =>
                        {
                            if (endpoints.IsControllerType((INamedTypeSymbol)symbolStart.Symbol))
                            {
                                symbolStart.RegisterOperationBlockAction(analyzer.AnalyzeAction);
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

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly Lazy<EfModel> _efModel;
            private readonly FunctionBodies _bodies;
            private readonly KnownTypes _types;

            public Analyzer(EndpointModel endpoints, Lazy<EfModel> efModel, FunctionBodies bodies)
            {
                _endpoints = endpoints;
                _efModel = efModel;
                _bodies = bodies;
                _types = endpoints.Types;
            }

            public void AnalyzeAction(OperationBlockAnalysisContext context)
            {
                if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || method.ReturnsVoid)
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint is null)
                {
                    return;
                }

                foreach (var block in context.OperationBlocks)
                {
                    if (block.Kind is OperationKind.Block or OperationKind.MethodBody && Analyze(block, reportOn: null, context.ReportDiagnostic))
                    {
                        return;
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
                if (endpoint?.HandlerArgument is null || endpoint.Handler.ReturnsVoid)
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
                    Analyze(lambda.Body, reportOn: null, context.ReportDiagnostic);
                }
                else if (handler is IMethodReferenceOperation && _bodies.GetBody(endpoint.Handler, context.CancellationToken) is { } body)
                {
                    // The handler is declared elsewhere: report where it is mapped, once per mapping.
                    Analyze(body, reportOn: handler, context.ReportDiagnostic);
                }
            }

            private bool Analyze(IOperation body, IOperation? reportOn, Action<Diagnostic> report)
            {
                // The first return in source order, so the report does not move between runs.
                foreach (var ret in body.GetOwnReturns().OrderBy(r => r.Syntax.SpanStart))
                {
                    if (Find(ret.ReturnedValue!, 0) is { } found)
                    {
                        var (value, entity, collection) = found;
                        report(Diagnostic.Create(Rule, (reportOn ?? value).Syntax.GetLocation(), entity.Name, collection ? " (a collection of them)" : string.Empty));
                        return true;
                    }
                }

                return false;
            }

            /// <summary>The returned value, or a branch of a conditional, switch or ?? expression, that carries an entity.</summary>
            private (IOperation Value, ITypeSymbol Entity, bool Collection)? Find(IOperation returned, int depth)
            {
                var value = _endpoints.UnwrapResponseValue(returned);
                switch (value)
                {
                    case IConditionalOperation conditional when depth < 4:
                        return Find(conditional.WhenTrue, depth + 1) ?? (conditional.WhenFalse is { } whenFalse ? Find(whenFalse, depth + 1) : null);
                    case ICoalesceOperation coalesce when depth < 4:
                        return Find(coalesce.Value, depth + 1) ?? Find(coalesce.WhenNull, depth + 1);
                    case ISwitchExpressionOperation switchExpression when depth < 4:
                        foreach (var arm in switchExpression.Arms)
                        {
                            if (Find(arm.Value, depth + 1) is { } inArm)
                            {
                                return inArm;
                            }
                        }

                        return null;
                }

                var entity = EntityIn(value.Type, out var collection);
                if (entity is null)
                {
                    return null;
                }

                // Report on the whole returned expression (await included) unless a result factory wraps the payload.
                var plain = returned.WalkDownConversion();
                return (ReferenceEquals(plain.WalkDownConversionAndAwait(), value) ? plain : value, entity, collection);
            }

            /// <summary>The entity an endpoint result carries: the type itself, Task/ActionResult of it, or the element of an array, collection or query.</summary>
            private ITypeSymbol? EntityIn(ITypeSymbol? type, out bool collection)
            {
                collection = false;
                var model = _efModel.Value;
                for (var guard = 0; guard < 4 && type is not null; guard++)
                {
                    type = type.UnwrapTask(_types);
                    if (type is null || type.SpecialType == SpecialType.System_String)
                    {
                        return null;
                    }

                    if (model.IsEntity(type))
                    {
                        return type;
                    }

                    if (type is IArrayTypeSymbol array)
                    {
                        collection = true;
                        type = array.ElementType;
                        continue;
                    }

                    if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
                    {
                        return null;
                    }

                    if (named.OriginalDefinition.IsSame(_types.ActionResultOfT))
                    {
                        type = named.TypeArguments[0];
                        continue;
                    }

                    var element = named.GetGenericInterfaceArgument(_types.IEnumerableOfT) ?? named.GetGenericInterfaceArgument(_types.IAsyncEnumerableOfT);
                    if (element is null)
                    {
                        return null;
                    }

                    collection = true;
                    type = element;
                }

                return null;
            }
        }
    }
}
