using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Grounding
{
    /// <summary>Type declarations with member bodies left out: what a reader needs to call a type, at a fraction of its size.</summary>
    internal static class TypeOutline
    {
        public const int MaxChars = 4000;

        public static readonly SymbolDisplayFormat SignatureFormat = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
                | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeRef,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue
                | SymbolDisplayParameterOptions.IncludeExtensionThis,
            propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
                | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static readonly SymbolDisplayFormat TypeNameFormat = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The outline of <paramref name="type"/>: its source declarations without bodies, or its public members' signatures.</summary>
        public static string Of(INamedTypeSymbol type)
        {
            var text = new StringBuilder();
            var declarations = type.DeclaringSyntaxReferences;
            if (declarations.Length > 0)
            {
                foreach (var reference in declarations)
                {
                    if (reference.GetSyntax() is TypeDeclarationSyntax or EnumDeclarationSyntax or DelegateDeclarationSyntax)
                    {
                        var node = reference.GetSyntax();
                        var stripped = new BodyStripper().Visit(node);
                        text.AppendLine(stripped.NormalizeWhitespace().ToFullString());
                    }
                }
            }
            else
            {
                text.Append("// ").Append(type.ContainingNamespace?.ToDisplayString() ?? string.Empty).AppendLine(" (from a referenced assembly)");
                text.Append(type.TypeKind.ToString().ToLowerInvariant()).Append(' ').AppendLine(type.ToDisplayString(TypeNameFormat));
                text.AppendLine("{");
                foreach (var member in type.GetMembers().Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared).Take(30))
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove })
                    {
                        continue;
                    }

                    var signature = member.ToDisplayString(SignatureFormat);
                    text.Append("    ").Append(signature).AppendLine(signature.EndsWith("}", System.StringComparison.Ordinal) ? string.Empty : ";");
                }

                text.AppendLine("}");
            }

            return Cap(text.ToString(), MaxChars);
        }

        public static string Cap(string text, int max) =>
            text.Length <= max ? text : text.Substring(0, max) + "\n// ... (cut: " + (text.Length - max) + " more characters)";

        /// <summary>Replaces method, constructor, operator and accessor bodies with ';' and drops nested type bodies' bodies alike.</summary>
        private sealed class BodyStripper : CSharpSyntaxRewriter
        {
            public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
            {
                // "async" says how a body is written; without the body it only misleads.
                var modifiers = SyntaxFactory.TokenList(node.Modifiers.Where(m => !m.IsKind(SyntaxKind.AsyncKeyword)));
                return node.WithModifiers(modifiers).WithBody(null).WithExpressionBody(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
            }

            public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node) =>
                node.WithBody(null).WithExpressionBody(null).WithInitializer(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));

            public override SyntaxNode? VisitDestructorDeclaration(DestructorDeclarationSyntax node) => null;

            public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node) =>
                node.WithBody(null).WithExpressionBody(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));

            public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node) =>
                node.WithBody(null).WithExpressionBody(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));

            public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node) =>
                node.WithBody(null).WithExpressionBody(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));

            public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
            {
                if (node.ExpressionBody is null)
                {
                    return base.VisitPropertyDeclaration(node);
                }

                // int Count => _items.Count;  becomes  int Count { get; }
                return node.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithAccessorList(SyntaxFactory.AccessorList(SyntaxFactory.SingletonList(
                        SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)))));
            }

            public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia)
            {
                // Plain comments go (they may hold anything); documentation comments stay, they say what members do.
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
                {
                    return default;
                }

                return base.VisitTrivia(trivia);
            }
        }
    }
}
