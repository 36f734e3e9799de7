using System.Collections.Generic;
using System.Linq;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>
    /// Which lambdas EF Core can translate to SQL, judged conservatively: a lambda the model cannot vouch for is
    /// treated as untranslatable. A lambda is translatable when it is an expression lambda with one parameter that
    /// a C# expression tree can hold, and every part of it that depends on the element is something EF Core
    /// translates: mapped properties of entities (and navigations), properties of anonymous types, operators,
    /// comparisons and conditionals, and a short list of BCL members (string search and case functions,
    /// collection Contains, LINQ over navigations, DateTime arithmetic, EF.Functions). Parts that do not depend on
    /// the element are evaluated once, on the client, as parameters, so any framework call is fine there. Calls of
    /// methods of the compilation and of local functions are never translatable, wherever they are.
    /// </summary>
    internal sealed class EfTranslation
    {
        private readonly KnownTypes _types;
        private readonly EfModel _model;

        public EfTranslation(KnownTypes types, EfModel model)
        {
            _types = types;
            _model = model;
        }

        /// <summary>
        /// True when EF Core can translate <paramref name="lambda"/>. <paramref name="constructorProjection"/>
        /// allows <c>new Dto(p.A, p.B)</c>, which EF Core evaluates on the client when it is the final projection.
        /// </summary>
        public bool IsTranslatable(IAnonymousFunctionOperation lambda, bool constructorProjection)
        {
            if (!IsExpressionLambda(lambda) || lambda.Symbol.Parameters.Length != 1)
            {
                return false;
            }

            var parameters = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in lambda.DescendantsAndSelf())
            {
                if (operation is IAnonymousFunctionOperation nested)
                {
                    if (!IsExpressionLambda(nested))
                    {
                        return false;
                    }

                    foreach (var parameter in nested.Symbol.Parameters)
                    {
                        parameters.Add(parameter);
                    }
                }
            }

            // OrderBy(_ => random.Next()) shuffles in memory, where the call runs for every element; in SQL it would
            // run once and be sent as a parameter, which orders nothing. A row-independent lambda that calls a
            // method means something else in each place.
            if (!DependsOn(lambda.Body, parameters) && lambda.Body.DescendantsAndSelf().Any(o => o is IInvocationOperation))
            {
                return false;
            }

            foreach (var operation in lambda.Body.DescendantsAndSelf())
            {
                if (!IsTranslatableNode(operation, parameters, constructorProjection))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The key of an ordering or the value of an aggregate that SQLite cannot compare in SQL.</summary>
        public bool IsUnorderableInSql(ITypeSymbol? type)
        {
            if (!_model.UsesSqlite || type is null)
            {
                return false;
            }

            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            return type.SpecialType is SpecialType.System_Decimal or SpecialType.System_UInt64
                || type.Name is "DateTimeOffset" or "TimeSpan" && type.ContainingNamespace?.Name == "System";
        }

        private static bool IsExpressionLambda(IAnonymousFunctionOperation lambda) =>
            lambda.Syntax is LambdaExpressionSyntax { ExpressionBody: not null, AsyncKeyword.RawKind: 0 };

        private bool IsTranslatableNode(IOperation operation, HashSet<IParameterSymbol> parameters, bool constructorProjection)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    return IsTranslatableCall(invocation, parameters);

                case IPropertyReferenceOperation property:
                    return !IsRootedAt(property.Instance, parameters) || IsMappedProperty(property);

                case IFieldReferenceOperation field:
                    // Entity fields are not mapped by convention; captured fields and constants become parameters.
                    return !IsRootedAt(field.Instance, parameters);

                case IArrayElementReferenceOperation element:
                    return !IsRootedAt(element.ArrayReference, parameters);

                case IObjectCreationOperation creation:
                    if (creation.Arguments.Length == 0)
                    {
                        return creation.Constructor?.IsInSource() != true || creation.Initializer is not null || creation.Constructor.IsImplicitlyDeclared;
                    }

                    return !DependsOn(creation, parameters) && creation.Constructor?.IsInSource() != true
                        || constructorProjection && creation.Type?.IsInSource() == true;

                case IBinaryOperation binary:
                    // Operators of framework types (DateTime, decimal) translate; operators declared in the
                    // compilation (value objects) do not.
                    if (binary.OperatorMethod?.IsInSource() == true)
                    {
                        return !DependsOn(binary, parameters);
                    }

                    return !IsRelational(binary.OperatorKind) || !DependsOn(binary, parameters)
                        || !IsUnorderableInSql(binary.LeftOperand.Type) && !IsUnorderableInSql(binary.RightOperand.Type);

                case IUnaryOperation unary:
                    return unary.OperatorKind != UnaryOperatorKind.Hat && (unary.OperatorMethod?.IsInSource() != true || !DependsOn(unary, parameters));

                case IConversionOperation conversion:
                    return conversion.OperatorMethod?.IsInSource() != true || !DependsOn(conversion, parameters);

                case IInterpolatedStringOperation:
                    return !DependsOn(operation, parameters);

                case ISimpleAssignmentOperation:
                    // Only the member assignments of an object initializer or an anonymous type.
                    return operation.Parent is IObjectOrCollectionInitializerOperation or IAnonymousObjectCreationOperation;

                case IParameterReferenceOperation:
                case ILocalReferenceOperation:
                case ILiteralOperation:
                case IConditionalOperation:
                case ICoalesceOperation:
                case IAnonymousObjectCreationOperation:
                case IObjectOrCollectionInitializerOperation:
                case IMemberInitializerOperation:
                case IInstanceReferenceOperation:
                case IArgumentOperation:
                case IAnonymousFunctionOperation:
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation }:
                case IBlockOperation: // the implicit body of an expression lambda
                case IReturnOperation:
                case IIsTypeOperation:
                case ITypeOfOperation:
                case IDefaultValueOperation:
                case IArrayCreationOperation:
                case IArrayInitializerOperation:
                case IEventReferenceOperation:
                case INameOfOperation:
                    return true;

                case IMethodReferenceOperation:
                case IDelegateCreationOperation:
                    return false; // a method group

                default:
                    // Switch expressions, patterns, throw, ?., tuples, index-from-end, with, assignments, dynamic,
                    // collection expressions: not allowed in an expression tree, or not translated.
                    return false;
            }
        }

        private static bool IsRelational(BinaryOperatorKind kind) =>
            kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

        private bool IsTranslatableCall(IInvocationOperation invocation, HashSet<IParameterSymbol> parameters)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.LocalFunction || method.IsInSource())
            {
                return false; // never inside an expression tree / never translated
            }

            if (!DependsOn(invocation, parameters))
            {
                return true; // evaluated once, on the client, and sent as a parameter
            }

            var containing = method.ContainingType;
            if (containing is null)
            {
                return false;
            }

            var name = method.Name;
            switch (containing.SpecialType)
            {
                case SpecialType.System_String:
                    return IsTranslatableStringCall(method);
                case SpecialType.System_Object:
                    return false;
            }

            if (containing.IsSame(_types.Enumerable) || containing.IsSame(_types.Queryable))
            {
                return IsTranslatableLinqCall(invocation);
            }

            if (name == "Contains" && !method.IsStatic && method.Parameters.Length == 1 && containing.IsOrImplements(_types.IEnumerableOfT))
            {
                return true; // list.Contains(p.Id), set.Contains(p.Id)
            }

            if (containing.Name == "EF" && IsInEfNamespace(containing))
            {
                return name == "Property";
            }

            if (method.Parameters.Length > 0 && method.Parameters[0].Type.Name == "DbFunctions" && IsInEfNamespace(method.Parameters[0].Type))
            {
                return true; // EF.Functions.Like(...) and the provider functions
            }

            if (containing.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return name == "GetValueOrDefault" && method.Parameters.Length == 0;
            }

            if (containing.TypeKind == TypeKind.Enum || containing.SpecialType == SpecialType.System_Enum)
            {
                return name == "HasFlag";
            }

            if (containing.ContainingNamespace?.ToDisplayString() == "System")
            {
                switch (containing.Name)
                {
                    case "DateTime":
                    case "DateOnly":
                        return name.StartsWith("Add", System.StringComparison.Ordinal) && name != "Add" && method.Parameters.Length == 1;
                    case "Math":
                        return name is "Abs" || name == "Round" && method.Parameters.Length == 1;
                }
            }

            // p.Id.Equals(id) on a primitive, an enum or a Guid.
            return name == "Equals" && method.Parameters.Length == 1 && !method.IsStatic
                && (containing.SpecialType != SpecialType.None || containing.TypeKind == TypeKind.Enum || containing.Name == "Guid");
        }

        private static bool IsInEfNamespace(ITypeSymbol type) => type.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore";

        private static bool IsTranslatableStringCall(IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                // Overloads with StringComparison, CultureInfo or char arguments are not translated.
                if (parameter.Type.SpecialType is not (SpecialType.System_String or SpecialType.System_Int32))
                {
                    return false;
                }
            }

            switch (method.Name)
            {
                case "Contains":
                case "StartsWith":
                case "EndsWith":
                case "IndexOf":
                    return !method.IsStatic && method.Parameters.Length == 1;
                case "ToLower":
                case "ToUpper":
                case "Trim":
                case "TrimStart":
                case "TrimEnd":
                    return !method.IsStatic && method.Parameters.Length == 0;
                case "Substring":
                case "Replace":
                    return !method.IsStatic;
                case "IsNullOrEmpty":
                case "IsNullOrWhiteSpace":
                case "Concat":
                case "Compare":
                    return method.IsStatic;
                case "Equals":
                    return method.Parameters.Length == (method.IsStatic ? 2 : 1);
                default:
                    return false;
            }
        }

        private bool IsTranslatableLinqCall(IInvocationOperation invocation)
        {
            switch (invocation.TargetMethod.Name)
            {
                case "Any":
                case "All":
                case "Count":
                case "LongCount":
                case "Contains":
                case "Select":
                case "Where":
                case "OrderBy":
                case "OrderByDescending":
                case "First":
                case "FirstOrDefault":
                case "Distinct":
                case "Take":
                case "Skip":
                    break;
                case "Sum":
                case "Min":
                case "Max":
                case "Average":
                    if (IsUnorderableInSql(invocation.Type))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }

            // No comparers, no indexed selectors: only sources, single-parameter lambdas, counts and values.
            foreach (var argument in invocation.Arguments)
            {
                var type = argument.Parameter?.Type;
                if (type is null || type.Name is "IEqualityComparer" or "IComparer")
                {
                    return false;
                }

                if (EntityKeys.UnwrapLambda(argument.Value) is { } lambda && lambda.Symbol.Parameters.Length != 1)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A property EF Core maps, read from an element: a settable property of an entity that is not [NotMapped],
        /// a navigation to entities, a property of an anonymous type, or a known framework property (string.Length,
        /// DateTime parts, Nullable.HasValue/Value, a collection's Count).
        /// </summary>
        private bool IsMappedProperty(IPropertyReferenceOperation reference)
        {
            var property = reference.Property;
            var owner = property.ContainingType;
            if (owner is null)
            {
                return false;
            }

            if (owner.IsAnonymousType)
            {
                return true;
            }

            if (!property.IsInSource() && !owner.IsInSource())
            {
                return IsKnownFrameworkProperty(property);
            }

            var instanceType = reference.Instance?.Type;
            if (!_model.IsEntity(instanceType) && !_model.IsEntity(owner))
            {
                return false; // a DTO, a value object or a complex type: EF Core may not map it the same way
            }

            foreach (var attribute in property.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "NotMappedAttribute")
                {
                    return false;
                }
            }

            return property.SetMethod is not null || IsNavigation(property.Type);
        }

        private bool IsNavigation(ITypeSymbol type)
        {
            if (_model.IsEntity(type))
            {
                return true;
            }

            return type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } collection
                && collection.IsOrImplements(_types.IEnumerableOfT)
                && _model.IsEntity(collection.TypeArguments[0]);
        }

        private static bool IsKnownFrameworkProperty(IPropertySymbol property)
        {
            var owner = property.ContainingType;
            if (property.Name == "Count" && !property.IsStatic)
            {
                return true; // List<T>.Count, ICollection<T>.Count over a navigation
            }

            if (owner.SpecialType == SpecialType.System_String)
            {
                return property.Name == "Length";
            }

            if (owner.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return true; // HasValue, Value
            }

            return owner.ContainingNamespace?.ToDisplayString() == "System" && owner.Name is "DateTime" or "DateOnly" or "TimeOnly";
        }

        /// <summary>True when the value is read from an element: its chain of instances ends at a lambda parameter.</summary>
        private static bool IsRootedAt(IOperation? instance, HashSet<IParameterSymbol> parameters)
        {
            for (var current = instance; current is not null;)
            {
                switch (current)
                {
                    case IParameterReferenceOperation parameter:
                        return parameters.Contains(parameter.Parameter);
                    case IConversionOperation conversion:
                        current = conversion.Operand;
                        break;
                    case IPropertyReferenceOperation property:
                        current = property.Instance;
                        break;
                    case IFieldReferenceOperation field:
                        current = field.Instance;
                        break;
                    case IInvocationOperation call:
                        current = call.GetReceiverOrThisArgument();
                        break;
                    case IArrayElementReferenceOperation element:
                        current = element.ArrayReference;
                        break;
                    default:
                        return false;
                }
            }

            return false;
        }

        private static bool DependsOn(IOperation operation, HashSet<IParameterSymbol> parameters)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IParameterReferenceOperation reference && parameters.Contains(reference.Parameter))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
