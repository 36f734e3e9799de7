using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2005: <c>.Result</c>, <c>.Wait()</c> or <c>.GetAwaiter().GetResult()</c> on a Task/ValueTask in code that runs
    /// per request or in a hosted service: endpoints (controller actions and their helpers, minimal API handlers),
    /// middleware (Invoke/InvokeAsync(HttpContext), IMiddleware, inline <c>app.Use</c> lambdas), MVC and endpoint
    /// filters, IExceptionHandler implementations, BackgroundService/IHostedService implementations. Reading the result
    /// of a task that is already complete (after <c>await t</c>, <c>await Task.WhenAll(..t..)</c>, a
    /// <c>t.IsCompleted*</c> check, or from <c>await Task.WhenAny</c>) is not blocking and is left alone, as are Main
    /// and static constructors.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BlockingOnAsyncAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: which fix applies: <see cref="FixAwait"/>, <see cref="FixMakeAsync"/> or absent.</summary>
        public const string FixProperty = "Fix";

        /// <summary>The enclosing function is already async: replace the blocking call by <c>await</c>.</summary>
        public const string FixAwait = "Await";

        /// <summary>The enclosing function is an endpoint that is not async yet: make it async, then await.</summary>
        public const string FixMakeAsync = "MakeAsync";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.BlockingOnAsync,
            title: "Blocking on async code in a request path",
            messageFormat: "'{0}' blocks a thread until the task completes, in {1}; await the task instead",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "Blocking on a Task (.Result, .Wait(), .GetAwaiter().GetResult()) holds a thread-pool thread for the whole wait. Under load the pool runs out of threads, requests queue up and the server stops responding (thread-pool starvation). Await the task and make the method async.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.Task is null || !types.HasAspNetCore && types.IHostedService is null)
                {
                    return;
                }

                var analyzer = new Analyzer(new EndpointModel(types, new FunctionBodies(start.Compilation)));
                start.RegisterOperationAction(analyzer.AnalyzeBlockingCandidate, OperationKind.PropertyReference, OperationKind.Invocation);
            });
        }

        private enum PathKind
        {
            None,
            Endpoint,
            Controller,
            Middleware,
            Filter,
            ExceptionHandler,
            HostedService,
        }

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly KnownTypes _types;
            private readonly ConcurrentDictionary<INamedTypeSymbol, PathKind> _typeKinds = new ConcurrentDictionary<INamedTypeSymbol, PathKind>(SymbolEqualityComparer.Default);

            public Analyzer(EndpointModel endpoints)
            {
                _endpoints = endpoints;
                _types = endpoints.Types;
            }

            public void AnalyzeBlockingCandidate(OperationAnalysisContext context)
            {
                var blocking = GetBlocking(context.Operation);
                if (blocking is null)
                {
                    return;
                }

                var (kind, name, endpointIsInnermost) = Classify(context.Operation, context.ContainingSymbol, context.CancellationToken);
                if (kind == PathKind.None || IsCompletedTask(blocking.Value.Task, context.Operation))
                {
                    return;
                }

                Report(context.ReportDiagnostic, context.Operation, context.ContainingSymbol, blocking.Value.Display, Describe(kind, name), canMakeAsync: kind == PathKind.Endpoint && endpointIsInnermost, blocking.Value.Fixable);
            }

            private static void Report(Action<Diagnostic> report, IOperation operation, ISymbol member, string display, string where, bool canMakeAsync, bool fixable)
            {
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (fixable && !IsInsideLock(operation))
                {
                    var function = GetInnermostFunction(operation, member);
                    if (function is not null && function.IsAsync)
                    {
                        properties = properties.Add(FixProperty, FixAwait);
                    }
                    else if (function is not null && canMakeAsync && CanBecomeAsync(function, operation))
                    {
                        properties = properties.Add(FixProperty, FixMakeAsync);
                    }
                }

                report(Diagnostic.Create(Rule, operation.Syntax.GetLocation(), properties, display, where));
            }

            private static string Describe(PathKind kind, string name) => kind switch
            {
                PathKind.Endpoint => "the endpoint '" + name + "'",
                PathKind.Controller => "the controller '" + name + "'",
                PathKind.Middleware => "the middleware '" + name + "'",
                PathKind.Filter => "the filter '" + name + "'",
                PathKind.ExceptionHandler => "the exception handler '" + name + "'",
                _ => "the hosted service '" + name + "'",
            };

            /// <summary>The blocking access, the task it waits for, how the message shows it, and whether a plain await replaces it.</summary>
            private (IOperation Task, string Display, bool Fixable)? GetBlocking(IOperation operation)
            {
                switch (operation)
                {
                    case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } resultOf } property
                        when property.Property.ContainingType is { } type && (type.OriginalDefinition.IsSame(_types.TaskOfT) || type.OriginalDefinition.IsSame(_types.ValueTaskOfT)):
                        return (resultOf, ".Result", true);
                    case IInvocationOperation { TargetMethod.Name: "Wait", Instance: { } waitedFor } wait
                        when wait.TargetMethod.ContainingType.IsSame(_types.Task):
                        return (waitedFor, ".Wait()", wait.Arguments.Length == 0);
                    case IInvocationOperation { TargetMethod.Name: "GetResult", Instance: IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaited } } getResult
                        when IsAwaiter(getResult.TargetMethod.ContainingType):
                        var awaitedTask = awaited.WalkDownConversion();
                        if (awaitedTask is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
                        {
                            awaitedTask = configured;
                        }

                        return awaitedTask.Type.IsTaskLike(_types) ? (awaitedTask, ".GetAwaiter().GetResult()", true) : null;
                    default:
                        return null;
                }
            }

            private bool IsAwaiter(INamedTypeSymbol? type)
            {
                var original = type?.OriginalDefinition;
                return original is not null && (original.IsSame(_types.TaskAwaiter) || original.IsSame(_types.TaskAwaiterOfT)
                    || original.IsSame(_types.ValueTaskAwaiter) || original.IsSame(_types.ValueTaskAwaiterOfT)
                    || original.IsSame(_types.ConfiguredTaskAwaiter) || original.IsSame(_types.ConfiguredTaskAwaiterOfT)
                    || original.IsSame(_types.ConfiguredValueTaskAwaiter) || original.IsSame(_types.ConfiguredValueTaskAwaiterOfT));
            }

            private (PathKind Kind, string Name, bool EndpointIsInnermost) Classify(IOperation operation, ISymbol containingSymbol, CancellationToken cancellationToken)
            {
                var endpoint = _endpoints.GetEnclosingEndpoint(operation, containingSymbol, out var innermost, cancellationToken);
                if (endpoint is not null)
                {
                    return (PathKind.Endpoint, endpoint.Handler.MethodKind == MethodKind.AnonymousFunction ? GetRoute(endpoint) : endpoint.Handler.Name, innermost);
                }

                // Inline middleware and endpoint filters: app.Use(async (context, next) => ...), AddEndpointFilter(async (ctx, next) => ...).
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation lambda && TakesRequestContext(lambda.Symbol))
                    {
                        return (PathKind.Middleware, "inline lambda", false);
                    }
                }

                var member = containingSymbol;
                while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested)
                {
                    member = nested.ContainingSymbol;
                }

                if (member is not IMethodSymbol method)
                {
                    return (PathKind.None, string.Empty, false);
                }

                var (kind, name) = ClassifyMember(method);
                return (kind, name, false);
            }

            private static string GetRoute(Endpoint endpoint) => endpoint.RouteTemplate ?? endpoint.Handler.Name;

            private (PathKind Kind, string Name) ClassifyMember(IMethodSymbol method)
            {
                if (method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor
                    || method.IsStatic && method.Name is "Main" or "<Main>$" || method.ContainingType is null)
                {
                    return (PathKind.None, string.Empty);
                }

                var type = method.ContainingType;
                var kind = _typeKinds.GetOrAdd(type, ClassifyType);
                return (kind, type.Name);
            }

            private PathKind ClassifyType(INamedTypeSymbol type)
            {
                if (_endpoints.IsControllerType(type))
                {
                    return PathKind.Controller;
                }

                if (type.IsOrImplements(_types.IMiddleware) || IsConventionalMiddleware(type))
                {
                    return PathKind.Middleware;
                }

                if (type.IsOrImplements(_types.IFilterMetadata) || type.IsOrImplements(_types.IEndpointFilter))
                {
                    return PathKind.Filter;
                }

                if (type.IsOrImplements(_types.IExceptionHandler))
                {
                    return PathKind.ExceptionHandler;
                }

                if (type.InheritsFromOrEquals(_types.BackgroundService) || type.IsOrImplements(_types.IHostedService))
                {
                    return PathKind.HostedService;
                }

                return PathKind.None;
            }

            /// <summary>Convention-based middleware: a public Invoke/InvokeAsync whose first parameter is the HttpContext.</summary>
            private bool IsConventionalMiddleware(INamedTypeSymbol type)
            {
                foreach (var name in new[] { "Invoke", "InvokeAsync" })
                {
                    foreach (var member in type.GetMembers(name))
                    {
                        if (member is IMethodSymbol { IsStatic: false, Parameters.Length: > 0 } invoke && invoke.Parameters[0].Type.InheritsFromOrEquals(_types.HttpContext))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            private bool TakesRequestContext(IMethodSymbol lambda)
            {
                foreach (var parameter in lambda.Parameters)
                {
                    if (parameter.Type.InheritsFromOrEquals(_types.HttpContext) || parameter.Type.InheritsFromOrEquals(_types.EndpointFilterInvocationContext))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// Is the task known to be complete where its result is read? After <c>await t</c>, after
            /// <c>await Task.WhenAll(...)</c> over it (directly, or through a local array or list of tasks), after a
            /// <c>t.IsCompleted*</c>/<c>t.Status</c> check, or when it came from <c>await Task.WhenAny(...)</c>.
            /// </summary>
            private bool IsCompletedTask(IOperation task, IOperation blocking)
            {
                if (IsFromResult(task))
                {
                    return true; // Task.FromResult(x).Result
                }

                var symbol = GetTaskSymbol(task.WalkDownConversion());
                if (symbol is null)
                {
                    return false;
                }

                var root = blocking.GetRoot();
                var position = blocking.Syntax.SpanStart;
                foreach (var operation in root.Descendants())
                {
                    switch (operation)
                    {
                        case IAwaitOperation awaitOperation when awaitOperation.Syntax.SpanStart < position:
                            if (AwaitCompletes(awaitOperation.Operation, symbol, root))
                            {
                                return true;
                            }

                            break;
                        case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" or "Status", Instance: { } checkedTask }
                            when operation.Syntax.SpanStart < position && References(checkedTask, symbol):
                            return true;
                        case IVariableDeclaratorOperation { Initializer.Value: IAwaitOperation { Operation: var awaited } } declarator
                            when declarator.Symbol.IsSame(symbol) && IsWhen(awaited, "WhenAny"):
                            return true;
                        case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator
                            when declarator.Symbol.IsSame(symbol) && IsFromResult(initial):
                            return true; // var task = Task.FromResult(x); ... task.Result
                    }
                }

                return false;
            }

            /// <summary><c>Task.FromResult(x)</c> or <c>ValueTask.FromResult(x)</c>: complete when it is created.</summary>
            private bool IsFromResult(IOperation operation) =>
                operation.WalkDownConversion() is IInvocationOperation { TargetMethod.Name: "FromResult" } invocation
                && (invocation.TargetMethod.ContainingType.IsSame(_types.Task) || invocation.TargetMethod.ContainingType.IsSame(_types.ValueTask));

            private bool AwaitCompletes(IOperation awaited, ISymbol symbol, IOperation root)
            {
                awaited = awaited.WalkDownConversion();
                if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
                {
                    awaited = configured.WalkDownConversion();
                }

                if (References(awaited, symbol))
                {
                    return true;
                }

                if (!IsWhen(awaited, "WhenAll") && !IsWhen(awaited, "WhenAny"))
                {
                    return false;
                }

                foreach (var argument in ((IInvocationOperation)awaited).Arguments)
                {
                    foreach (var part in argument.Value.DescendantsAndSelf())
                    {
                        if (part is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation && References(part, symbol))
                        {
                            return true;
                        }

                        // await Task.WhenAll(tasks) where tasks holds (or is built from) the task read later.
                        if (part is ILocalReferenceOperation collection && LocalHolds(collection.Local, symbol, root))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            private bool IsWhen(IOperation operation, string name) =>
                operation.WalkDownConversion() is IInvocationOperation invocation && invocation.TargetMethod.Name == name && invocation.TargetMethod.ContainingType.IsSame(_types.Task);

            private static bool LocalHolds(ILocalSymbol collection, ISymbol symbol, IOperation root)
            {
                if (collection.IsSame(symbol))
                {
                    return true;
                }

                foreach (var operation in root.Descendants())
                {
                    IOperation? value = operation switch
                    {
                        IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(collection) => declarator.Initializer?.Value,
                        IInvocationOperation { TargetMethod.Name: "Add" or "AddRange", Instance: ILocalReferenceOperation target } add when target.Local.IsSame(collection) => add,
                        _ => null,
                    };

                    if (value is null)
                    {
                        continue;
                    }

                    foreach (var part in value.DescendantsAndSelf())
                    {
                        if (References(part, symbol))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary>The local, parameter or field that holds the task; for <c>tasks[i]</c> the collection; for a lambda parameter of <c>tasks.Select(t => t.Result)</c> the source collection.</summary>
            private static ISymbol? GetTaskSymbol(IOperation task)
            {
                switch (task)
                {
                    case ILocalReferenceOperation local:
                        return local.Local;
                    case IFieldReferenceOperation field:
                        return field.Field;
                    case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } } lambdaParameter:
                        return GetLambdaSource(lambdaParameter);
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter;
                    case IArrayElementReferenceOperation element:
                        return GetTaskSymbol(element.ArrayReference.WalkDownConversion());
                    case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                        return GetTaskSymbol(instance.WalkDownConversion());
                    default:
                        return null;
                }
            }

            private static ISymbol? GetLambdaSource(IParameterReferenceOperation parameter)
            {
                for (var current = parameter.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation lambda && lambda.Symbol.Parameters.Length > 0 && lambda.Symbol.Parameters[0].IsSame(parameter.Parameter))
                    {
                        var call = lambda.Parent;
                        while (call is not null and not IInvocationOperation)
                        {
                            call = call.Parent;
                        }

                        var source = (call as IInvocationOperation)?.GetReceiverOrThisArgument()?.WalkDownConversion();
                        return source is null ? null : GetTaskSymbol(source);
                    }
                }

                return null;
            }

            private static bool References(IOperation operation, ISymbol symbol)
            {
                switch (operation.WalkDownConversion())
                {
                    case ILocalReferenceOperation local:
                        return local.Local.IsSame(symbol);
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter.IsSame(symbol);
                    case IFieldReferenceOperation field:
                        return field.Field.IsSame(symbol);
                    case IArrayElementReferenceOperation element:
                        return References(element.ArrayReference, symbol);
                    case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                        return References(instance, symbol);
                    default:
                        return false;
                }
            }

            private static bool IsInsideLock(IOperation operation)
            {
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current is ILockOperation)
                    {
                        return true;
                    }

                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return false;
                    }
                }

                return false;
            }

            /// <summary>The lambda, local function or member whose body directly holds the operation.</summary>
            private static IMethodSymbol? GetInnermostFunction(IOperation operation, ISymbol member)
            {
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    switch (current)
                    {
                        case IAnonymousFunctionOperation lambda:
                            return lambda.Symbol;
                        case ILocalFunctionOperation local:
                            return local.Symbol;
                    }
                }

                while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested)
                {
                    member = nested.ContainingSymbol;
                }

                return member as IMethodSymbol;
            }

            /// <summary>
            /// Can the endpoint become async by itself? Not when it already returns a task (its returns would have to
            /// change), has ref/out/in parameters, is an iterator, an override or an interface implementation, or a lambda
            /// with an explicit return type.
            /// </summary>
            private static bool CanBecomeAsync(IMethodSymbol function, IOperation operation)
            {
                if (function.IsOverride || !function.ExplicitInterfaceImplementations.IsEmpty || function.IsAbstract
                    || function.ReturnType.TypeKind == TypeKind.Error || IsTaskOrAwaitable(function.ReturnType))
                {
                    return false;
                }

                foreach (var parameter in function.Parameters)
                {
                    if (parameter.RefKind != RefKind.None)
                    {
                        return false;
                    }
                }

                if (function.MethodKind == MethodKind.AnonymousFunction
                    && function.DeclaringSyntaxReferences.Length > 0
                    && function.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedLambdaExpressionSyntax { ReturnType: not null })
                {
                    return false;
                }

                foreach (var descendant in operation.GetRoot().Descendants())
                {
                    if (descendant is IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak })
                    {
                        return false;
                    }
                }

                return true;
            }

            private static bool IsTaskOrAwaitable(ITypeSymbol type) =>
                type.Name is "Task" or "ValueTask" or "IAsyncEnumerable" or "IAsyncEnumerator" && type.ContainingNamespace?.ToDisplayString() is "System.Threading.Tasks" or "System.Collections.Generic";
        }
    }
}
