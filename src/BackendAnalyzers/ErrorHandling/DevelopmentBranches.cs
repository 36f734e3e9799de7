using System;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// Recognizes code that only runs in the Development environment: the branches of <c>if (env.IsDevelopment())</c>,
    /// <c>app.Environment.IsDevelopment()</c>, <c>IsEnvironment("Development")</c>, <c>EnvironmentName == "Development"</c>,
    /// a bool named like <c>isDevelopment</c> or <c>includeExceptionDetails</c>, the else branch of <c>IsProduction()</c>, catch clauses
    /// filtered with <c>when (env.IsDevelopment())</c>, and the code after a guard
    /// <c>if (!env.IsDevelopment()) return ...;</c>.
    /// </summary>
    internal sealed class DevelopmentBranches
    {
        private const string Development = "Development";

        /// <summary>True when the condition holds only in Development, false when it holds only outside it, null when it says nothing about it.</summary>
        public bool? ConditionMeansDevelopment(IOperation? condition) => Evaluate(condition, 0);

        private bool? Evaluate(IOperation? condition, int depth)
        {
            if (condition is null || depth > 3)
            {
                return null;
            }

            condition = condition.WalkDownConversion();
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Negate(Evaluate(not.Operand, depth));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                    // a && b holds only in Development when either side does.
                    return Evaluate(and.LeftOperand, depth) == true || Evaluate(and.RightOperand, depth) == true ? true : null;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                    // a || b holds only outside Development when both sides do.
                    return Evaluate(or.LeftOperand, depth) == false && Evaluate(or.RightOperand, depth) == false ? false : null;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    var equals = ComparesWithDevelopment(comparison.LeftOperand, comparison.RightOperand) || ComparesWithDevelopment(comparison.RightOperand, comparison.LeftOperand);
                    if (!equals)
                    {
                        return null;
                    }

                    return comparison.OperatorKind == BinaryOperatorKind.Equals;
                case IInvocationOperation invocation:
                    return EvaluateCall(invocation);
                case ILocalReferenceOperation local when local.Type?.SpecialType == SpecialType.System_Boolean:
                    if (NamesDevelopment(local.Local.Name))
                    {
                        return true;
                    }

                    return Evaluate(FindSingleInitializer(local), depth + 1);
                case IFieldReferenceOperation field when field.Type?.SpecialType == SpecialType.System_Boolean && NamesDevelopment(field.Field.Name):
                    return true;
                case IPropertyReferenceOperation property when property.Type?.SpecialType == SpecialType.System_Boolean && NamesDevelopment(property.Property.Name):
                    return true;
                case IParameterReferenceOperation parameter when parameter.Type?.SpecialType == SpecialType.System_Boolean && NamesDevelopment(parameter.Parameter.Name):
                    return true;
                default:
                    return null;
            }
        }

        private static bool? Negate(bool? value) => value is null ? null : !value;

        private static bool? EvaluateCall(IInvocationOperation invocation)
        {
            switch (invocation.TargetMethod.Name)
            {
                case "IsDevelopment":
                    return true;
                case "IsProduction":
                case "IsStaging":
                    return false;
                case "IsEnvironment":
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Value.ConstantValue is { HasValue: true, Value: string name } && argument.Parameter?.Type.SpecialType == SpecialType.System_String)
                        {
                            return string.Equals(name, Development, StringComparison.OrdinalIgnoreCase) ? true : (bool?)false;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        /// <summary><c>env.EnvironmentName == "Development"</c> or <c>== Environments.Development</c>.</summary>
        private static bool ComparesWithDevelopment(IOperation name, IOperation constant)
        {
            return name.WalkDownConversion() is IPropertyReferenceOperation { Property.Name: "EnvironmentName" }
                && constant.WalkDownConversion().ConstantValue is { HasValue: true, Value: string text }
                && string.Equals(text, Development, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// <c>isDevelopment</c>, <c>_isDev</c>, <c>runningInDevelopment</c>, and the switches that exist to show details
        /// (<c>IncludeExceptionDetails</c>, <c>includeDetails</c>): a deliberate choice to show them.
        /// </summary>
        private static bool NamesDevelopment(string name) =>
            name.IndexOf("IsDevelopment", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("InDevelopment", StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("IsDev", StringComparison.OrdinalIgnoreCase) >= 0 && name.Length <= "_isDev".Length + 1
            || name.IndexOf("ExceptionDetails", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("IncludeDetails", StringComparison.OrdinalIgnoreCase) >= 0;

        private static IOperation? FindSingleInitializer(ILocalReferenceOperation reference)
        {
            IOperation? value = null;
            foreach (var operation in reference.GetRoot().Descendants())
            {
                if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(reference.Local))
                {
                    if (value is not null)
                    {
                        return null;
                    }

                    value = declarator.Initializer?.Value;
                }
                else if (operation is IAssignmentOperation { Target: ILocalReferenceOperation target } && target.Local.IsSame(reference.Local))
                {
                    return null;
                }
            }

            return value;
        }

        /// <summary>Does the operation run only in Development (inside such a branch, or after a guard that leaves otherwise)?</summary>
        public bool IsDevelopmentOnly(IOperation operation)
        {
            var span = operation.Syntax.Span;
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalOperation conditional)
                {
                    var meaning = ConditionMeansDevelopment(conditional.Condition);
                    if (meaning == true && Contains(conditional.WhenTrue, span) || meaning == false && Contains(conditional.WhenFalse, span))
                    {
                        return true;
                    }
                }
                else if (current is IBlockOperation block && FollowsNonDevelopmentGuard(block, span))
                {
                    return true;
                }
                else if (current is ICatchClauseOperation { Filter: { } filter } clause && Contains(clause.Handler, span)
                    && ConditionMeansDevelopment(filter) == true)
                {
                    return true; // catch (Exception ex) when (env.IsDevelopment()) { ... }
                }
            }

            return false;
        }

        private static bool Contains(IOperation? branch, Microsoft.CodeAnalysis.Text.TextSpan span) =>
            branch is not null && branch.Syntax.Span.Contains(span);

        /// <summary><c>if (!env.IsDevelopment()) { ...; return ...; }</c> earlier in the same block: what follows runs only in Development.</summary>
        private bool FollowsNonDevelopmentGuard(IBlockOperation block, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            foreach (var statement in block.Operations)
            {
                if (statement.Syntax.SpanStart >= span.Start)
                {
                    return false;
                }

                if (statement is IConditionalOperation { WhenFalse: null } guard && ConditionMeansDevelopment(guard.Condition) == false && AlwaysLeaves(guard.WhenTrue))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool AlwaysLeaves(IOperation branch)
        {
            var last = branch is IBlockOperation block ? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null) : branch;
            return last is IReturnOperation or IThrowOperation || last is IExpressionStatementOperation { Operation: IThrowOperation };
        }
    }
}
