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
                if (lambda is null)
                {
                    continue;
                }

                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } value } && HasKeyEquality(value, key))
                    {
                        return true;
                    }
                }
            }

            return false;
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

        private static bool HasKeyEquality(IOperation value, IPropertySymbol key)
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
                    return HasKeyEquality(binary.LeftOperand, key) || HasKeyEquality(binary.RightOperand, key);
                case BinaryOperatorKind.Equals:
                    return IsKeyReference(binary.LeftOperand, key) || IsKeyReference(binary.RightOperand, key);
                default:
                    return false;
            }
        }

        private static bool IsKeyReference(IOperation operand, IPropertySymbol key)
        {
            return operand.WalkDownConversion() is IPropertyReferenceOperation { Instance: IParameterReferenceOperation } reference
                && reference.Property.Name == key.Name;
        }
    }
}
