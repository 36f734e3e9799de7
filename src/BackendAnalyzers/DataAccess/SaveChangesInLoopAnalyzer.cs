using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3003: SaveChanges/SaveChangesAsync on every iteration of a loop, directly or through methods of the
    /// compilation the loop calls. The loop forms and the loops that repeat work on purpose (retries, polling,
    /// batching, small constant ranges) are BA3001's, through <see cref="LoopWorkScanner"/>. On top of those, a save
    /// is not reported when it runs at most once per loop (the loop is left right after it), when it is made in
    /// batches (guarded by a counter), or when each iteration works in a context it creates itself.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SaveChangesInLoopAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.SaveChangesInLoop,
            title: "SaveChanges inside a loop",
            messageFormat: "{0} on every iteration of the loop; make the changes in the loop and save once after it",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "Each SaveChanges is a database round trip and, unless a transaction spans the loop, a transaction of its own. Saving per item multiplies round trips and commits and leaves the work half done when one item fails. Add or change all the entities in the loop and call SaveChanges once after it; EF Core batches the statements.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasEntityFramework)
                {
                    return;
                }

                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                var scanner = new LoopWorkScanner(queries, new SaveWork(queries));
                start.RegisterOperationAction(scanner.AnalyzeLoop, OperationKind.Loop);
                start.RegisterOperationAction(scanner.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private sealed class SaveWork : LoopWorkRule
        {
            private readonly QueryModel _queries;

            public SaveWork(QueryModel queries)
            {
                _queries = queries;
            }

            public override DiagnosticDescriptor Descriptor => Rule;

            public override string? DescribeRoundTrip(RoundTrip trip) =>
                trip.Kind == RoundTripKind.SaveChanges ? $"'{trip.Name}' writes to the database" : null;

            public override string? DescribeCallee(string called, MethodQuerySummary summary) =>
                summary.Saves ? DescribeCallPath(called, summary.SavePath) + ", which saves changes ('" + summary.SaveName + "')," : null;

            public override bool IsExempt(IOperation repeater, IOperation operation, CancellationToken cancellationToken)
            {
                if (repeater is ILoopOperation loop && LoopShapes.IsFollowedByLoopExit(operation, loop))
                {
                    return true;
                }

                return IsBatched(operation, repeater) || UsesContextOfTheIteration(operation, repeater);
            }

            /// <summary>
            /// <c>if (++count % 100 == 0) db.SaveChanges();</c>, <c>if (batch.Count &gt;= size)</c>,
            /// <c>if (i == items.Count - 1)</c>: the save is guarded by a condition on a counter the loop advances,
            /// a collection the loop fills, or the change tracker, so it runs once per batch, not once per item.
            /// </summary>
            private static bool IsBatched(IOperation operation, IOperation repeater)
            {
                var child = operation;
                for (var current = operation.Parent; current is not null && !ReferenceEquals(current, repeater); child = current, current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation && !ReferenceEquals(current.Parent, repeater) && !IsArgumentOf(current, repeater))
                    {
                        return false;
                    }

                    if (current is IConditionalOperation conditional && !ReferenceEquals(conditional.Condition, child) && IsBatchCondition(conditional.Condition, repeater))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsArgumentOf(IOperation lambda, IOperation repeater)
            {
                for (var current = lambda.Parent; current is not null; current = current.Parent)
                {
                    if (ReferenceEquals(current, repeater))
                    {
                        return true;
                    }

                    if (current is not (IDelegateCreationOperation or IConversionOperation or IArgumentOperation))
                    {
                        return false;
                    }
                }

                return false;
            }

            private static bool IsBatchCondition(IOperation condition, IOperation repeater)
            {
                var counters = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                var filled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                foreach (var operation in repeater.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation counter }:
                            counters.Add(counter.Local);
                            break;
                        case ICompoundAssignmentOperation { Target: ILocalReferenceOperation counter }:
                            counters.Add(counter.Local);
                            break;
                        case IInvocationOperation { TargetMethod.Name: "Add" or "AddRange" or "Enqueue" or "Push", Instance: ILocalReferenceOperation collection }:
                            filled.Add(collection.Local);
                            break;
                    }
                }

                foreach (var operation in condition.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder }:
                            return true;
                        case IBinaryOperation comparison when IsComparison(comparison.OperatorKind)
                            && (IsBatchMeasure(comparison.LeftOperand, counters, filled) || IsBatchMeasure(comparison.RightOperand, counters, filled)):
                            return true;
                        case IPropertyReferenceOperation { Property.Name: "ChangeTracker" }:
                            return true;
                    }
                }

                return false;
            }

            private static bool IsComparison(BinaryOperatorKind kind) =>
                kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                    or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

            /// <summary>A counter the loop advances (<c>count</c>, <c>++count</c>, <c>i</c>) or the size of a collection it fills (<c>batch.Count</c>).</summary>
            private static bool IsBatchMeasure(IOperation operand, HashSet<ILocalSymbol> counters, HashSet<ILocalSymbol> filled)
            {
                operand = operand.WalkDownConversion();
                if (operand is IIncrementOrDecrementOperation increment)
                {
                    operand = increment.Target;
                }

                return operand switch
                {
                    ILocalReferenceOperation local => counters.Contains(local.Local),
                    IPropertyReferenceOperation { Property.Name: "Count" or "Length", Instance: ILocalReferenceOperation collection } => filled.Contains(collection.Local),
                    _ => false,
                };
            }

            /// <summary>
            /// <c>using var db = factory.CreateDbContext();</c> (or a scope's context) inside the loop: each iteration
            /// is its own unit of work on purpose, and its save cannot move out of the loop.
            /// </summary>
            private bool UsesContextOfTheIteration(IOperation operation, IOperation repeater)
            {
                if (operation is not IInvocationOperation { Instance: { } instance } save || !_queries.IsDbContext(save.TargetMethod.ContainingType) && !_queries.IsDbContextAbstraction(save.TargetMethod.ContainingType))
                {
                    return false;
                }

                if (instance.WalkDownConversion() is not ILocalReferenceOperation context || context.Local.DeclaringSyntaxReferences.Length == 0)
                {
                    return false;
                }

                var declared = context.Local.DeclaringSyntaxReferences[0];
                var body = repeater is ILoopOperation { Body: { } loopBody } ? loopBody.Syntax : repeater.Syntax;
                return declared.SyntaxTree == body.SyntaxTree && body.Span.Contains(declared.Span);
            }
        }
    }
}
