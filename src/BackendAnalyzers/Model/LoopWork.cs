using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>
    /// What a loop rule reports: which database work in a repeated body counts (queries for BA3001, saves for
    /// BA3003), how each finding is described, and which operations the rule knows to run once however often the
    /// loop repeats. <see cref="LoopWorkScanner"/> does the walking, the loop forms and the exemptions they share.
    /// </summary>
    internal abstract class LoopWorkRule
    {
        public abstract DiagnosticDescriptor Descriptor { get; }

        /// <summary>The description of a round trip the loop makes itself, or null when the rule does not report it.</summary>
        public abstract string? DescribeRoundTrip(RoundTrip trip);

        /// <summary>
        /// The description of a call to a method of the compilation (<paramref name="called"/> names it as messages
        /// do) whose summary shows the work, or null when it does not.
        /// </summary>
        public abstract string? DescribeCallee(string called, MethodQuerySummary summary);

        /// <summary>The description of a <c>foreach</c> over a query nested in the loop, or null when the rule does not report it.</summary>
        public virtual string? DescribeEnumeration(RoundTrip enumeration) => null;

        /// <summary>True when <paramref name="repeater"/> runs <paramref name="operation"/> less than once per iteration, for a reason only this rule knows.</summary>
        public virtual bool IsExempt(IOperation repeater, IOperation operation, CancellationToken cancellationToken) => false;

        /// <summary>"The loop calls A (B), which calls C, which calls D".</summary>
        public static string DescribeCallPath(string called, ImmutableArray<IMethodSymbol> path)
        {
            var text = new StringBuilder("The loop calls ");
            text.Append(called);
            foreach (var step in path)
            {
                text.Append(", which calls ").Append(step.ToDisplayName());
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// Finds database work repeated by loops: <c>for</c>, <c>foreach</c>, <c>while</c>, <c>do</c>, <c>await foreach</c>,
    /// and calls that run a callback once per element (LINQ to objects, List/Array callbacks, Parallel, EF's
    /// ForEachAsync), directly in the body or through methods of the compilation. Loops that repeat work on purpose
    /// are left alone: small constant ranges, retries, polling, batching and draining loops, channel consumers and
    /// concurrency-conflict resolution. A finding is reported once, by the innermost loop that repeats it.
    /// </summary>
    internal sealed class LoopWorkScanner
    {
        private readonly QueryModel _queries;
        private readonly KnownTypes _types;
        private readonly LoopWorkRule _rule;

        public LoopWorkScanner(QueryModel queries, LoopWorkRule rule)
        {
            _queries = queries;
            _types = queries.Types;
            _rule = rule;
        }

        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            var loop = (ILoopOperation)context.Operation;
            if (loop.Body is null)
            {
                return;
            }

            // Shapes that need no symbol work are ruled out first; batching loops (whose shape depends on what
            // the body loads) are recognized when the walk finds a round trip.
            var scan = new Scan(this, context);
            if (scan.IsExemptByShape(loop))
            {
                return;
            }

            scan.Run(loop, loop.Body);
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var hasDelegate = false;
            foreach (var argument in invocation.Arguments)
            {
                if (IsPerElementCallback(argument))
                {
                    hasDelegate = true;
                    break;
                }
            }

            if (!hasDelegate || !IsLoopLike(invocation, out _) || IsInsideExpressionTree(invocation))
            {
                return;
            }

            var scan = new Scan(this, context);
            if (scan.IsExempt(invocation))
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (!IsPerElementCallback(argument))
                {
                    continue;
                }

                var value = argument.Value.WalkDownConversion();
                if (value is IDelegateCreationOperation creation)
                {
                    value = creation.Target.WalkDownConversion();
                }

                switch (value)
                {
                    case IAnonymousFunctionOperation lambda:
                        scan.Run(invocation, lambda.Body);
                        break;
                    case IMethodReferenceOperation reference:
                        // ids.Select(LoadAsync): the method runs once per item.
                        scan.CheckCallee(reference, reference.Method, ImmutableArray<IOperation>.Empty, invocation);
                        break;
                }
            }
        }

        /// <summary>
        /// Calls that run a delegate once per element, as a loop does: LINQ to objects (Select, Where, Any, ...,
        /// over anything that is not a query), List&lt;T&gt;.ForEach and friends, Array.ForEach, Parallel.For*,
        /// and EF's ForEachAsync over a query.
        /// </summary>
        public bool IsLoopLike(IInvocationOperation invocation, out IOperation? source)
        {
            source = null;
            var method = invocation.TargetMethod;
            var containing = method.ContainingType;
            if (containing is null)
            {
                return false;
            }

            if (containing.IsSame(_types.Enumerable))
            {
                source = invocation.GetReceiverOrThisArgument();
                return source is not null && !_queries.IsQueryableType(source.Type);
            }

            if (containing.OriginalDefinition.IsSame(_types.ListOfT))
            {
                source = invocation.Instance;
                return true;
            }

            if (containing.IsSame(_types.Array))
            {
                source = invocation.GetArgument(0);
                return true;
            }

            if (containing.IsSame(_types.Parallel))
            {
                switch (method.Name)
                {
                    case "ForEach":
                    case "ForEachAsync":
                        source = invocation.GetArgument(0);
                        return true;
                    case "For":
                    case "ForAsync":
                        return true;
                    default:
                        return false; // Parallel.Invoke runs the actions it is given, once each
                }
            }

            return method.Name == "ForEachAsync" && containing.IsSame(_types.EntityFrameworkQueryableExtensions);
        }

        /// <summary>
        /// A lambda or method group passed for a parameter declared with a delegate type (Func, Action, Predicate):
        /// the callback a loop-like call runs per element. <c>list.Add(() => ...)</c> stores a delegate instead
        /// (its parameter is declared as T).
        /// </summary>
        private static bool IsPerElementCallback(IArgumentOperation argument) =>
            argument.Value.WalkDownConversion() is IDelegateCreationOperation or IAnonymousFunctionOperation
            && argument.Parameter?.OriginalDefinition.Type.TypeKind == TypeKind.Delegate;

        /// <summary>The call that runs <paramref name="lambda"/> once per element, when the lambda is its argument.</summary>
        private IInvocationOperation? GetLoopLikeCall(IOperation lambda)
        {
            var parent = lambda.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent is IArgumentOperation { Parent: IInvocationOperation invocation } argument && IsPerElementCallback(argument) && IsLoopLike(invocation, out _)
                ? invocation
                : null;
        }

        /// <summary>True inside a lambda converted to an expression tree: the query provider translates it, nothing runs per element.</summary>
        private bool IsInsideExpressionTree(IOperation operation) => operation.IsInsideExpressionTree(_types.ExpressionOfT);

        private bool IsStreamConsumer(ILoopOperation loop)
        {
            // foreach / await foreach over a channel or a blocking queue handles messages as they arrive: not an N+1.
            if (loop is IForEachLoopOperation forEach && forEach.Collection.WalkDownConversion() is IInvocationOperation source)
            {
                return source.TargetMethod.Name is "ReadAllAsync" or "GetConsumingEnumerable" || IsChannelType(source.TargetMethod.ContainingType);
            }

            // while (reader.TryRead(out var message)) / while (queue.TryTake(out var item))
            if (loop is IWhileLoopOperation { Condition: { } condition })
            {
                foreach (var operation in condition.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation call && IsChannelType(call.TargetMethod.ContainingType))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// foreach over the entries of a failed save (<c>DbUpdateConcurrencyException.Entries</c>): resolving
        /// the conflicting rows one by one (GetDatabaseValues, Reload) is how EF Core expects conflicts handled.
        /// </summary>
        private bool IsConflictResolution(ILoopOperation loop) =>
            loop is IForEachLoopOperation forEach
            && forEach.Collection.WalkDownConversion() is IPropertyReferenceOperation { Property.Name: "Entries", Instance: { } exception }
            && exception.Type.InheritsFromOrEquals(_types.DbUpdateException);

        private bool IsChannelType(INamedTypeSymbol? type) =>
            type is not null && (type.InheritsFromOrEquals(_types.ChannelReaderOfT) || type.OriginalDefinition.IsSame(_types.BlockingCollectionOfT));

        private static string Describe(IMethodSymbol called, IMethodSymbol implementation)
        {
            var calledName = (called.ReducedFrom ?? called).OriginalDefinition.ToDisplayName();
            var implementationName = implementation.ToDisplayName();
            return calledName == implementationName ? calledName : calledName + " (" + implementationName + ")";
        }

        /// <summary>
        /// One walk over the body of a loop (or of a lambda a loop-like call runs per element). Work is reported by
        /// the innermost loop it repeats with: a loop that repeats it on purpose (a small constant range, a retry,
        /// a polling, batching or consumer loop) passes it to the loop around it, and a loop nested in the body that
        /// does repeat it reports it itself.
        /// </summary>
        private sealed class Scan
        {
            private readonly LoopWorkScanner _owner;
            private readonly OperationAnalysisContext _context;
            private readonly int _smallLoopLimit;
            private readonly Dictionary<IOperation, bool> _exempt = new Dictionary<IOperation, bool>();

            public Scan(LoopWorkScanner owner, OperationAnalysisContext context)
            {
                _owner = owner;
                _context = context;
                _smallLoopLimit = AnalyzerOptionsReader.GetInt32(context.Options, context.Operation.Syntax.SyntaxTree, owner._rule.Descriptor.Id,
                    OptionNames.SmallLoopLimit, OptionNames.SmallLoopLimitDefault, 0, 1000);
            }

            private QueryModel Queries => _owner._queries;

            private LoopWorkRule Rule => _owner._rule;

            /// <summary>True when <paramref name="repeater"/> (a loop or a loop-like call) repeats its body on purpose.</summary>
            public bool IsExempt(IOperation repeater)
            {
                if (_exempt.TryGetValue(repeater, out var known))
                {
                    return known;
                }

                var cancellationToken = _context.CancellationToken;
                bool exempt;
                if (repeater is ILoopOperation loop)
                {
                    exempt = IsExemptByShape(loop)
                        || LoopShapes.IsPollingOrRetryLoop(loop, operation => Queries.ReadsDatabase(operation, cancellationToken));
                }
                else
                {
                    exempt = repeater is IInvocationOperation call && _owner.IsLoopLike(call, out var source)
                        && LoopShapes.IsSmallConstantCollection(source, _smallLoopLimit);
                }

                _exempt[repeater] = exempt;
                return exempt;
            }

            /// <summary>Small constant, polling, consumer and conflict-resolution loops: what the loop's shape alone tells.</summary>
            public bool IsExemptByShape(ILoopOperation loop) =>
                LoopShapes.IsSmallConstantLoop(loop, _smallLoopLimit)
                || _owner.IsStreamConsumer(loop)
                || _owner.IsConflictResolution(loop)
                || LoopShapes.IsPollingOrRetryLoop(loop);

            /// <summary>Does <paramref name="repeater"/> run <paramref name="operation"/> on each of its iterations?</summary>
            private bool Repeats(IOperation repeater, IOperation operation) =>
                !IsExempt(repeater)
                && !(repeater is ILoopOperation loop && LoopShapes.IsInsideRetryTry(operation, loop))
                && !Rule.IsExempt(repeater, operation, _context.CancellationToken);

            public void Run(IOperation root, IOperation body)
            {
                var cancellationToken = _context.CancellationToken;
                var stack = new Stack<(IOperation Operation, ImmutableArray<IOperation> Nested)>();
                stack.Push((body, ImmutableArray<IOperation>.Empty));
                while (stack.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (current, nested) = stack.Pop();
                    switch (current)
                    {
                        case IAnonymousFunctionOperation lambda:
                            // Runs elsewhere or later (a cache factory, an event handler), unless a loop-like call
                            // runs it per element, which makes it a loop of its own.
                            if (_owner.GetLoopLikeCall(lambda) is { } call)
                            {
                                stack.Push((lambda.Body, nested.Add(call)));
                            }

                            continue;
                        case ILocalFunctionOperation:
                            continue; // runs where it is called; calls to it are followed like any method
                        case IReturnOperation { Kind: OperationKind.Return } when nested.IsEmpty && root is ILoopOperation:
                        case IThrowOperation when nested.IsEmpty && root is ILoopOperation:
                            // return await db... in a loop's own body leaves the loop, so the round trip runs once
                            // (seen on a real app); in a per-element lambda a return ends only that element's call.
                            continue;
                        case IDelegateCreationOperation { Target: IMethodReferenceOperation reference } creation:
                            if (_owner.GetLoopLikeCall(creation) is { } groupCall)
                            {
                                CheckCallee(reference, reference.Method, nested.Add(groupCall), root);
                            }

                            continue;
                        case ILoopOperation loop:
                            // The collection of a nested foreach is evaluated once per iteration of the loops around it.
                            if (loop is IForEachLoopOperation nestedForEach)
                            {
                                if (Queries.GetEnumerationRoundTrip(nestedForEach, cancellationToken) is { } enumeration
                                    && Rule.DescribeEnumeration(enumeration) is { } what)
                                {
                                    Candidate(enumeration.Operation, nested, root, what);
                                }
                                else
                                {
                                    stack.Push((nestedForEach.Collection, nested));
                                }
                            }
                            else if (loop is IForLoopOperation nestedFor)
                            {
                                foreach (var before in nestedFor.Before)
                                {
                                    stack.Push((before, nested));
                                }
                            }

                            if (loop.Body is not null)
                            {
                                stack.Push((loop.Body, nested.Add(loop)));
                            }

                            continue;
                        case IInvocationOperation invocation:
                            CheckInvocation(invocation, nested, root);
                            break;
                    }

                    foreach (var child in current.ChildOperations)
                    {
                        stack.Push((child, nested));
                    }
                }
            }

            private void CheckInvocation(IInvocationOperation invocation, ImmutableArray<IOperation> nested, IOperation root)
            {
                var trip = Queries.GetRoundTrip(invocation, _context.CancellationToken);
                if (trip is not null)
                {
                    if (Rule.DescribeRoundTrip(trip) is { } what)
                    {
                        Candidate(invocation, nested, root, what);
                    }

                    return;
                }

                CheckCallee(invocation, invocation.TargetMethod, nested, root);
            }

            /// <summary>Reports a call to a method of the compilation that does the rule's work, naming the path to it.</summary>
            public void CheckCallee(IOperation call, IMethodSymbol callee, ImmutableArray<IOperation> nested, IOperation root)
            {
                // Only methods declared in this compilation (interfaces of libraries may be implemented anywhere).
                if (!callee.IsInSource())
                {
                    return;
                }

                var summary = Queries.GetSummary(callee, _context.CancellationToken);
                if (!summary.RunsQuery && !summary.Saves)
                {
                    return;
                }

                var implementation = Queries.ResolveImplementation(callee) ?? callee;
                if (Rule.DescribeCallee(Describe(callee, implementation), summary) is { } what && Owns(root, nested, call))
                {
                    Report(call, what);
                }
            }

            private void Candidate(IOperation operation, ImmutableArray<IOperation> nested, IOperation root, string what)
            {
                if (Owns(root, nested, operation))
                {
                    Report(operation, what);
                }
            }

            /// <summary>The root reports the operation when it repeats it and no repeater nested in it does.</summary>
            private bool Owns(IOperation root, ImmutableArray<IOperation> nested, IOperation operation)
            {
                foreach (var inner in nested)
                {
                    if (Repeats(inner, operation))
                    {
                        return false;
                    }
                }

                return Repeats(root, operation);
            }

            private void Report(IOperation operation, string what)
            {
                _context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, operation.Syntax.GetLocation(), what));
            }
        }
    }
}
