using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2007: inside an endpoint, work is started and not awaited (<c>Task.Run(...)</c> or <c>Task.Factory.StartNew</c>
    /// as a statement, <c>_ = DoAsync()</c>, a task-returning call as a statement, a task local nobody reads) and that
    /// work uses a request-scoped service: a DbContext, the HttpContext (or its Request/Response), the request's
    /// IServiceProvider, or a service the endpoint got from DI (a controller field or primary-constructor parameter, a
    /// handler parameter) whose type is an interface of the application not registered as a singleton. The work
    /// outlives the request and its scope: the services are disposed under it. Work that creates its own scope
    /// (IServiceScopeFactory.CreateScope/CreateAsyncScope) or goes to a queue or channel is left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class FireAndForgetCapturesRequestServicesAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.FireAndForgetCapturesRequestServices,
            title: "Fire-and-forget work captures request services",
            messageFormat: "Work started here is not awaited and uses '{0}', which belongs to the request; it can run after the request ends and its services are disposed",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "Request-scoped services (the DbContext, the HttpContext, scoped services from DI) are disposed when the request ends. Work that is started and not awaited keeps using them afterwards: ObjectDisposedException, a recycled HttpContext, or two threads on one DbContext. Await the work, or hand it to a background queue whose worker creates its own scope.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasAspNetCore || types.Task is null)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var analyzer = new Analyzer(new EndpointModel(types, bodies), bodies);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly FunctionBodies _bodies;
            private readonly KnownTypes _types;
            private ImmutableHashSet<ITypeSymbol>? _singletons;

            public Analyzer(EndpointModel endpoints, FunctionBodies bodies)
            {
                _endpoints = endpoints;
                _bodies = bodies;
                _types = endpoints.Types;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                if (!invocation.TargetMethod.ReturnType.IsTaskLike(_types) || !IsNotAwaited(invocation))
                {
                    return;
                }

                var endpoint = _endpoints.GetEnclosingEndpoint(invocation, context.ContainingSymbol, out _, context.CancellationToken);
                if (endpoint is null)
                {
                    return;
                }

                var used = IsTaskRun(invocation)
                    ? FindInStartedWork(invocation, endpoint, context.CancellationToken)
                    : FindInCall(invocation, endpoint, context.CancellationToken);
                if (used is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), used));
                }
            }

            /// <summary>A statement on its own, a discard, a local nobody reads, or the receiver of ConfigureAwait/ContinueWith used so.</summary>
            private static bool IsNotAwaited(IInvocationOperation invocation)
            {
                IOperation current = invocation;
                while (current.Parent is IConversionOperation or IParenthesizedOperation
                    || current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "ContinueWith" } chained && chained.Instance == current)
                {
                    current = current.Parent;
                }

                switch (current.Parent)
                {
                    case IExpressionStatementOperation:
                        return true;
                    case ISimpleAssignmentOperation { Target: IDiscardOperation } assignment when assignment.Parent is IExpressionStatementOperation:
                        return true;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return !IsReadLater(declarator.Symbol, current);
                    default:
                        return false;
                }
            }

            private static bool IsReadLater(ILocalSymbol local, IOperation operation)
            {
                foreach (var descendant in operation.GetRoot().Descendants())
                {
                    if (descendant is ILocalReferenceOperation reference && reference.Local.IsSame(local))
                    {
                        return true;
                    }
                }

                return false;
            }

            private bool IsTaskRun(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                return method.Name == "Run" && method.ContainingType.IsSame(_types.Task)
                    || method.Name == "StartNew" && method.ContainingType.OriginalDefinition is { } factory && factory.Name == "TaskFactory" && factory.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";
            }

            /// <summary>Task.Run(() => ...): the request-scoped service the delegate uses, if any.</summary>
            private string? FindInStartedWork(IInvocationOperation invocation, Endpoint endpoint, CancellationToken cancellationToken)
            {
                foreach (var argument in invocation.Arguments)
                {
                    var value = argument.Value.WalkDownConversion();
                    if (value is IDelegateCreationOperation creation)
                    {
                        value = creation.Target.WalkDownConversion();
                    }

                    switch (value)
                    {
                        case IAnonymousFunctionOperation lambda:
                            return FindInWork(lambda.Body, endpoint, cancellationToken);
                        case IMethodReferenceOperation reference when reference.Instance is null or IInstanceReferenceOperation:
                            var body = _bodies.GetBody(reference.Method, cancellationToken);
                            return body is null ? null : FindInWork(body, endpoint, cancellationToken);
                    }
                }

                return null;
            }

            /// <summary>
            /// _ = DoAsync(...): the call runs on after the request. A request-scoped receiver or argument (_db.SaveChangesAsync(),
            /// _mailer.SendAsync(...), Notify(HttpContext)), or a method of the same class whose body uses the class's
            /// request-scoped services.
            /// </summary>
            private string? FindInCall(IInvocationOperation invocation, Endpoint endpoint, CancellationToken cancellationToken)
            {
                if (GoesToQueue(invocation))
                {
                    return null;
                }

                var receiver = invocation.GetReceiverOrThisArgument();
                if (receiver is not null && invocation.Instance is not IInstanceReferenceOperation && RequestScopedName(RootOf(receiver), endpoint, work: null, cancellationToken) is { } onReceiver)
                {
                    return onReceiver;
                }

                foreach (var argument in invocation.Arguments)
                {
                    // A token from the request (HttpContext.RequestAborted) is a value, not a service.
                    if (argument.Value == receiver || argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Value.Type.IsSame(_types.CancellationToken))
                    {
                        continue;
                    }

                    // Arguments are evaluated now; what the call keeps is the values: a service passed along, or a lambda run later.
                    var value = argument.Value.WalkDownConversion();
                    if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation deferred })
                    {
                        if (FindInWork(deferred.Body, endpoint, cancellationToken) is { } inLambda)
                        {
                            return inLambda;
                        }
                    }
                    else if (RequestScopedName(value, endpoint, work: null, cancellationToken) is { } inArgument)
                    {
                        return inArgument;
                    }
                }

                // A method of the endpoint's own class: what does its body use?
                var method = invocation.TargetMethod;
                if ((invocation.Instance is null or IInstanceReferenceOperation) && method.ContainingType.IsSame(endpoint.Handler.ContainingType) && !method.IsStatic
                    && _bodies.GetBody(method, cancellationToken) is { } body)
                {
                    return FindInWork(body, endpoint, cancellationToken);
                }

                return null;
            }

            private bool GoesToQueue(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                if (method.ContainingType.OriginalDefinition.IsSame(_types.ChannelWriterOfT))
                {
                    return true;
                }

                var receiverType = invocation.GetReceiverOrThisArgument()?.Type?.Name ?? string.Empty;
                return method.Name.IndexOf("Queue", StringComparison.Ordinal) >= 0 || method.Name.IndexOf("Enqueue", StringComparison.Ordinal) >= 0
                    || receiverType.IndexOf("Queue", StringComparison.Ordinal) >= 0 || receiverType.IndexOf("Channel", StringComparison.Ordinal) >= 0;
            }

            private static IOperation RootOf(IOperation receiver)
            {
                var current = receiver.WalkDownConversion();
                while (true)
                {
                    switch (current)
                    {
                        case IPropertyReferenceOperation { Instance: { } instance } property when !IsThis(instance) && property.Property.Name != "HttpContext":
                            current = instance.WalkDownConversion();
                            continue;
                        case IFieldReferenceOperation { Instance: { } instance } when !IsThis(instance):
                            current = instance.WalkDownConversion();
                            continue;
                        case IInvocationOperation call when call.GetReceiverOrThisArgument() is { } source && !IsThis(source):
                            // _db.Patients.Where(...).ExecuteDeleteAsync(): the chain starts at _db.
                            current = source.WalkDownConversion();
                            continue;
                        default:
                            return current;
                    }
                }
            }

            private static bool IsThis(IOperation operation) => operation is IInstanceReferenceOperation;

            /// <summary>The first request-scoped service the work uses, unless the work creates its own scope.</summary>
            private string? FindInWork(IOperation work, Endpoint endpoint, CancellationToken cancellationToken)
            {
                string? found = null;
                foreach (var operation in work.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "CreateScope" or "CreateAsyncScope" } create && CreatesScope(create))
                    {
                        return null;
                    }

                    found ??= RequestScopedName(operation, endpoint, work, cancellationToken);
                }

                return found;
            }

            private bool CreatesScope(IInvocationOperation invocation)
            {
                var type = invocation.TargetMethod.ContainingType;
                return type.IsOrImplements(_types.IServiceScopeFactory) || type.IsSame(_types.ServiceProviderServiceExtensions);
            }

            /// <summary>The name to show when the operation is a reference to something that belongs to the request.</summary>
            private string? RequestScopedName(IOperation operation, Endpoint endpoint, IOperation? work, CancellationToken cancellationToken)
            {
                switch (operation)
                {
                    case IFieldReferenceOperation { Field.IsStatic: false, Instance: IInstanceReferenceOperation } field when IsScopedServiceType(field.Type, cancellationToken):
                        return field.Field.Name;
                    case IPropertyReferenceOperation { Property.IsStatic: false, Instance: IInstanceReferenceOperation } property
                        when IsRequestType(property.Type) || property.Property.ContainingType.IsSame(endpoint.Handler.ContainingType) && IsScopedServiceType(property.Type, cancellationToken):
                        return property.Property.Name;
                    case IParameterReferenceOperation parameter when IsCapturedFromEndpoint(parameter.Parameter, endpoint, work)
                        && (IsRequestType(parameter.Type) || IsScopedServiceType(parameter.Type, cancellationToken)):
                        return parameter.Parameter.Name;
                    case ILocalReferenceOperation local when (work is null || !IsDeclaredInside(local.Local, work))
                        && (IsRequestType(local.Type) || local.Type.InheritsFromOrEquals(_types.DbContext)):
                        return local.Local.Name;
                    default:
                        return null;
                }
            }

            /// <summary>A handler parameter, or a primary-constructor parameter of the controller, used from outside the work.</summary>
            private static bool IsCapturedFromEndpoint(IParameterSymbol parameter, Endpoint endpoint, IOperation? work)
            {
                var owner = parameter.ContainingSymbol;
                if (owner.IsSame(endpoint.Handler))
                {
                    return true;
                }

                return owner is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor && constructor.ContainingType.IsSame(endpoint.Handler.ContainingType)
                    && (work is null || !work.Syntax.Span.Contains(parameter.Locations.Length > 0 ? parameter.Locations[0].SourceSpan : default));
            }

            private static bool IsDeclaredInside(ILocalSymbol local, IOperation work)
            {
                foreach (var reference in local.DeclaringSyntaxReferences)
                {
                    if (reference.SyntaxTree == work.Syntax.SyntaxTree && work.Syntax.Span.Contains(reference.Span))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>HttpContext, HttpRequest, HttpResponse and DbContexts: request-scoped whatever their registration.</summary>
            private bool IsRequestType(ITypeSymbol? type) =>
                type is not null && (type.InheritsFromOrEquals(_types.HttpContext) || type.InheritsFromOrEquals(_types.HttpRequest)
                    || type.InheritsFromOrEquals(_types.HttpResponse) || type.InheritsFromOrEquals(_types.DbContext));

            /// <summary>
            /// A service injected for the request: a DbContext, the request's IServiceProvider, or an interface declared in
            /// the application that is not registered as a singleton. Framework interfaces (ILogger, IOptions,
            /// IHttpClientFactory, IMemoryCache, IServiceScopeFactory, ...) are singletons.
            /// </summary>
            private bool IsScopedServiceType(ITypeSymbol? type, CancellationToken cancellationToken)
            {
                if (type is null || type.TypeKind == TypeKind.Error)
                {
                    return false;
                }

                if (type.InheritsFromOrEquals(_types.DbContext) || type.IsSame(_types.IServiceProvider) || IsRequestType(type))
                {
                    return true;
                }

                return type.TypeKind == TypeKind.Interface && type.IsInSource() && !type.Name.Contains("Queue") && !GetSingletons(cancellationToken).Contains(type.OriginalDefinition);
            }

            /// <summary>Service types registered with AddSingleton/TryAddSingleton anywhere in the compilation, read once.</summary>
            private ImmutableHashSet<ITypeSymbol> GetSingletons(CancellationToken cancellationToken)
            {
                if (_singletons is { } known)
                {
                    return known;
                }

                var builder = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
                foreach (var tree in _types.Compilation.SyntaxTrees)
                {
                    SemanticModel? model = null;
                    foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                    {
                        if (node is not InvocationExpressionSyntax call || !(call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddSingleton" or "TryAddSingleton" }))
                        {
                            continue;
                        }

                        model ??= _bodies.GetSemanticModel(tree);
                        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation registration)
                        {
                            continue;
                        }

                        if (registration.TargetMethod.TypeArguments.Length > 0)
                        {
                            builder.Add(registration.TargetMethod.TypeArguments[0].OriginalDefinition);
                        }

                        foreach (var argument in registration.Arguments)
                        {
                            if (argument.Value.WalkDownConversion() is ITypeOfOperation typeOf)
                            {
                                builder.Add(typeOf.TypeOperand.OriginalDefinition);
                                break;
                            }
                        }
                    }
                }

                var singletons = builder.ToImmutable();
                Interlocked.CompareExchange(ref _singletons, singletons, null);
                return _singletons!;
            }
        }
    }
}
