using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Validation
{
    /// <summary>
    /// BA1004: an async endpoint takes no CancellationToken and awaits EF Core, HttpClient or Dapper
    /// (<c>CommandDefinition</c>) calls that could take one, so an aborted request keeps its queries and outgoing calls
    /// running. Endpoints that use <c>HttpContext.RequestAborted</c> are left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EndpointWithoutCancellationTokenAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "true" when the code fix can add the parameter and pass it on.</summary>
        public const string FixableProperty = "Fixable";

        /// <summary>Diagnostic property prefix: how the fix passes the token to the call at additional location i + 1.</summary>
        public const string CallPropertyPrefix = "Call";

        /// <summary>Append the token as the last positional argument.</summary>
        public const string PassAppend = "append";

        /// <summary>Pass the token by name: the value is "named:" followed by the parameter name.</summary>
        public const string PassNamedPrefix = "named:";

        /// <summary>Wrap the expanded params arguments in an object array, then append the token (FindAsync).</summary>
        public const string PassWrap = "wrap";

        public const string ParameterName = "cancellationToken";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.EndpointWithoutCancellationToken,
            title: "Endpoint does not accept a CancellationToken",
            messageFormat: "The async endpoint {0} awaits '{1}' but takes no CancellationToken; accept one and pass it on so an aborted request stops the work",
            RuleCategories.Validation,
            DiagnosticSeverity.Info,
            description: "ASP.NET Core signals an aborted request through the CancellationToken it binds to endpoint parameters. Without one, database queries and outgoing HTTP calls of a request the client gave up on run to the end and hold connections meanwhile.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var endpoints = new EndpointModel(types);
                if (!endpoints.IsEnabled || types.CancellationToken is null)
                {
                    return;
                }

                var analyzer = new Analyzer(endpoints, new FunctionBodies(start.Compilation));
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

        private sealed class CancellableCall
        {
            public CancellableCall(IOperation call, string pass, string name, bool counts)
            {
                Call = call;
                Pass = pass;
                Name = name;
                Counts = counts;
            }

            /// <summary>The invocation or object creation (CommandDefinition) the token goes to.</summary>
            public IOperation Call { get; }

            public string Pass { get; }

            public string Name { get; }

            /// <summary>EF Core, HttpClient or Dapper: the calls the rule reports; other cancellable calls are only fixed along.</summary>
            public bool Counts { get; }
        }

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly FunctionBodies _bodies;
            private readonly KnownTypes _types;

            public Analyzer(EndpointModel endpoints, FunctionBodies bodies)
            {
                _endpoints = endpoints;
                _bodies = bodies;
                _types = endpoints.Types;
            }

            public void AnalyzeAction(OperationBlockAnalysisContext context)
            {
                if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsAsync: true } method || TakesToken(method))
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint?.HandlerSyntax is not MethodDeclarationSyntax declaration)
                {
                    return;
                }

                foreach (var block in context.OperationBlocks)
                {
                    if (block.Kind is OperationKind.Block or OperationKind.MethodBody)
                    {
                        var name = "'" + method.ContainingType.Name + "." + method.Name + "'";
                        Analyze(block, method, name, declaration, declaration.Identifier.GetLocation(), block.SemanticModel, context.ReportDiagnostic);
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
                if (endpoint?.HandlerArgument is null || !endpoint.Handler.IsAsync || TakesToken(endpoint.Handler))
                {
                    return;
                }

                var handler = endpoint.HandlerArgument.WalkDownConversion();
                if (handler is IDelegateCreationOperation creation)
                {
                    handler = creation.Target.WalkDownConversion();
                }

                var name = invocation.TargetMethod.Name + (endpoint.RouteTemplate is null ? string.Empty : "(\"" + endpoint.RouteTemplate + "\")");
                if (handler is IAnonymousFunctionOperation lambda && lambda.Syntax is AnonymousFunctionExpressionSyntax lambdaSyntax)
                {
                    Location location = lambdaSyntax switch
                    {
                        ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.GetLocation(),
                        SimpleLambdaExpressionSyntax simple => simple.Parameter.GetLocation(),
                        _ => lambdaSyntax.GetLocation(),
                    };
                    Analyze(lambda.Body, endpoint.Handler, name, lambdaSyntax, location, invocation.SemanticModel, context.ReportDiagnostic);
                }
                else if (handler is IMethodReferenceOperation && _bodies.GetBody(endpoint.Handler, context.CancellationToken) is { } body)
                {
                    // Declared elsewhere: report where it is mapped; the fix does not reach across to the method.
                    Analyze(body, endpoint.Handler, name, null, handler.Syntax.GetLocation(), null, context.ReportDiagnostic);
                }
            }

            private bool TakesToken(IMethodSymbol handler)
            {
                foreach (var parameter in handler.Parameters)
                {
                    if (parameter.Type.IsSame(_types.CancellationToken))
                    {
                        return true;
                    }

                    // [AsParameters] RequestArgs args, where RequestArgs has a CancellationToken property or constructor parameter.
                    if (parameter.Type is INamedTypeSymbol named && parameter.GetAttributes().Any(a => a.AttributeClass?.Name == "AsParametersAttribute")
                        && (named.GetMembers().Any(m => m is IPropertySymbol property && property.Type.IsSame(_types.CancellationToken))
                            || named.InstanceConstructors.Any(c => c.Parameters.Any(p => p.Type.IsSame(_types.CancellationToken)))))
                    {
                        return true;
                    }
                }

                return false;
            }

            private void Analyze(IOperation body, IMethodSymbol handler, string name, SyntaxNode? handlerSyntax, Location location, SemanticModel? model, Action<Diagnostic> report)
            {
                var calls = new List<CancellableCall>();
                foreach (var operation in body.DescendantsInSameFunction())
                {
                    switch (operation)
                    {
                        case IPropertyReferenceOperation { Property.Name: "RequestAborted" }:
                            return;
                        case IAwaitOperation awaitOperation:
                            var awaited = awaitOperation.Operation.WalkDownConversion();
                            if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
                            {
                                awaited = configured.WalkDownConversion();
                            }

                            if (awaited is IInvocationOperation invocation && Classify(invocation) is { } call)
                            {
                                calls.Add(call);
                            }

                            break;
                    }
                }

                var first = calls.OrderBy(c => c.Call.Syntax.SpanStart).FirstOrDefault(c => c.Counts);
                if (first is null)
                {
                    return;
                }

                var fixable = handlerSyntax is not null && model is not null && CanAddParameter(handlerSyntax, model)
                    && calls.All(c => c.Call.Syntax.SyntaxTree == handlerSyntax.SyntaxTree);
                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties.Add(FixableProperty, fixable ? "true" : "false");
                var additional = new List<Location>();
                if (fixable)
                {
                    additional.Add(handlerSyntax!.GetLocation());
                    var ordered = calls.OrderBy(c => c.Call.Syntax.SpanStart).ToList();
                    for (var i = 0; i < ordered.Count; i++)
                    {
                        additional.Add(ordered[i].Call.Syntax.GetLocation());
                        properties.Add(CallPropertyPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ordered[i].Pass);
                    }
                }

                report(Diagnostic.Create(Rule, location, additional, properties.ToImmutable(), name, first.Name));
            }

            /// <summary>A lambda with explicitly typed parameters (or none), or a method; and no 'cancellationToken' in scope already.</summary>
            private static bool CanAddParameter(SyntaxNode handlerSyntax, SemanticModel model)
            {
                switch (handlerSyntax)
                {
                    case MethodDeclarationSyntax { Body: not null } or MethodDeclarationSyntax { ExpressionBody: not null }:
                        break;
                    case ParenthesizedLambdaExpressionSyntax lambda when lambda.ParameterList.Parameters.All(p => p.Type is not null):
                        break;
                    default:
                        return false;
                }

                foreach (var token in handlerSyntax.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == ParameterName)
                    {
                        return false;
                    }
                }

                if (model.SyntaxTree != handlerSyntax.SyntaxTree)
                {
                    return false;
                }

                return model.LookupSymbols(handlerSyntax.SpanStart, name: ParameterName).IsEmpty;
            }

            private CancellableCall? Classify(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var counts = IsCountedFamily(method);

                // Dapper: the token travels in a CommandDefinition.
                if (_types.DapperSqlMapper is not null && method.ContainingType.IsSame(_types.DapperSqlMapper))
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Value.WalkDownConversion() is IObjectCreationOperation { Constructor: { } constructor } creation
                            && creation.Type.IsSame(_types.DapperCommandDefinition)
                            && ClassifyOptional(creation.Arguments, constructor, creation.Syntax) is { Length: > 0 } pass)
                        {
                            return new CancellableCall(creation, pass, method.Name, counts: true);
                        }
                    }

                    return null;
                }

                var optional = ClassifyOptional(invocation.Arguments, method, invocation.Syntax);
                if (optional is not null)
                {
                    return optional.Length == 0 ? null : new CancellableCall(invocation, optional, method.Name, counts);
                }

                var overload = ClassifyOverload(invocation);
                return overload is null ? null : new CancellableCall(invocation, overload, method.Name, counts);
            }

            /// <summary>
            /// The method has a CancellationToken parameter: how to pass the token when it was left to its default,
            /// an empty string when a token is passed already, null when there is no such parameter.
            /// </summary>
            private string? ClassifyOptional(ImmutableArray<IArgumentOperation> arguments, IMethodSymbol method, SyntaxNode syntax)
            {
                IParameterSymbol? tokenParameter = null;
                foreach (var parameter in method.Parameters)
                {
                    if (parameter.Type.IsSame(_types.CancellationToken))
                    {
                        tokenParameter = parameter;
                    }
                }

                if (tokenParameter is null)
                {
                    return null;
                }

                var positional = !HasNamedArguments(syntax);
                foreach (var argument in arguments)
                {
                    if (argument.Parameter is null)
                    {
                        return string.Empty;
                    }

                    if (argument.Parameter.Ordinal == tokenParameter.Ordinal)
                    {
                        if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                        {
                            return string.Empty;
                        }
                    }
                    else if (argument.Parameter.Ordinal < tokenParameter.Ordinal && argument.ArgumentKind != ArgumentKind.Explicit)
                    {
                        positional = false;
                    }
                }

                return positional ? PassAppend : PassNamedPrefix + tokenParameter.Name;
            }

            private static bool HasNamedArguments(SyntaxNode syntax)
            {
                var list = syntax switch
                {
                    InvocationExpressionSyntax invocation => invocation.ArgumentList,
                    BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
                    _ => null,
                };
                return list is null || list.Arguments.Any(a => a.NameColon is not null);
            }

            /// <summary>An overload with the same parameters plus a trailing CancellationToken (HttpClient.GetAsync, DbSet.FindAsync).</summary>
            private string? ClassifyOverload(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var expandedParams = false;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                    {
                        return null;
                    }

                    expandedParams |= argument.ArgumentKind == ArgumentKind.ParamArray;
                }

                if (invocation.Syntax is not InvocationExpressionSyntax syntax || syntax.ArgumentList.Arguments.Any(a => a.NameColon is not null))
                {
                    return null;
                }

                var original = method.OriginalDefinition;
                foreach (var member in method.ContainingType.GetMembers(method.Name))
                {
                    if (member is not IMethodSymbol candidate || candidate.IsStatic != method.IsStatic
                        || candidate.Parameters.Length != original.Parameters.Length + 1
                        || candidate.TypeParameters.Length != original.TypeParameters.Length
                        || !candidate.Parameters[candidate.Parameters.Length - 1].Type.IsSame(_types.CancellationToken)
                        || candidate.DeclaredAccessibility != Accessibility.Public)
                    {
                        continue;
                    }

                    var same = true;
                    for (var i = 0; i < original.Parameters.Length && same; i++)
                    {
                        var mine = original.Parameters[i].Type;
                        var theirs = candidate.OriginalDefinition.Parameters[i].Type;
                        same = SymbolEqualityComparer.Default.Equals(mine, theirs)
                            || mine.ToDisplayString() == theirs.ToDisplayString();
                    }

                    if (!same)
                    {
                        continue;
                    }

                    if (!expandedParams)
                    {
                        return PassAppend;
                    }

                    // FindAsync(params object[] keyValues) -> FindAsync(object[] keyValues, CancellationToken): wrap the keys.
                    var last = original.Parameters[original.Parameters.Length - 1];
                    return last.IsParams && last.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Object } && original.Parameters.Length == 1
                        ? PassWrap
                        : null;
                }

                return null;
            }

            /// <summary>EF Core and HttpClient (System.Net.Http): the calls the rule is about. Overrides count by the method they override.</summary>
            private static bool IsCountedFamily(IMethodSymbol method)
            {
                var root = method;
                for (var guard = 0; guard < 8 && root.OverriddenMethod is { } overridden; guard++)
                {
                    root = overridden;
                }

                var ns = root.ContainingType?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                return ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || ns.StartsWith("System.Net.Http", StringComparison.Ordinal);
            }
        }
    }
}
