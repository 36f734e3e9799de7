using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Infrastructure
{
    internal static class OperationHelpers
    {
        /// <summary>Skips implicit and explicit conversions and parentheses.</summary>
        public static IOperation WalkDownConversion(this IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        continue;
                    default:
                        return operation;
                }
            }
        }

        /// <summary>Skips conversions, parentheses, <c>await</c> and <c>ConfigureAwait(false)</c>.</summary>
        public static IOperation WalkDownConversionAndAwait(this IOperation operation)
        {
            while (true)
            {
                operation = operation.WalkDownConversion();
                if (operation is IAwaitOperation awaitOperation)
                {
                    operation = awaitOperation.Operation;
                    continue;
                }

                if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited })
                {
                    operation = awaited;
                    continue;
                }

                return operation;
            }
        }

        /// <summary>The receiver of a call, or the <c>this</c> argument of an extension method.</summary>
        public static IOperation? GetReceiverOrThisArgument(this IInvocationOperation invocation)
        {
            if (invocation.Instance is not null)
            {
                return invocation.Instance;
            }

            if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { Ordinal: 0 })
                    {
                        return argument.Value;
                    }
                }
            }

            return null;
        }

        public static IOperation? GetArgument(this IInvocationOperation invocation, int ordinal)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        /// <summary>The lambda, local function or member body that owns the operation.</summary>
        public static IOperation? GetEnclosingFunction(this IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return current;
                }

                if (current.Parent is null)
                {
                    return current; // the member body (IMethodBodyOperation, IBlockOperation, ...)
                }
            }

            return null;
        }

        /// <summary>True inside a lambda converted to an expression tree (<paramref name="expressionOfT"/> is Expression&lt;T&gt;): a query provider translates it.</summary>
        public static bool IsInsideExpressionTree(this IOperation operation, INamedTypeSymbol? expressionOfT)
        {
            if (expressionOfT is null)
            {
                return false;
            }

            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation && current.Parent is { } conversion
                    && (conversion.Type?.OriginalDefinition.IsSame(expressionOfT) ?? false))
                {
                    return true;
                }
            }

            return false;
        }

        public static IOperation GetRoot(this IOperation operation)
        {
            var current = operation;
            while (current.Parent is not null)
            {
                current = current.Parent;
            }

            return current;
        }

        /// <summary>
        /// Descendants of <paramref name="root"/> that run as part of it: nested lambdas and local functions are
        /// not entered (they run when and where they are invoked).
        /// </summary>
        public static IEnumerable<IOperation> DescendantsInSameFunction(this IOperation root)
        {
            var stack = new Stack<IOperation>();
            foreach (var child in root.ChildOperations)
            {
                stack.Push(child);
            }

            while (stack.Count > 0)
            {
                var current = stack.Pop();
                yield return current;
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                foreach (var child in current.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        /// <summary>All return operations that belong to the given function (not to nested lambdas or local functions).</summary>
        public static IEnumerable<IReturnOperation> GetOwnReturns(this IOperation functionBody)
        {
            foreach (var operation in functionBody.DescendantsInSameFunction())
            {
                if (operation is IReturnOperation { Kind: OperationKind.Return } ret && ret.ReturnedValue is not null)
                {
                    yield return ret;
                }
            }
        }
    }
}
