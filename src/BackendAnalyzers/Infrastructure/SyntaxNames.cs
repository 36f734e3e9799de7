using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>Names read from syntax, for the checks that come before any binding.</summary>
    internal static class SyntaxNames
    {
        /// <summary>
        /// The last identifier a name or member access writes: <c>AddAuthorization</c> for <c>services.AddAuthorization</c>,
        /// <c>Order</c> for <c>Shop.Order</c>, <c>Entity</c> for <c>modelBuilder.Entity&lt;T&gt;</c>; null for other syntax.
        /// </summary>
        public static string? LastIdentifier(SyntaxNode node) => node switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };
    }
}
