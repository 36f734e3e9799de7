using System.Collections.Immutable;
using System.Text;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3001: a database round trip on every iteration of a loop (the N+1 problem), directly or through methods
    /// of the compilation the loop calls.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DatabaseQueryInLoopAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.QueryInsideLoop,
            title: "Database query inside a loop (N+1)",
            messageFormat: "{0} on every iteration of the loop; load what the loop needs with one query before it",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "A query executed once per item turns one request into N+1 database round trips. Load the rows for all items at once (Where(x => ids.Contains(x.Id)), a join, or Include) and look them up in memory.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                if (!queries.IsEnabled)
                {
                    return;
                }

                var analyzer = new Analyzer(queries);
                start.RegisterOperationAction(analyzer.AnalyzeLoop, OperationKind.Loop);
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

            public void AnalyzeLoop(OperationAnalysisContext context)
            {
                var loop = (ILoopOperation)context.Operation;
                if (loop.Body is null)
                {
                    return;
                }

                var smallLimit = AnalyzerOptionsReader.GetInt32(context.Options, loop.Syntax.SyntaxTree, RuleIds.QueryInsideLoop,
                    OptionNames.SmallLoopLimit, OptionNames.SmallLoopLimitDefault, 0, 1000);
                if (LoopShapes.IsSmallConstantLoop(loop, smallLimit) || LoopShapes.IsPollingOrRetryLoop(loop) || IsStreamConsumer(loop))
                {
                    return;
                }

                ScanBody(context, loop.Body, loop);
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                switch (method.Name)
                {
                    case "ForEach":
                    case "ForEachAsync":
                    case "Select":
                    case "SelectMany":
                        break;
                    default:
                        return;
                }

                var containing = method.ContainingType;
                if (containing is null)
                {
                    return;
                }

                var isLoopLike =
                    method.Name == "ForEach" && (containing.OriginalDefinition.IsSame(_types.ListOfT) || containing.IsSame(_types.Array)) ||
                    method.Name is "ForEach" or "ForEachAsync" && containing.IsSame(_types.Parallel) ||
                    method.Name == "ForEachAsync" && containing.IsSame(_types.EntityFrameworkQueryableExtensions) ||
                    method.Name is "Select" or "SelectMany" && containing.IsSame(_types.Enumerable) && IsInMemorySource(invocation);
                if (!isLoopLike)
                {
                    return;
                }

                foreach (var argument in invocation.Arguments)
                {
                    var value = argument.Value.WalkDownConversion();
                    if (value is IDelegateCreationOperation creation)
                    {
                        value = creation.Target.WalkDownConversion();
                    }

                    if (value is IAnonymousFunctionOperation lambda)
                    {
                        ScanBody(context, lambda.Body, null);
                    }
                }
            }

            private bool IsInMemorySource(IInvocationOperation invocation)
            {
                var source = invocation.GetReceiverOrThisArgument();
                if (source is null || _queries.IsQueryableType(source.Type))
                {
                    return false;
                }

                // Enumerable.Select over AsEnumerable() of a query streams query rows: still in memory per item.
                return true;
            }

            private static bool IsStreamConsumer(ILoopOperation loop)
            {
                // await foreach over a channel or a blocking queue handles messages as they arrive: not an N+1.
                if (loop is IForEachLoopOperation forEach && forEach.Collection.WalkDownConversion() is IInvocationOperation source)
                {
                    var name = source.TargetMethod.Name;
                    var ns = source.TargetMethod.ContainingType?.ContainingNamespace?.ToDisplayString();
                    return name is "ReadAllAsync" or "GetConsumingEnumerable" || ns == "System.Threading.Channels";
                }

                return false;
            }

            private void ScanBody(OperationAnalysisContext context, IOperation body, ILoopOperation? loop)
            {
                var stack = new System.Collections.Generic.Stack<IOperation>();
                stack.Push(body);
                while (stack.Count > 0)
                {
                    var current = stack.Pop();
                    context.CancellationToken.ThrowIfCancellationRequested();
                    switch (current)
                    {
                        case IAnonymousFunctionOperation:
                        case ILocalFunctionOperation:
                            continue; // runs elsewhere, or is a loop of its own (ForEach/Select lambdas)
                        case ILoopOperation nested when !ReferenceEquals(nested, loop):
                            // A nested loop reports its own body; its collection is evaluated once per outer iteration.
                            if (nested is IForEachLoopOperation nestedForEach)
                            {
                                if (_queries.GetEnumerationRoundTrip(nestedForEach, context.CancellationToken) is { } enumeration)
                                {
                                    Report(context, enumeration.Operation, $"'{enumeration.Name}' over a query runs it");
                                }
                                else
                                {
                                    stack.Push(nestedForEach.Collection);
                                }
                            }

                            continue;
                        case IInvocationOperation invocation:
                            if (CheckInvocation(context, invocation, loop))
                            {
                                // Arguments of a reported call may hold their own calls; the call itself is reported once.
                                foreach (var argument in invocation.Arguments)
                                {
                                    stack.Push(argument);
                                }

                                continue;
                            }

                            break;
                    }

                    foreach (var child in current.ChildOperations)
                    {
                        stack.Push(child);
                    }
                }
            }

            /// <summary>Reports the invocation when it is a round trip or leads to one; returns true when reported.</summary>
            private bool CheckInvocation(OperationAnalysisContext context, IInvocationOperation invocation, ILoopOperation? loop)
            {
                var cancellationToken = context.CancellationToken;
                var trip = _queries.GetRoundTrip(invocation, cancellationToken);
                if (trip is not null)
                {
                    if (trip.Kind == RoundTripKind.SaveChanges)
                    {
                        return false; // BA3003's business
                    }

                    if (loop is not null && LoopShapes.IsInsideRetryTry(invocation, loop))
                    {
                        return false;
                    }

                    Report(context, invocation, $"'{trip.Name}' runs a database query");
                    return true;
                }

                var callee = invocation.TargetMethod;
                if (!callee.IsInSource() && callee.ContainingType?.TypeKind != TypeKind.Interface)
                {
                    return false;
                }

                var summary = _queries.GetSummary(callee, cancellationToken);
                if (!summary.RunsQuery || loop is not null && LoopShapes.IsInsideRetryTry(invocation, loop))
                {
                    return false;
                }

                var implementation = _queries.ResolveImplementation(callee) ?? callee;
                var text = new StringBuilder("The loop calls ");
                text.Append(Describe(callee, implementation));
                foreach (var step in summary.Path)
                {
                    text.Append(", which calls ").Append(step.ToDisplayName());
                }

                text.Append(", which runs a query ('").Append(summary.RoundTripName).Append("'),");
                Report(context, invocation, text.ToString());
                return true;
            }

            private static string Describe(IMethodSymbol called, IMethodSymbol implementation)
            {
                var calledName = (called.ReducedFrom ?? called).OriginalDefinition.ToDisplayName();
                var implementationName = implementation.ToDisplayName();
                return calledName == implementationName ? calledName : calledName + " (" + implementationName + ")";
            }

            private static void Report(OperationAnalysisContext context, IOperation operation, string what)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, operation.Syntax.GetLocation(), what));
            }
        }
    }
}
