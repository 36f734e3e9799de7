using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>Loop shapes that repeat work on purpose: tiny constant ranges, retries, polling and batching loops.</summary>
    internal static class LoopShapes
    {
        /// <summary>
        /// <c>for (i = a; i &lt; C; i++)</c> with a small constant bound, and foreach over a short literal list
        /// (<c>new[] { a, b }</c>, a collection expression, <c>Enumerable.Range(x, C)</c>).
        /// </summary>
        public static bool IsSmallConstantLoop(ILoopOperation loop, int limit)
        {
            switch (loop)
            {
                case IForLoopOperation forLoop when forLoop.Condition is IBinaryOperation condition:
                {
                    var bound = condition.RightOperand.ConstantValue;
                    var start = 0L;
                    if (forLoop.Before.Length == 1 && forLoop.Before[0] is IVariableDeclarationGroupOperation group
                        && group.Declarations.Length == 1 && group.Declarations[0].Declarators.Length == 1
                        && group.Declarations[0].Declarators[0].Initializer?.Value.ConstantValue is { HasValue: true, Value: { } startValue })
                    {
                        start = System.Convert.ToInt64(startValue, System.Globalization.CultureInfo.InvariantCulture);
                    }

                    return bound.HasValue && bound.Value is int or long or short or byte
                        && System.Convert.ToInt64(bound.Value, System.Globalization.CultureInfo.InvariantCulture) - start <= limit;
                }

                case IForEachLoopOperation forEach:
                {
                    var collection = forEach.Collection.WalkDownConversionOnly();
                    switch (collection)
                    {
                        case IArrayCreationOperation array when array.Initializer is not null:
                            return array.Initializer.ElementValues.Length <= limit;
                        case IInvocationOperation { TargetMethod.Name: "Range" } range when range.Arguments.Length == 2
                            && range.Arguments[1].Value.ConstantValue is { HasValue: true, Value: int count }:
                            return count <= limit;
                        case IObjectCreationOperation { Initializer: { } initializer }:
                            return initializer.Initializers.Length <= limit;
                    }

                    // C# 12 collection expressions bind to ICollectionExpressionOperation (not in Roslyn 4.8's API).
                    if (collection.Kind.ToString() == "CollectionExpression")
                    {
                        var count = 0;
                        foreach (var _ in collection.ChildOperations)
                        {
                            count++;
                        }

                        return count <= limit;
                    }

                    return false;
                }

                default:
                    return false;
            }
        }

        /// <summary>
        /// while/do loops that poll or retry: an infinite or cancellation-driven condition, a wait in the condition
        /// (timer ticks, channel reads), a delay in the body, or a break/return that ends the loop after success.
        /// Batching loops (<c>while (true) { var page = ...Take(n)...; if (page.Count == 0) break; }</c>) fall here too.
        /// </summary>
        public static bool IsPollingOrRetryLoop(ILoopOperation loop)
        {
            if (loop is not IWhileLoopOperation whileLoop)
            {
                return false;
            }

            var condition = whileLoop.Condition;
            if (condition is null || condition.ConstantValue is { HasValue: true, Value: true })
            {
                return true;
            }

            foreach (var operation in condition.DescendantsAndSelf())
            {
                if (operation is IAwaitOperation)
                {
                    return true;
                }

                if (operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" })
                {
                    return true;
                }
            }

            foreach (var operation in whileLoop.Body.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation { TargetMethod.Name: "Delay" or "Sleep" or "WaitForNextTickAsync" }:
                        return true;
                    case IBranchOperation { BranchKind: BranchKind.Break } branch when ReferenceEquals(branch.Target, whileLoop.ExitLabel):
                        return true;
                    case IReturnOperation ret when ret.Kind == OperationKind.Return && IsInSameFunction(ret, loop):
                        return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A retry: the round trip sits in a try block, inside the loop, that leaves the loop (break or return) once
        /// the work succeeded.
        /// </summary>
        public static bool IsInsideRetryTry(IOperation operation, ILoopOperation loop)
        {
            if (loop is IForEachLoopOperation)
            {
                return false;
            }

            for (var current = operation.Parent; current is not null && !ReferenceEquals(current, loop); current = current.Parent)
            {
                if (current is ITryOperation tryOperation && tryOperation.Catches.Length > 0)
                {
                    foreach (var inner in tryOperation.Body.DescendantsAndSelf())
                    {
                        if (inner is IBranchOperation { BranchKind: BranchKind.Break } branch && ReferenceEquals(branch.Target, loop.ExitLabel))
                        {
                            return true;
                        }

                        if (inner is IReturnOperation ret && ret.Kind == OperationKind.Return && IsInSameFunction(ret, loop))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool IsInSameFunction(IOperation operation, IOperation ancestor)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (ReferenceEquals(current, ancestor))
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

        private static IOperation WalkDownConversionOnly(this IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }
    }
}
