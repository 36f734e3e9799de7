using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3011: a synchronous EF Core call that goes to the database (a query operator, Find, SaveChanges, Load,
    /// Reload, ExecuteUpdate/ExecuteDelete, ExecuteSql*) inside an async method, lambda or local function, where
    /// EF Core has an Async overload that takes the same arguments.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SynchronousQueryInAsyncMethodAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the name of the Async method to call.</summary>
        public const string AsyncNameProperty = "AsyncName";

        /// <summary>Diagnostic property: the cancellation token expression to pass, when one is in scope and the overload takes it.</summary>
        public const string TokenProperty = "Token";

        /// <summary>Diagnostic property: the name of the overload's CancellationToken parameter (for a named argument).</summary>
        public const string TokenParameterProperty = "TokenParameter";

        /// <summary>Diagnostic property: the position of a params argument list the Async overload takes as an array, and its element type.</summary>
        public const string WrapParamsProperty = "WrapParams";

        public const string WrapParamsTypeProperty = "WrapParamsType";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.SynchronousQueryInAsyncMethod,
            title: "Synchronous query in an async method",
            messageFormat: "'{0}' waits for the database synchronously inside an async {1}, holding a thread; await '{2}' instead",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "A synchronous EF Core call blocks the calling thread for the whole database round trip. In async code that thread could serve other requests meanwhile; under load, blocked threads starve the thread pool. Await the Async form, passing the request's CancellationToken.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasEntityFramework || types.CancellationToken is null)
                {
                    return;
                }

                var analyzer = new Analyzer(new QueryModel(types, new FunctionBodies(start.Compilation)));
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private sealed class Analyzer
        {
            private readonly QueryModel _queries;
            private readonly KnownTypes _types;

            public Analyzer(QueryModel queries)
            {
                _queries = queries;
                _types = queries.Types;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                var name = method.Name;
                if (name.EndsWith("Async", StringComparison.Ordinal)
                    || !(QueryModel.IsExecutingOperatorName(name) || name is "Find" or "SaveChanges" or "Reload" or "GetDatabaseValues"
                        or "ExecuteUpdate" or "ExecuteDelete" or "ExecuteSql" or "ExecuteSqlRaw" or "ExecuteSqlInterpolated"))
                {
                    return;
                }

                // Inside an async function, where await is allowed (not in a lock, not in an expression tree).
                var function = GetEnclosingFunction(invocation, context.ContainingSymbol, out var functionKind, out var inLock);
                if (function is null || !function.IsAsync || inLock)
                {
                    return;
                }

                var trip = _queries.GetRoundTrip(invocation, context.CancellationToken);
                if (trip is null || trip.Kind is RoundTripKind.Dapper or RoundTripKind.AdoNet or RoundTripKind.Enumeration)
                {
                    return;
                }

                var token = FindToken(invocation, context.ContainingSymbol);
                var asyncMethod = FindAsyncOverload(method, token is not null);
                if (asyncMethod is null)
                {
                    return;
                }

                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties.Add(AsyncNameProperty, asyncMethod.Name);
                var original = (method.ReducedFrom ?? method).OriginalDefinition;
                var target = asyncMethod.OriginalDefinition;
                if (token is not null && target.Parameters.Length == original.Parameters.Length + 1)
                {
                    properties.Add(TokenProperty, token);
                    properties.Add(TokenParameterProperty, target.Parameters[target.Parameters.Length - 1].Name);
                }

                // Find(id) binds id to params object[]; FindAsync(object[], CancellationToken) needs the array written out.
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Parameter is { } parameter
                        && parameter.Ordinal < target.Parameters.Length && !target.Parameters[parameter.Ordinal].IsParams
                        && parameter.Type is IArrayTypeSymbol array)
                    {
                        // The position among the written arguments (an extension call's receiver is not one of them).
                        var written = 0;
                        foreach (var other in invocation.Arguments)
                        {
                            if (ReferenceEquals(other, argument))
                            {
                                break;
                            }

                            if (other.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax)
                            {
                                written++;
                            }
                        }

                        properties.Add(WrapParamsProperty, written.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        properties.Add(WrapParamsTypeProperty, array.ElementType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToMinimalDisplayString(invocation.SemanticModel!, invocation.Syntax.SpanStart));
                    }
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), properties.ToImmutable(), name, functionKind, asyncMethod.Name));
            }

            private static IMethodSymbol? GetEnclosingFunction(IOperation operation, ISymbol containingSymbol, out string kind, out bool inLock)
            {
                inLock = false;
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    switch (current)
                    {
                        case IAnonymousFunctionOperation lambda:
                            kind = "lambda";
                            return lambda.Symbol;
                        case ILocalFunctionOperation local:
                            kind = "local function";
                            return local.Symbol;
                        case ILockOperation:
                            inLock = true;
                            break;
                    }
                }

                kind = "method";
                return containingSymbol as IMethodSymbol;
            }

            /// <summary>
            /// The Async overload of <paramref name="method"/>: <c>&lt;Name&gt;Async</c> on EF Core's query extensions
            /// (for LINQ operators) or on the method's own type, taking the same parameters, plus a CancellationToken
            /// when <paramref name="withToken"/> and such an overload exists.
            /// </summary>
            private IMethodSymbol? FindAsyncOverload(IMethodSymbol method, bool withToken)
            {
                var original = (method.ReducedFrom ?? method).OriginalDefinition;
                var asyncName = original.Name + "Async";
                var places = new List<INamedTypeSymbol>();
                var containing = original.ContainingType;
                if (containing.IsSame(_types.Queryable) || containing.IsSame(_types.Enumerable))
                {
                    if (_types.EntityFrameworkQueryableExtensions is { } extensions)
                    {
                        places.Add(extensions);
                    }
                }
                else
                {
                    for (var type = containing; type is not null; type = type.BaseType)
                    {
                        places.Add(type);
                    }

                    foreach (var implemented in containing.AllInterfaces)
                    {
                        places.Add(implemented);
                    }
                }

                IMethodSymbol? sameParameters = null;
                foreach (var place in places)
                {
                    foreach (var member in place.GetMembers(asyncName))
                    {
                        if (member is not IMethodSymbol candidate || candidate.Arity != original.Arity || candidate.IsStatic != original.IsStatic)
                        {
                            continue;
                        }

                        var extra = candidate.Parameters.Length - original.Parameters.Length;
                        if (extra is not (0 or 1) || !SameParameters(original, candidate))
                        {
                            continue;
                        }

                        if (extra == 1)
                        {
                            if (candidate.Parameters[candidate.Parameters.Length - 1].Type.IsSame(_types.CancellationToken) && withToken)
                            {
                                return candidate;
                            }

                            if (!candidate.Parameters[candidate.Parameters.Length - 1].IsOptional)
                            {
                                continue;
                            }
                        }

                        sameParameters ??= candidate;
                    }
                }

                return sameParameters;
            }

            private static bool SameParameters(IMethodSymbol original, IMethodSymbol candidate)
            {
                for (var i = 0; i < original.Parameters.Length; i++)
                {
                    if (i == 0 && original.IsExtensionMethod)
                    {
                        continue; // IEnumerable<T> source of Enumerable.ToList; the receiver is a query
                    }

                    var expected = original.Parameters[i].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                    var actual = candidate.Parameters[i].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                    if (expected != actual || original.Parameters[i].RefKind != candidate.Parameters[i].RefKind)
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>
            /// A cancellation token in scope: a parameter or an earlier local of type CancellationToken (nearest
            /// first), else the RequestAborted of an HttpContext parameter or local, else the controller's
            /// HttpContext.RequestAborted. Null when there is none.
            /// </summary>
            private string? FindToken(IInvocationOperation invocation, ISymbol containingSymbol)
            {
                var model = invocation.SemanticModel;
                if (model is null)
                {
                    return null;
                }

                var position = invocation.Syntax.SpanStart;
                ISymbol? best = null;
                ISymbol? httpContext = null;
                foreach (var symbol in model.LookupSymbols(position))
                {
                    var (type, declaredBefore) = symbol switch
                    {
                        IParameterSymbol parameter => (parameter.Type, true),
                        ILocalSymbol local => (local.Type, local.DeclaringSyntaxReferences.Length > 0 && local.DeclaringSyntaxReferences[0].Span.End < position),
                        _ => (null, false),
                    };

                    if (type is null || !declaredBefore)
                    {
                        continue;
                    }

                    if (type.IsSame(_types.CancellationToken))
                    {
                        if (best is null || IsNearer(symbol, best))
                        {
                            best = symbol;
                        }
                    }
                    else if (httpContext is null && type.InheritsFromOrEquals(_types.HttpContext))
                    {
                        httpContext = symbol;
                    }
                }

                if (best is not null)
                {
                    return Escape(best.Name);
                }

                if (httpContext is not null)
                {
                    return Escape(httpContext.Name) + ".RequestAborted";
                }

                if (containingSymbol is IMethodSymbol { IsStatic: false } && containingSymbol.ContainingType.InheritsFromOrEquals(_types.ControllerBase))
                {
                    return "HttpContext.RequestAborted";
                }

                return null;
            }

            /// <summary>Locals and parameters declared later in the text belong to an inner scope.</summary>
            private static bool IsNearer(ISymbol candidate, ISymbol current)
            {
                var candidateStart = candidate.DeclaringSyntaxReferences.Length > 0 ? candidate.DeclaringSyntaxReferences[0].Span.Start : -1;
                var currentStart = current.DeclaringSyntaxReferences.Length > 0 ? current.DeclaringSyntaxReferences[0].Span.Start : -1;
                return candidateStart > currentStart;
            }

            private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
        }
    }
}
