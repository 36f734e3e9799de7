using System;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Integration
{
    /// <summary>
    /// BA6001: <c>new HttpClient(...)</c> on every call of a method in an ASP.NET Core or worker project. Each
    /// instance owns its own connection pool: under load the sockets pile up in TIME_WAIT, and a client that is
    /// kept never sees DNS changes. Shared clients (static members, static constructors, singleton registrations)
    /// and test projects are left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HttpClientCreatedPerCallAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.HttpClientCreatedPerCall,
            title: "HttpClient created per call",
            messageFormat: "A new HttpClient is created {0}; inject IHttpClientFactory or a typed client (AddHttpClient), or share one long-lived instance",
            RuleCategories.Integration,
            DiagnosticSeverity.Warning,
            description: "Every HttpClient has its own connection pool. Creating one per call or per request exhausts sockets under load (closed connections linger in TIME_WAIT) and a client kept for long never picks up DNS changes. IHttpClientFactory pools and recycles handlers; a typed client gets one injected.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.HttpClient is null || !IsBackend(types) || IsTestProject(start.Compilation))
                {
                    return;
                }

                var analyzer = new Analyzer(types, new EndpointModel(types));
                start.RegisterOperationAction(analyzer.AnalyzeCreation, OperationKind.ObjectCreation);
            });
        }

        /// <summary>ASP.NET Core apps and worker services (Microsoft.Extensions.Hosting) are backends; libraries and tools are not judged.</summary>
        private static bool IsBackend(KnownTypes types) => types.HasAspNetCore || types.IHostedService is not null;

        /// <summary>
        /// A test project references a test framework (xUnit, NUnit, MSTest) or is named like one (ends with Test or Tests).
        /// Tests create throwaway clients on purpose.
        /// </summary>
        internal static bool IsTestProject(Compilation compilation) => ProjectKinds.IsTestProject(compilation);

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;
            private readonly EndpointModel _endpoints;

            public Analyzer(KnownTypes types, EndpointModel endpoints)
            {
                _types = types;
                _endpoints = endpoints;
            }

            public void AnalyzeCreation(OperationAnalysisContext context)
            {
                var creation = (IObjectCreationOperation)context.Operation;
                if (!creation.Type.InheritsFromOrEquals(_types.HttpClient) || UsesSharedHandler(creation))
                {
                    return;
                }

                var containingType = context.ContainingSymbol.ContainingType;
                if (containingType is null || containingType.IsOrImplements(_types.IHttpClientFactory))
                {
                    return; // a factory of its own makes clients on request, that is its job
                }

                string? when;
                switch (context.ContainingSymbol)
                {
                    case IFieldSymbol or IPropertySymbol:
                        // An initializer runs once per instance; a controller instance lives for one request.
                        when = !context.ContainingSymbol.IsStatic && IsPerRequestType(containingType) && !IsInsideFunction(creation)
                            ? "for every controller instance (every request)"
                            : null;
                        break;
                    case IMethodSymbol method:
                        when = ClassifyInMethod(creation, method);
                        break;
                    default:
                        when = null;
                        break;
                }

                if (when is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), when));
                }
            }

            /// <summary>Returns how often the creation runs, or null when it runs once (startup, static, singleton).</summary>
            private string? ClassifyInMethod(IObjectCreationOperation creation, IMethodSymbol method)
            {
                var insideFunction = false;
                var insideLoop = false;
                IOperation child = creation;
                for (var current = creation.Parent; current is not null; child = current, current = current.Parent)
                {
                    switch (current)
                    {
                        case IArgumentOperation { Parent: IInvocationOperation invocation } when IsSingletonRegistration(invocation):
                            return null;
                        case IArgumentOperation { Parent: IObjectCreationOperation lazy } when IsLazyOfHttpClient(lazy) && IsStoredInStaticMember(lazy):
                            return null;
                        case IAssignmentOperation assignment when ReferenceEquals(child, assignment.Value) && IsStaticMember(assignment.Target):
                            return null; // static client initialized lazily: _client ??= new HttpClient()
                        case ILoopOperation:
                            insideLoop = true;
                            break;
                        case IAnonymousFunctionOperation:
                        case ILocalFunctionOperation:
                            insideFunction = true;
                            break;
                    }
                }

                if (!insideFunction && method.MethodKind != MethodKind.PropertyGet && IsReturned(creation))
                {
                    return null; // a factory method: whoever calls it decides how long the client lives
                }

                if (insideFunction)
                {
                    return "every time the enclosing function runs";
                }

                switch (method.MethodKind)
                {
                    case MethodKind.StaticConstructor:
                        return null;
                    case MethodKind.Constructor:
                        return IsPerRequestType(method.ContainingType) ? "for every controller instance (every request)" : null;
                }

                if (IsEntryPoint(method))
                {
                    return null; // Program.Main and top-level statements run once
                }

                if (IsHostedServiceEntry(method) && !insideLoop)
                {
                    return null; // ExecuteAsync/StartAsync of a hosted service runs once per application
                }

                // Accessors are named after their property: "every call of 'Clients.Current'".
                var name = method.AssociatedSymbol is IPropertySymbol property && method.ContainingType is { } type
                    ? type.Name + "." + property.Name
                    : method.ToDisplayName();
                return "on every call of '" + name + "'";
            }

            /// <summary>The client is the value the function returns, directly or through a local.</summary>
            private static bool IsReturned(IObjectCreationOperation creation)
            {
                IOperation child = creation;
                var current = creation.Parent;
                while (current is IConversionOperation or IParenthesizedOperation)
                {
                    child = current;
                    current = current.Parent;
                }

                if (current is IReturnOperation)
                {
                    return true;
                }

                if (current is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
                {
                    return false;
                }

                var function = creation.GetEnclosingFunction();
                if (function is null)
                {
                    return false;
                }

                foreach (var operation in function.DescendantsInSameFunction())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } returned }
                        && returned.WalkDownConversion() is ILocalReferenceOperation local
                        && local.Local.IsSame(declarator.Symbol))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsInsideFunction(IOperation operation)
            {
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return true;
                    }
                }

                return false;
            }

            private bool IsPerRequestType(INamedTypeSymbol? type) => type is not null && _endpoints.IsControllerType(type);

            private static bool IsEntryPoint(IMethodSymbol method) =>
                method.IsStatic && (method.Name == "Main" || method.Name == "<Main>$");

            private bool IsHostedServiceEntry(IMethodSymbol method)
            {
                var type = method.ContainingType;
                if (type is null)
                {
                    return false;
                }

                return method.Name == "ExecuteAsync" && type.InheritsFromOrEquals(_types.BackgroundService)
                    || method.Name == "StartAsync" && type.IsOrImplements(_types.IHostedService);
            }

            private static bool UsesSharedHandler(IObjectCreationOperation creation)
            {
                // new HttpClient(sharedHandler, disposeHandler: false) is how pooled handlers are used: the handler
                // owns the connections, not the short-lived client.
                var constructor = creation.Constructor;
                if (constructor is null || constructor.Parameters.Length != 2)
                {
                    return false;
                }

                IOperation? handler = null;
                var keepsHandler = false;
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter?.Ordinal == 0)
                    {
                        handler = argument.Value.WalkDownConversion();
                    }
                    else if (argument.Parameter?.Ordinal == 1)
                    {
                        keepsHandler = argument.Value.ConstantValue is { HasValue: true, Value: false };
                    }
                }

                return keepsHandler && handler is not null && handler is not IObjectCreationOperation;
            }

            private bool IsSingletonRegistration(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                switch (method.Name)
                {
                    case "AddSingleton":
                    case "TryAddSingleton":
                    case "AddKeyedSingleton":
                    case "TryAddKeyedSingleton":
                    case "Singleton":
                    case "KeyedSingleton":
                        break;
                    default:
                        return false;
                }

                var containing = method.ContainingType;
                return containing.IsSame(_types.ServiceCollectionServiceExtensions)
                    || containing.IsSame(_types.ServiceCollectionDescriptorExtensions)
                    || containing.IsSame(_types.ServiceDescriptor);
            }

            private bool IsLazyOfHttpClient(IObjectCreationOperation creation) =>
                creation.Type is INamedTypeSymbol { Name: "Lazy", IsGenericType: true } lazy
                && lazy.ContainingNamespace?.Name == "System"
                && lazy.TypeArguments.Length == 1
                && lazy.TypeArguments[0].InheritsFromOrEquals(_types.HttpClient);

            private static bool IsStoredInStaticMember(IOperation value)
            {
                IOperation child = value;
                var current = value.Parent;
                while (current is IConversionOperation)
                {
                    child = current;
                    current = current.Parent;
                }

                return current is IAssignmentOperation assignment && ReferenceEquals(assignment.Value, child) && IsStaticMember(assignment.Target);
            }

            private static bool IsStaticMember(IOperation target) => target switch
            {
                IFieldReferenceOperation field => field.Field.IsStatic,
                IPropertyReferenceOperation property => property.Property.IsStatic,
                _ => false,
            };
        }
    }
}
