using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2003: a WebApplication is run (<c>app.Run()</c>/<c>RunAsync()</c>) and nothing in its setup handles exceptions
    /// globally: no UseExceptionHandler, no AddExceptionHandler&lt;T&gt;, no UseMiddleware&lt;T&gt; of a middleware that
    /// wraps <c>next</c> in a try/catch (nor such an inline <c>app.Use</c> lambda), no AddProblemDetails together with
    /// UseStatusCodePages, no global MVC exception filter. UseDeveloperExceptionPage alone does not count.
    /// <para>
    /// The setup is read where the app is run: the method (or top-level statements) holding the Run call and, through
    /// the function bodies of the compilation, the methods of the compilation it calls with the builder, the app or the
    /// services (<c>builder.AddApiServices()</c>, <c>app.UseApiPipeline()</c>), three calls deep. This keeps the rule a
    /// plain operation action that works live in the editor. A call the rule cannot see into (half-typed code, an
    /// application-builder extension from a third-party library, a middleware type from a library) makes it stay
    /// silent.
    /// </para>
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NoGlobalExceptionHandlerAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the builder local (<c>builder</c>) the fix adds AddProblemDetails to.</summary>
        public const string BuilderProperty = "Builder";

        /// <summary>Diagnostic property: the app local (<c>app</c>) the fix calls UseExceptionHandler on.</summary>
        public const string AppProperty = "App";

        /// <summary>Diagnostic property: "true" when AddProblemDetails is already called.</summary>
        public const string HasProblemDetailsProperty = "HasProblemDetails";

        private const int MaxDepth = 3;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.NoGlobalExceptionHandler,
            title: "No global exception handler",
            messageFormat: "The application runs without a global exception handler: an unhandled exception ends as an empty 500 response and no problem details; add AddProblemDetails() and UseExceptionHandler()",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "Without UseExceptionHandler (or an exception-catching middleware), an unhandled exception produces an empty 500 response in production, with no problem details for the client and no single place that logs and shapes errors. UseDeveloperExceptionPage only runs in Development.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.WebApplication is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types, new FunctionBodies(start.Compilation));
                start.RegisterOperationAction(analyzer.AnalyzeRun, OperationKind.Invocation);
            });
        }

        /// <summary>What the setup code does about errors.</summary>
        private sealed class Findings
        {
            public bool Handled { get; set; }

            public bool Unknown { get; set; }

            public bool ProblemDetails { get; set; }

            public bool StatusCodePages { get; set; }

            public HashSet<IMethodSymbol> Visited { get; } = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

            public bool Done => Handled || Unknown || ProblemDetails && StatusCodePages;
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;
            private readonly FunctionBodies _bodies;

            public Analyzer(KnownTypes types, FunctionBodies bodies)
            {
                _types = types;
                _bodies = bodies;
            }

            public void AnalyzeRun(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                if (invocation.TargetMethod.Name is not ("Run" or "RunAsync") || !IsAppRun(invocation))
                {
                    return;
                }

                var root = invocation.GetRoot();
                if (root.Syntax.ContainsDiagnostics)
                {
                    return; // the setup is being typed: wait until it parses
                }

                var findings = new Findings();
                Scan(root, 0, findings, context.CancellationToken);
                if (findings.Done)
                {
                    return;
                }

                var properties = ImmutableDictionary<string, string?>.Empty;
                var additional = new List<Location>();
                if (FindBuild(invocation, root) is { } build)
                {
                    properties = properties
                        .Add(BuilderProperty, build.Builder.Name)
                        .Add(AppProperty, build.App.Name)
                        .Add(HasProblemDetailsProperty, findings.ProblemDetails ? "true" : "false");
                    additional.Add(build.Declaration.Syntax.GetLocation());
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), additional, properties));
            }

            /// <summary><c>app.Run()</c>, <c>app.RunAsync()</c> (and the IHost extensions) on a WebApplication; not <c>app.Run(RequestDelegate)</c>.</summary>
            private bool IsAppRun(IInvocationOperation invocation)
            {
                var receiver = invocation.GetReceiverOrThisArgument()?.WalkDownConversion();
                if (receiver?.Type is null || !receiver.Type.InheritsFromOrEquals(_types.WebApplication))
                {
                    return false;
                }

                foreach (var parameter in invocation.TargetMethod.Parameters)
                {
                    if (parameter.Type.IsSame(_types.RequestDelegate))
                    {
                        return false;
                    }
                }

                return true;
            }

            private void Scan(IOperation body, int depth, Findings findings, CancellationToken cancellationToken)
            {
                foreach (var operation in body.Descendants())
                {
                    if (findings.Done)
                    {
                        return;
                    }

                    switch (operation)
                    {
                        case IInvalidOperation:
                            findings.Unknown = true; // half-typed setup: do not guess
                            break;
                        case IInvocationOperation invocation:
                            ScanCall(invocation, depth, findings, cancellationToken);
                            break;
                    }
                }
            }

            private void ScanCall(IInvocationOperation invocation, int depth, Findings findings, CancellationToken cancellationToken)
            {
                var method = invocation.TargetMethod;
                var type = method.ContainingType;
                if (type is null)
                {
                    return;
                }

                switch (method.Name)
                {
                    case "UseExceptionHandler" when type.IsSame(_types.ExceptionHandlerExtensions):
                    case "AddExceptionHandler" when type.IsSame(_types.ExceptionHandlerServiceCollectionExtensions):
                        findings.Handled = true;
                        return;
                    case "AddProblemDetails" when type.IsSame(_types.ProblemDetailsServiceCollectionExtensions):
                        findings.ProblemDetails = true;
                        return;
                    case "UseStatusCodePages" or "UseStatusCodePagesWithReExecute" or "UseStatusCodePagesWithRedirects" when type.IsSame(_types.StatusCodePagesExtensions):
                        findings.StatusCodePages = true;
                        return;
                    case "UseMiddleware" when type.IsSame(_types.UseMiddlewareExtensions):
                        var middleware = GetMiddlewareType(invocation);
                        if (middleware is null || !middleware.IsInSource())
                        {
                            findings.Unknown = true; // a library's middleware may well handle exceptions
                        }
                        else if (CatchesAroundNext(middleware, cancellationToken))
                        {
                            findings.Handled = true;
                        }

                        return;
                    case "Use" or "UseWhen":
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Value.WalkDownConversion() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } && CatchesAroundNext(lambda.Body))
                            {
                                findings.Handled = true;
                                return;
                            }
                        }

                        break;
                    case "Add" when invocation.Instance?.Type.InheritsFromOrEquals(_types.FilterCollection) == true:
                        if (AddsExceptionFilter(invocation))
                        {
                            findings.Handled = true;
                            return;
                        }

                        break;
                }

                if (method.IsInSource())
                {
                    if (depth < MaxDepth && TakesHostingObject(invocation) && findings.Visited.Add(method.OriginalDefinition)
                        && _bodies.GetBody(method.OriginalDefinition, cancellationToken) is { } body)
                    {
                        Scan(body, depth + 1, findings, cancellationToken);
                    }

                    return;
                }

                // An application-builder extension from a third-party library may install its own exception handling.
                if (method.IsExtensionMethod && IsFromThirdParty(method) && invocation.GetReceiverOrThisArgument()?.Type is { } receiver
                    && (receiver.IsOrImplements(_types.IApplicationBuilder) || receiver.InheritsFromOrEquals(_types.WebApplication)))
                {
                    findings.Unknown = true;
                }
            }

            private static bool IsFromThirdParty(IMethodSymbol method)
            {
                var assembly = method.ContainingAssembly?.Name ?? string.Empty;
                return !(assembly.StartsWith("Microsoft.", StringComparison.Ordinal) || assembly.StartsWith("System.", StringComparison.Ordinal)
                    || assembly is "System" or "mscorlib" or "netstandard");
            }

            /// <summary>Is the builder, the app, the services or another hosting object passed along (as receiver or argument)?</summary>
            private bool TakesHostingObject(IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (IsHostingObject(argument.Value.WalkDownConversion().Type))
                    {
                        return true;
                    }
                }

                return invocation.Instance is { } instance && IsHostingObject(instance.Type);
            }

            private bool IsHostingObject(ITypeSymbol? type) =>
                type is not null && (type.InheritsFromOrEquals(_types.WebApplication) || type.InheritsFromOrEquals(_types.WebApplicationBuilder)
                    || type.IsOrImplements(_types.IServiceCollection) || type.IsOrImplements(_types.IApplicationBuilder)
                    || type.IsOrImplements(_types.IHostApplicationBuilder) || type.IsOrImplements(_types.IEndpointRouteBuilder));

            private static INamedTypeSymbol? GetMiddlewareType(IInvocationOperation invocation)
            {
                if (invocation.TargetMethod.TypeArguments.Length == 1)
                {
                    return invocation.TargetMethod.TypeArguments[0] as INamedTypeSymbol;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.WalkDownConversion() is ITypeOfOperation typeOf)
                    {
                        return typeOf.TypeOperand as INamedTypeSymbol;
                    }
                }

                return null;
            }

            /// <summary>Does the middleware's Invoke/InvokeAsync wrap the call of the next delegate in a try with a catch?</summary>
            private bool CatchesAroundNext(INamedTypeSymbol middleware, CancellationToken cancellationToken)
            {
                foreach (var member in middleware.GetMembers())
                {
                    if (member is IMethodSymbol { Name: "Invoke" or "InvokeAsync" } invoke && _bodies.GetBody(invoke, cancellationToken) is { } body && CatchesAroundNext(body))
                    {
                        return true;
                    }
                }

                return false;
            }

            private bool CatchesAroundNext(IOperation body)
            {
                foreach (var operation in body.Descendants())
                {
                    if (operation is not ITryOperation { Catches.Length: > 0 } tryOperation)
                    {
                        continue;
                    }

                    foreach (var inner in tryOperation.Body.Descendants())
                    {
                        if (inner is IInvocationOperation call && IsNextCall(call))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary><c>next(context)</c>, <c>_next(context)</c>, <c>next()</c> of inline middleware: a call of the pipeline's next delegate.</summary>
            private bool IsNextCall(IInvocationOperation call)
            {
                if (call.TargetMethod.MethodKind == MethodKind.DelegateInvoke && call.Instance?.Type is { } delegateType)
                {
                    return delegateType.IsSame(_types.RequestDelegate) || delegateType.Name == "Func";
                }

                return false;
            }

            private bool AddsExceptionFilter(IInvocationOperation invocation)
            {
                ITypeSymbol? filter = invocation.TargetMethod.TypeArguments.Length == 1 ? invocation.TargetMethod.TypeArguments[0] : null;
                foreach (var argument in invocation.Arguments)
                {
                    switch (argument.Value.WalkDownConversion())
                    {
                        case ITypeOfOperation typeOf:
                            filter ??= typeOf.TypeOperand;
                            break;
                        case { Type: { } created } when argument.Parameter?.Type.IsOrImplements(_types.IFilterMetadata) == true:
                            filter ??= created;
                            break;
                    }
                }

                return filter is not null && (filter.IsOrImplements(_types.IExceptionFilter) || filter.IsOrImplements(_types.IAsyncExceptionFilter));
            }

            /// <summary><c>var app = builder.Build();</c> in the same body, with <c>builder</c> and <c>app</c> locals: where the fix inserts.</summary>
            private (ILocalSymbol Builder, ILocalSymbol App, IOperation Declaration)? FindBuild(IInvocationOperation run, IOperation root)
            {
                if (run.GetReceiverOrThisArgument()?.WalkDownConversion() is not ILocalReferenceOperation appReference)
                {
                    return null;
                }

                foreach (var operation in root.Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(appReference.Local)
                        && declarator.Initializer?.Value.WalkDownConversion() is IInvocationOperation { TargetMethod.Name: "Build" } build
                        && build.Instance?.WalkDownConversion() is ILocalReferenceOperation builderReference
                        && builderReference.Type.InheritsFromOrEquals(_types.WebApplicationBuilder)
                        && declarator.Parent?.Parent is IVariableDeclarationGroupOperation group)
                    {
                        return (builderReference.Local, appReference.Local, group);
                    }
                }

                return null;
            }
        }
    }
}
