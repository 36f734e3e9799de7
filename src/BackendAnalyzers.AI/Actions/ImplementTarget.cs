using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Actions
{
    internal static class ImplementTarget
    {
        /// <summary>The method's whole body is <c>throw new NotImplementedException(...)</c> (block or expression body).</summary>
        public static bool ThrowsNotImplemented(BaseMethodDeclarationSyntax method) => NotImplementedCreation(method) is not null;

        public static ObjectCreationExpressionSyntax? NotImplementedCreation(BaseMethodDeclarationSyntax method)
        {
            ExpressionSyntax? thrown = null;
            if (method.Body is { Statements: { Count: 1 } statements } && statements[0] is ThrowStatementSyntax statement)
            {
                thrown = statement.Expression;
            }
            else if (method.ExpressionBody?.Expression is ThrowExpressionSyntax expression)
            {
                thrown = expression.Expression;
            }

            if (thrown is ObjectCreationExpressionSyntax creation)
            {
                var name = creation.Type switch
                {
                    QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                    SimpleNameSyntax s => s.Identifier.ValueText,
                    _ => null,
                };
                return name == "NotImplementedException" ? creation : null;
            }

            return null;
        }

        /// <summary>The syntactic match, confirmed: the thrown type is System.NotImplementedException.</summary>
        public static bool ThrowsNotImplemented(BaseMethodDeclarationSyntax method, SemanticModel model)
        {
            var creation = NotImplementedCreation(method);
            if (creation is null)
            {
                return false;
            }

            var type = model.GetTypeInfo(creation).Type;
            return type is { Name: "NotImplementedException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
        }
    }
}
