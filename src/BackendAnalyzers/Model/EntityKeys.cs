using System;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>Finds an entity's primary key the way EF Core's conventions do: [Key], then Id, then &lt;Type&gt;Id.</summary>
    internal static class EntityKeys
    {
        public static IPropertySymbol? FindKey(ITypeSymbol? entity, KnownTypes types)
        {
            if (entity is null)
            {
                return null;
            }

            IPropertySymbol? byId = null, byTypeId = null;
            for (var current = entity; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer)
                    {
                        continue;
                    }

                    if (property.HasAttribute(types.KeyAttribute))
                    {
                        return property;
                    }

                    if (byId is null && string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
                    {
                        byId = property;
                    }
                    else if (byTypeId is null && string.Equals(property.Name, entity.Name + "Id", StringComparison.OrdinalIgnoreCase))
                    {
                        byTypeId = property;
                    }
                }
            }

            return byId ?? byTypeId;
        }

        /// <summary>True when a Where predicate compares the entity's key for equality (x => x.Id == id, possibly inside &amp;&amp;).</summary>
        public static bool IsKeyEqualityFilter(IInvocationOperation where, ITypeSymbol? entity, KnownTypes types)
        {
            var key = FindKey(entity, types);
            if (key is null || where.TargetMethod.Name != "Where")
            {
                return false;
            }

            foreach (var argument in where.Arguments)
            {
                var lambda = UnwrapLambda(argument.Value);
                if (lambda is null || lambda.Symbol.Parameters.Length != 1)
                {
                    continue;
                }

                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } value } && HasKeyEquality(value, key, lambda.Symbol.Parameters[0]))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// True when a Where predicate keeps the rows whose key is in a list the request supplies
        /// (<c>p =&gt; ids.Contains(p.Id)</c>, possibly inside &amp;&amp;): the result has at most as many rows as that list.
        /// </summary>
        public static bool IsKeyMembershipFilter(IInvocationOperation where, ITypeSymbol? entity, KnownTypes types)
        {
            var key = FindKey(entity, types);
            if (key is null || where.TargetMethod.Name != "Where")
            {
                return false;
            }

            foreach (var argument in where.Arguments)
            {
                var lambda = UnwrapLambda(argument.Value);
                if (lambda is null || lambda.Symbol.Parameters.Length != 1)
                {
                    continue;
                }

                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } value } && HasKeyMembership(value, key, lambda.Symbol.Parameters[0]))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool HasKeyMembership(IOperation value, IPropertySymbol key, IParameterSymbol row)
        {
            value = value.WalkDownConversion();
            switch (value)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } both:
                    return HasKeyMembership(both.LeftOperand, key, row) || HasKeyMembership(both.RightOperand, key, row);
                case IInvocationOperation { TargetMethod.Name: "Contains" } contains:
                    // ids.Contains(p.Id) binds either to an instance method or to Enumerable.Contains(ids, p.Id).
                    IOperation? list, item;
                    if (contains.Instance is { } instance && contains.Arguments.Length == 1)
                    {
                        list = instance;
                        item = contains.Arguments[0].Value;
                    }
                    else if (contains.Instance is null && contains.Arguments.Length == 2)
                    {
                        list = contains.Arguments[0].Value;
                        item = contains.Arguments[1].Value;
                    }
                    else
                    {
                        return false;
                    }

                    return IsKeyReference(item, key, row) && !ReadsParameter(list, row);
                default:
                    return false;
            }
        }

        private static bool ReadsParameter(IOperation operation, IParameterSymbol parameter)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when a Where predicate compares every property of <paramref name="key"/> (a primary key, possibly
        /// composite) of its parameter for equality, at the top level or inside &amp;&amp;: the query returns at most one row.
        /// </summary>
        public static bool IsKeyEqualityFilter(IInvocationOperation where, System.Collections.Generic.IReadOnlyList<string> key)
        {
            if (key.Count == 0 || where.TargetMethod.Name != "Where")
            {
                return false;
            }

            foreach (var argument in where.Arguments)
            {
                var lambda = UnwrapLambda(argument.Value);
                if (lambda is null || lambda.Symbol.Parameters.Length != 1)
                {
                    continue;
                }

                var compared = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } value })
                    {
                        CollectKeyEqualities(value, lambda.Symbol.Parameters[0], compared);
                    }
                }

                var all = true;
                foreach (var part in key)
                {
                    all &= compared.Contains(part);
                }

                if (all)
                {
                    return true;
                }
            }

            return false;
        }

        private static void CollectKeyEqualities(IOperation value, IParameterSymbol parameter, System.Collections.Generic.HashSet<string> compared)
        {
            value = value.WalkDownConversion();
            switch (value)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } both:
                    CollectKeyEqualities(both.LeftOperand, parameter, compared);
                    CollectKeyEqualities(both.RightOperand, parameter, compared);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                    AddIfParameterProperty(equals.LeftOperand, parameter, compared);
                    AddIfParameterProperty(equals.RightOperand, parameter, compared);
                    break;
                case IInvocationOperation { TargetMethod.Name: "Equals", Instance: { } instance, Arguments.Length: 1 }:
                    AddIfParameterProperty(instance, parameter, compared);
                    break;
            }
        }

        private static void AddIfParameterProperty(IOperation operand, IParameterSymbol parameter, System.Collections.Generic.HashSet<string> compared)
        {
            if (operand.WalkDownConversion() is IPropertyReferenceOperation { Instance: IParameterReferenceOperation reference } property
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                compared.Add(property.Property.Name);
            }
        }

        public static IAnonymousFunctionOperation? UnwrapLambda(IOperation value)
        {
            while (true)
            {
                switch (value)
                {
                    case IConversionOperation conversion:
                        value = conversion.Operand;
                        continue;
                    case IDelegateCreationOperation creation:
                        value = creation.Target;
                        continue;
                    case IAnonymousFunctionOperation lambda:
                        return lambda;
                    default:
                        return null;
                }
            }
        }

        private static bool HasKeyEquality(IOperation value, IPropertySymbol key, IParameterSymbol row)
        {
            value = value.WalkDownConversion();
            if (value is not IBinaryOperation binary)
            {
                return false;
            }

            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.ConditionalAnd:
                case BinaryOperatorKind.And:
                    return HasKeyEquality(binary.LeftOperand, key, row) || HasKeyEquality(binary.RightOperand, key, row);
                case BinaryOperatorKind.Equals:
                    return IsKeyReference(binary.LeftOperand, key, row) || IsKeyReference(binary.RightOperand, key, row);
                default:
                    return false;
            }
        }

        /// <summary>
        /// The key read from the predicate's own row (<c>p => p.Id == id</c>); a captured value that happens to have an Id,
        /// such as <c>todo.OwnerId == user.Id</c> with <c>user</c> a parameter of the enclosing endpoint, is not.
        /// </summary>
        private static bool IsKeyReference(IOperation operand, IPropertySymbol key, IParameterSymbol row)
        {
            return operand.WalkDownConversion() is IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } reference
                && SymbolEqualityComparer.Default.Equals(instance.Parameter, row)
                && reference.Property.Name == key.Name;
        }
    }
}
