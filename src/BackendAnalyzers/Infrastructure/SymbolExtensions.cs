using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.Infrastructure
{
    internal static class SymbolExtensions
    {
        public static bool IsSame(this ISymbol? symbol, ISymbol? other) =>
            symbol is not null && other is not null && SymbolEqualityComparer.Default.Equals(symbol, other);

        /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it (generic definitions compare by their original definition).</summary>
        public static bool InheritsFromOrEquals(this ITypeSymbol? type, INamedTypeSymbol? baseType)
        {
            if (type is null || baseType is null)
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                {
                    return true;
                }
            }

            return false;
        }

        public static bool IsOrImplements(this ITypeSymbol? type, INamedTypeSymbol? interfaceType)
        {
            if (type is null || interfaceType is null)
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, interfaceType))
            {
                return true;
            }

            foreach (var candidate in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, interfaceType))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The type argument of the first <paramref name="genericInterface"/> the type is or implements.</summary>
        public static ITypeSymbol? GetGenericInterfaceArgument(this ITypeSymbol? type, INamedTypeSymbol? genericInterface)
        {
            if (type is null || genericInterface is null)
            {
                return null;
            }

            if (type is INamedTypeSymbol named && named.IsGenericType && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, genericInterface))
            {
                return named.TypeArguments[0];
            }

            foreach (var candidate in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, genericInterface))
                {
                    return candidate.TypeArguments[0];
                }
            }

            return null;
        }

        public static bool HasAttribute(this ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            if (attributeType is null)
            {
                return false;
            }

            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass.InheritsFromOrEquals(attributeType))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Looks for the attribute on the type and its base types (the way MVC conventions see them).</summary>
        public static bool HasAttributeInHierarchy(this INamedTypeSymbol type, INamedTypeSymbol? attributeType)
        {
            if (attributeType is null)
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.HasAttribute(attributeType))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Strips Task/ValueTask and returns the awaited type; other types come back unchanged.</summary>
        public static ITypeSymbol? UnwrapTask(this ITypeSymbol? type, KnownTypes types)
        {
            if (type is INamedTypeSymbol named && named.IsGenericType && named.TypeArguments.Length == 1 &&
                (named.OriginalDefinition.IsSame(types.TaskOfT) || named.OriginalDefinition.IsSame(types.ValueTaskOfT)))
            {
                return named.TypeArguments[0];
            }

            return type;
        }

        public static bool IsTaskLike(this ITypeSymbol? type, KnownTypes types)
        {
            if (type is null)
            {
                return false;
            }

            var original = type.OriginalDefinition;
            return original.IsSame(types.Task) || original.IsSame(types.TaskOfT) || original.IsSame(types.ValueTask) || original.IsSame(types.ValueTaskOfT);
        }

        /// <summary>Names a method the way messages show it: <c>PatientRepository.GetAsync</c>.</summary>
        public static string ToDisplayName(this IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.LocalFunction)
            {
                return method.Name;
            }

            return method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name;
        }

        public static bool IsInSource(this ISymbol symbol) => symbol.Locations.Length > 0 && symbol.Locations[0].IsInSource;
    }
}
