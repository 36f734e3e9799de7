using System;
using System.Collections.Generic;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>Loop shapes that repeat work on purpose: tiny constant ranges, retries, polling and batching loops.</summary>
    internal static class LoopShapes
    {
        /// <summary>
        /// <c>for (i = a; i &lt; C; i++)</c> (or counting down) with a small constant trip count, and foreach over a
        /// short literal list (<c>new[] { a, b }</c>, a collection expression, <c>Enumerable.Range(x, C)</c>).
        /// </summary>
        public static bool IsSmallConstantLoop(ILoopOperation loop, int limit)
        {
            switch (loop)
            {
                case IForLoopOperation forLoop:
                    return GetConstantTripCount(forLoop) is long count && count <= limit;
                case IForEachLoopOperation forEach:
                    return IsSmallConstantCollection(forEach.Collection, limit);
                default:
                    return false;
            }
        }

        /// <summary>
        /// A collection written out in the code with at most <paramref name="limit"/> elements: an array or
        /// collection initializer, a collection expression without spreads, or <c>Enumerable.Range(x, C)</c>.
        /// </summary>
        public static bool IsSmallConstantCollection(IOperation? collection, int limit)
        {
            if (collection is null)
            {
                return false;
            }

            collection = WalkDownConversionOnly(collection);
            switch (collection)
            {
                case IArrayCreationOperation array when array.Initializer is not null:
                    return array.Initializer.ElementValues.Length <= limit;
                case IInvocationOperation { TargetMethod: { Name: "Range", ContainingType.Name: "Enumerable" } } range when range.Arguments.Length == 2
                    && range.Arguments[1].Value.ConstantValue is { HasValue: true, Value: int count }:
                    return count <= limit;
                case IObjectCreationOperation { Initializer: { } initializer } creation when creation.Arguments.Length == 0:
                    return initializer.Initializers.Length <= limit;
            }

            // C# 12 collection expressions bind to ICollectionExpressionOperation (not in Roslyn 4.8's API).
            if (collection.Kind.ToString() == "CollectionExpression")
            {
                var count = 0;
                foreach (var element in collection.ChildOperations)
                {
                    if (element.Kind.ToString() == "Spread")
                    {
                        return false; // [..items] is as long as items
                    }

                    count++;
                }

                return count <= limit;
            }

            return false;
        }

        /// <summary>
        /// The number of iterations of <c>for (var i = A; i &lt; B; i++)</c> when the bound is a constant: B - A
        /// (A taken as 0 when it is not constant and the loop counts up), or A - B for a loop that counts down
        /// from a constant. Null when unknown.
        /// </summary>
        private static long? GetConstantTripCount(IForLoopOperation forLoop)
        {
            if (forLoop.Condition is not IBinaryOperation condition)
            {
                return null;
            }

            var kind = condition.OperatorKind;
            ILocalSymbol? counter;
            long bound;
            if (condition.LeftOperand is ILocalReferenceOperation left && TryGetIntegral(condition.RightOperand.ConstantValue, out bound))
            {
                counter = left.Local;
            }
            else if (condition.RightOperand is ILocalReferenceOperation right && TryGetIntegral(condition.LeftOperand.ConstantValue, out bound))
            {
                counter = right.Local;
                kind = Mirror(kind);
            }
            else
            {
                return null;
            }

            var start = GetStartValue(forLoop, counter);
            switch (kind)
            {
                case BinaryOperatorKind.LessThan:
                    return bound - (start ?? 0);
                case BinaryOperatorKind.LessThanOrEqual:
                    return bound - (start ?? 0) + 1;
                case BinaryOperatorKind.GreaterThan:
                    return start is long from ? from - bound : null;
                case BinaryOperatorKind.GreaterThanOrEqual:
                    return start is long first ? first - bound + 1 : null;
                default:
                    return null;
            }
        }

        private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
            BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
            BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
            _ => kind,
        };

        private static long? GetStartValue(IForLoopOperation forLoop, ILocalSymbol counter)
        {
            foreach (var before in forLoop.Before)
            {
                foreach (var operation in before.DescendantsAndSelf())
                {
                    IOperation? value = operation switch
                    {
                        IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, counter) => declarator.Initializer?.Value,
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, counter) => assignment.Value,
                        _ => null,
                    };

                    if (value is not null)
                    {
                        return TryGetIntegral(value.ConstantValue, out var start) ? start : null;
                    }
                }
            }

            return null;
        }

        private static bool TryGetIntegral(Optional<object?> constant, out long value)
        {
            value = 0;
            if (!constant.HasValue)
            {
                return false;
            }

            switch (constant.Value)
            {
                case int i:
                    value = i;
                    return true;
                case long l:
                    value = l;
                    return true;
                case short s:
                    value = s;
                    return true;
                case byte b:
                    value = b;
                    return true;
                case sbyte sb:
                    value = sb;
                    return true;
                case ushort us:
                    value = us;
                    return true;
                case uint ui:
                    value = ui;
                    return true;
                default:
                    return false; // strings, floating point, null: not a counter (half-typed code included)
            }
        }

        /// <summary>
        /// while/do/for loops that poll, drain or page rather than visit items: an infinite loop (<c>while (true)</c>,
        /// <c>for (;;)</c>, left by break or return), a while loop driven by cancellation or by a wait (timer ticks,
        /// channel reads, delays).
        /// </summary>
        public static bool IsPollingOrRetryLoop(ILoopOperation loop) => IsPollingOrRetryLoop(loop, readsDatabase: null);

        /// <summary>
        /// Like <see cref="IsPollingOrRetryLoop(ILoopOperation)"/>, and, when <paramref name="readsDatabase"/> is
        /// given, batching and draining loops: the loop's condition reads the database
        /// (<c>while (await db.Jobs.AnyAsync())</c>), or the condition or a break/return out of the loop depends on a
        /// collection the body loaded from the database (<c>if (page.Count == 0) break;</c>,
        /// <c>do { ... } while (page.Count == size);</c>, <c>while (hasMore)</c>).
        /// </summary>
        public static bool IsPollingOrRetryLoop(ILoopOperation loop, Func<IOperation, bool>? readsDatabase)
        {
            if (IsPacedByADelay(loop))
            {
                return true;
            }

            IOperation? condition;
            switch (loop)
            {
                case IWhileLoopOperation whileLoop:
                    condition = whileLoop.Condition;
                    break;
                case IForLoopOperation forLoop:
                    condition = forLoop.Condition;
                    break;
                default:
                    return false;
            }

            if (condition is null || condition.ConstantValue is { HasValue: true, Value: true })
            {
                return true;
            }

            if (loop is IWhileLoopOperation)
            {
                foreach (var operation in condition.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" }:
                        case IInvocationOperation { TargetMethod.Name: "WaitForNextTickAsync" or "WaitToReadAsync" or "Delay" }:
                            return true;
                    }
                }

                foreach (var operation in DescendantsInSameFunction(loop.Body))
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Delay" or "Sleep" or "WaitForNextTickAsync" })
                    {
                        return true;
                    }
                }
            }

            return readsDatabase is not null && IsBatchingLoop(loop, condition, readsDatabase);
        }

        /// <summary>
        /// A loop of any kind whose body waits on every pass, as a statement of its own at the body's top level
        /// (<c>foreach (var id in ids) { await SyncAsync(id); await Task.Delay(1500); }</c>): the loop is throttled on
        /// purpose, usually for an external API's rate limit. A delay inside a catch or an if (a retry's back-off) does
        /// not count. Seen on a real application.
        /// </summary>
        private static bool IsPacedByADelay(ILoopOperation loop)
        {
            if (loop.Body is not IBlockOperation body)
            {
                return false;
            }

            foreach (var statement in body.Operations)
            {
                var call = statement is IExpressionStatementOperation expression ? expression.Operation : null;
                if (call is IAwaitOperation awaited)
                {
                    call = awaited.Operation;
                }

                if (call?.WalkDownConversion() is IInvocationOperation { TargetMethod.Name: "Delay" or "Sleep" or "WaitForNextTickAsync" })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsBatchingLoop(ILoopOperation loop, IOperation condition, Func<IOperation, bool> readsDatabase)
        {
            foreach (var operation in condition.DescendantsAndSelf())
            {
                if (readsDatabase(operation))
                {
                    return true; // while (await db.Jobs.AnyAsync(j => !j.Done)): drains until nothing is left
                }
            }

            var loaded = GetLocalsLoadedFromDatabase(loop.Body, readsDatabase);
            if (loaded.Count == 0)
            {
                return false;
            }

            if (ReferencesAny(condition, loaded))
            {
                return true;
            }

            foreach (var operation in DescendantsInSameFunction(loop.Body))
            {
                var leavesLoop = operation switch
                {
                    IBranchOperation { BranchKind: BranchKind.Break } branch => ReferenceEquals(branch.Target, loop.ExitLabel),
                    IReturnOperation { Kind: OperationKind.Return } => true,
                    _ => false,
                };

                if (leavesLoop && GetEnclosingCondition(operation, loop) is { } test && ReferencesAny(test, loaded))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Locals assigned in the body from a database read that returns a collection (a page), and locals
        /// computed from those (<c>hasMore = page.Count == size</c>, <c>lastId = page[^1].Id</c>).
        /// </summary>
        private static HashSet<ILocalSymbol> GetLocalsLoadedFromDatabase(IOperation body, Func<IOperation, bool> readsDatabase)
        {
            var assignments = new List<(ILocalSymbol Local, IOperation Value)>();
            foreach (var operation in DescendantsInSameFunction(body))
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        assignments.Add((declarator.Symbol, initializer.Value));
                        break;
                    case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        assignments.Add((target.Local, assignment.Value));
                        break;
                }
            }

            var loaded = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (local, value) in assignments)
                {
                    if (loaded.Contains(local))
                    {
                        continue;
                    }

                    if (IsCollectionLoad(value, readsDatabase) || ReferencesAny(value, loaded))
                    {
                        loaded.Add(local);
                        changed = true;
                    }
                }
            }

            return loaded;
        }

        private static bool IsCollectionLoad(IOperation value, Func<IOperation, bool> readsDatabase)
        {
            if (!IsCollectionType(value.Type))
            {
                return false;
            }

            foreach (var operation in value.DescendantsAndSelf())
            {
                if (operation is IAnonymousFunctionOperation)
                {
                    continue;
                }

                if (readsDatabase(operation))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsCollectionType(ITypeSymbol? type)
        {
            if (type is null || type.SpecialType == SpecialType.System_String)
            {
                return false;
            }

            if (type.SpecialType == SpecialType.System_Collections_IEnumerable || type.TypeKind == TypeKind.Array)
            {
                return true;
            }

            foreach (var candidate in type.AllInterfaces)
            {
                if (candidate.SpecialType == SpecialType.System_Collections_IEnumerable)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ReferencesAny(IOperation operation, HashSet<ILocalSymbol> locals)
        {
            if (locals.Count == 0)
            {
                return false;
            }

            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is ILocalReferenceOperation reference && locals.Contains(reference.Local))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The condition of the nearest if (or conditional) that guards <paramref name="operation"/> inside the loop.</summary>
        private static IOperation? GetEnclosingCondition(IOperation operation, ILoopOperation loop)
        {
            for (IOperation? child = operation, current = operation.Parent; current is not null && !ReferenceEquals(current, loop); child = current, current = current.Parent)
            {
                if (current is IConditionalOperation conditional && !ReferenceEquals(conditional.Condition, child))
                {
                    return conditional.Condition;
                }
            }

            return null;
        }

        /// <summary>
        /// A retry: the operation sits in a try block (with a catch), inside the loop, whose normal path leaves
        /// the loop once the work succeeded: an unconditional break or return in that try block, or a flag the
        /// loop's condition reads that the try block sets to a constant (<c>saved = true</c>) or a catch sets
        /// (<c>retry = true</c>, <c>attempt++</c>).
        /// </summary>
        public static bool IsInsideRetryTry(IOperation operation, ILoopOperation loop)
        {
            if (loop is IForEachLoopOperation)
            {
                return false;
            }

            for (var current = operation.Parent; current is not null && !ReferenceEquals(current, loop); current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }

                if (current is ITryOperation tryOperation && tryOperation.Catches.Length > 0
                    && (LeavesLoopOnSuccess(tryOperation.Body, loop) || SetsLoopFlag(tryOperation, loop)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool LeavesLoopOnSuccess(IBlockOperation tryBody, ILoopOperation loop)
        {
            foreach (var operation in DescendantsInSameFunction(tryBody))
            {
                var leaves = operation switch
                {
                    IBranchOperation { BranchKind: BranchKind.Break } branch => ReferenceEquals(branch.Target, loop.ExitLabel),
                    IReturnOperation { Kind: OperationKind.Return } => true,
                    _ => false,
                };

                if (leaves && IsUnconditionalIn(operation, tryBody))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SetsLoopFlag(ITryOperation tryOperation, ILoopOperation loop)
        {
            var condition = loop switch
            {
                IWhileLoopOperation whileLoop => whileLoop.Condition,
                IForLoopOperation forLoop => forLoop.Condition,
                _ => null,
            };

            if (condition is null)
            {
                return false;
            }

            var flags = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in condition.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation reference)
                {
                    flags.Add(reference.Local);
                }
            }

            if (flags.Count == 0)
            {
                return false;
            }

            foreach (var operation in DescendantsInSameFunction(tryOperation.Body))
            {
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    && flags.Contains(target.Local) && assignment.Value.ConstantValue.HasValue)
                {
                    return true; // saved = true;
                }
            }

            foreach (var handler in tryOperation.Catches)
            {
                foreach (var operation in DescendantsInSameFunction(handler))
                {
                    var target = operation switch
                    {
                        IAssignmentOperation assignment => assignment.Target,
                        IIncrementOrDecrementOperation increment => increment.Target,
                        _ => null,
                    };

                    if (target is ILocalReferenceOperation local && flags.Contains(local.Local))
                    {
                        return true; // retry = true; attempt++;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// True when the loop is left right after <paramref name="operation"/> on the path it runs on: a later
        /// statement of a block that holds it (inside the loop) is a <c>break</c> out of the loop, a <c>return</c>
        /// or a <c>throw</c>, with no <c>continue</c> of the loop in between. The operation then runs at most once
        /// per execution of the loop (<c>if (match) { item.Done = true; db.SaveChanges(); break; }</c>).
        /// </summary>
        public static bool IsFollowedByLoopExit(IOperation operation, ILoopOperation loop)
        {
            var child = operation;
            for (var current = operation.Parent; current is not null && !ReferenceEquals(current, loop); child = current, current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }

                if (current is not IBlockOperation block)
                {
                    continue;
                }

                var index = block.Operations.IndexOf(child);
                for (var i = index + 1; index >= 0 && i < block.Operations.Length; i++)
                {
                    var next = block.Operations[i];
                    if (IsLoopExit(next, loop))
                    {
                        return true;
                    }

                    if (ContinuesLoop(next, loop))
                    {
                        return false;
                    }
                }
            }

            return false;
        }

        private static bool IsLoopExit(IOperation statement, ILoopOperation loop) => statement switch
        {
            IBranchOperation { BranchKind: BranchKind.Break } branch => ReferenceEquals(branch.Target, loop.ExitLabel),
            IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak } => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IThrowOperation => true,
            _ => false,
        };

        private static bool ContinuesLoop(IOperation statement, ILoopOperation loop)
        {
            foreach (var operation in DescendantsInSameFunction(statement))
            {
                if (operation is IBranchOperation { BranchKind: BranchKind.Continue } branch && ReferenceEquals(branch.Target, loop.ContinueLabel))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when every statement between <paramref name="operation"/> and <paramref name="block"/> is a plain block or using.</summary>
        private static bool IsUnconditionalIn(IOperation operation, IOperation block)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (ReferenceEquals(current, block))
                {
                    return true;
                }

                if (current is not (IBlockOperation or IUsingOperation or ILockOperation or ILabeledOperation))
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>Descendants that run as part of <paramref name="root"/>: lambdas and local functions are not entered.</summary>
        private static IEnumerable<IOperation> DescendantsInSameFunction(IOperation root)
        {
            var stack = new Stack<IOperation>();
            stack.Push(root);
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

        private static IOperation WalkDownConversionOnly(IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }
    }
}
