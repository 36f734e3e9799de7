using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Validation
{
    /// <summary>
    /// BA1002: an endpoint parameter bound from the body or form (or by MVC model binding) has an EF Core entity type
    /// (a DbSet&lt;T&gt; of a DbContext, or configured with Entity&lt;T&gt;() / IEntityTypeConfiguration&lt;T&gt;), alone or
    /// as the element of a collection: the client can set every column, keys and navigations included (over-posting).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EntityBoundAsRequestModelAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.EntityBoundAsRequestModel,
            title: "EF Core entity bound as request model",
            messageFormat: "Parameter '{0}' binds the EF Core entity '{1}' from the request; bind a request model with only the fields a client may set and map it to the entity",
            RuleCategories.Validation,
            DiagnosticSeverity.Warning,
            description: "Binding an entity from the request lets the client set any of its properties, including keys, foreign keys, audit columns and navigations (over-posting), and ties the API contract to the database schema. Bind a dedicated request model and copy the allowed fields.");

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
                var analyzer = new Analyzer(endpoints, efModel);
                if (types.ControllerBase is not null)
                {
                    start.RegisterSymbolAction(analyzer.AnalyzeMethod, SymbolKind.Method);
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

            public Analyzer(EndpointModel endpoints, Lazy<EfModel> efModel)
            {
                _endpoints = endpoints;
                _efModel = efModel;
            }

            public void AnalyzeMethod(SymbolAnalysisContext context)
            {
                var method = (IMethodSymbol)context.Symbol;
                if (method.Parameters.Length == 0 || method.MethodKind != MethodKind.Ordinary || !_endpoints.IsControllerType(method.ContainingType))
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint is not null)
                {
                    Analyze(endpoint, context.ReportDiagnostic);
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
                if (endpoint is not null)
                {
                    Analyze(endpoint, context.ReportDiagnostic);
                }
            }

            private void Analyze(Endpoint endpoint, Action<Diagnostic> report)
            {
                foreach (var parameter in endpoint.Parameters)
                {
                    if (!parameter.IsRequestModel || parameter.Parameter.Locations.Length == 0 || !parameter.Parameter.Locations[0].IsInSource)
                    {
                        continue;
                    }

                    var entity = EntityOf(parameter.Parameter.Type);
                    if (entity is not null)
                    {
                        report(Diagnostic.Create(Rule, parameter.Parameter.Locations[0], parameter.Parameter.Name, entity.Name));
                    }
                }
            }

            /// <summary>The entity type itself, or the element of an array or collection of entities.</summary>
            private ITypeSymbol? EntityOf(ITypeSymbol type)
            {
                var model = _efModel.Value;
                if (model.IsEntity(type))
                {
                    return type;
                }

                var element = type switch
                {
                    IArrayTypeSymbol array => array.ElementType,
                    INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named when type.SpecialType != SpecialType.System_String
                        => named.GetGenericInterfaceArgument(_endpoints.Types.IEnumerableOfT),
                    _ => null,
                };
                return element is not null && model.IsEntity(element) ? element : null;
            }
        }
    }
}
