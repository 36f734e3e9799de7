using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5001: a POST, PUT, PATCH or DELETE endpoint that no authorization requirement reaches ([Authorize] on the
    /// action, controller or a base class; RequireAuthorization on the endpoint, a group it is mapped into, or
    /// MapControllers(); a global AuthorizeFilter; a fallback policy), in an application that uses authorization
    /// somewhere. [AllowAnonymous] and AllowAnonymous() are a stated choice and are not reported.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MutatingEndpointAllowsAnonymousAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: <see cref="KindController"/> or <see cref="KindMinimalApi"/>, for the fix.</summary>
        public const string KindProperty = "Kind";

        public const string KindController = "Controller";
        public const string KindMinimalApi = "MinimalApi";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.MutatingEndpointAllowsAnonymous,
            title: "Mutating endpoint allows anonymous access",
            messageFormat: "The {0} endpoint '{1}' changes data but no authorization applies to it; require authorization, or mark it [AllowAnonymous] if it is meant to be public",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "In an application that authenticates its users, an endpoint that creates, changes or deletes data without an [Authorize] attribute, a RequireAuthorization call, a global filter or a fallback policy can be called by anyone. Authorization in ASP.NET Core is opt-in per endpoint: a forgotten attribute is an open door. Mark endpoints that are public on purpose with [AllowAnonymous].");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        // Each file's authorization facts, kept for the analyzer's lifetime: after an edit only the edited file is read again.
        private readonly SyntaxTreeValueProvider<AuthorizationModel.FileFacts> _authorizationFacts = AuthorizationModel.FileFacts.CreateProvider();

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var endpoints = new EndpointModel(types);
                var authorization = new AuthorizationModel(
                    types,
                    tree => start.TryGetValue(tree, _authorizationFacts, out var facts) ? facts : AuthorizationModel.FileFacts.Read(tree, start.CancellationToken),
                    start.CancellationToken);
                if (!endpoints.IsEnabled || !authorization.IsEnabled)
                {
                    return;
                }

                var analyzer = new Analyzer(endpoints, authorization);
                if (types.ControllerBase is not null)
                {
                    start.RegisterSymbolAction(analyzer.AnalyzeMethod, SymbolKind.Method);
                }

                if (types.EndpointRouteBuilderExtensions is not null)
                {
                    start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
                }
            });
        }

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly AuthorizationModel _authorization;

            public Analyzer(EndpointModel endpoints, AuthorizationModel authorization)
            {
                _endpoints = endpoints;
                _authorization = authorization;
            }

            public void AnalyzeMethod(SymbolAnalysisContext context)
            {
                var method = (IMethodSymbol)context.Symbol;
                if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Public || method.Locations.Length == 0)
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint is null || !endpoint.IsMutating || !_authorization.UsesAuthorization || _authorization.IsControllerActionCovered(method))
                {
                    return;
                }

                var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, KindController);
                context.ReportDiagnostic(Diagnostic.Create(Rule, method.Locations[0], properties, Verbs(endpoint), method.ContainingType.Name + "." + method.Name));
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                if (!EndpointModel.IsMapMethodName(invocation.TargetMethod.Name))
                {
                    return;
                }

                var endpoint = _endpoints.GetMinimalApiEndpoint(invocation, context.CancellationToken);
                if (endpoint is null || !endpoint.IsMutating || !_authorization.UsesAuthorization || _authorization.IsMinimalApiCovered(invocation, endpoint.Handler))
                {
                    return;
                }

                var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                    ? access.Name.GetLocation()
                    : invocation.Syntax.GetLocation();
                var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, KindMinimalApi);
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, Verbs(endpoint), endpoint.RouteTemplate ?? invocation.TargetMethod.Name));
            }

            private static string Verbs(Endpoint endpoint) => string.Join("/", endpoint.HttpMethods);
        }
    }
}
