using System.Linq;
using BackendAnalyzers.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.Integration
{
    /// <summary>
    /// Syntax edits shared by the cache-entry fixes (BA6002 expiration, BA6003 size). Every edit goes through the
    /// editor's callback form, so fixes of nested calls (a Set inside a GetOrCreate factory) compose in FixAll.
    /// Inserted type names are fully qualified and annotated: the clean-up adds the using and shortens them.
    /// </summary>
    internal static class CacheEntryFixes
    {
        public static InvocationExpressionSyntax? FindInvocation(SyntaxNode root, Diagnostic diagnostic) =>
            root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();

        public static SyntaxNode? FindAdditional(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.AdditionalLocations.Count == 0 ? null : root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);

        public static ExpressionSyntax Expression(string text) =>
            SyntaxFactory.ParseExpression(text).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

        /// <summary>
        /// Adds an argument: named when the call already uses names, else at <paramref name="insertIndex"/>
        /// (before a CancellationToken), else at the end.
        /// </summary>
        public static void AddArgument(DocumentEditor editor, InvocationExpressionSyntax invocation, ExpressionSyntax value, string parameterName, int insertIndex)
        {
            editor.ReplaceNode(invocation, (current, _) =>
            {
                var call = (InvocationExpressionSyntax)current;
                var arguments = call.ArgumentList.Arguments;
                var argument = SyntaxFactory.Argument(value);
                if (arguments.Any(a => a.NameColon is not null))
                {
                    arguments = arguments.Add(argument.WithNameColon(SyntaxFactory.NameColon(parameterName)));
                }
                else if (insertIndex >= 0 && insertIndex < arguments.Count)
                {
                    arguments = arguments.Insert(insertIndex, argument);
                }
                else
                {
                    arguments = arguments.Add(argument);
                }

                return call.WithArgumentList(call.ArgumentList.WithArguments(arguments));
            });
        }

        /// <summary>Replaces an argument's value, keeping its name if it has one.</summary>
        public static void ReplaceArgumentValue(DocumentEditor editor, ArgumentSyntax argument, System.Func<ExpressionSyntax, ExpressionSyntax> replacement)
        {
            editor.ReplaceNode(argument, (current, _) =>
            {
                var arg = (ArgumentSyntax)current;
                return arg.WithExpression(replacement(arg.Expression.WithoutTrivia()).WithTriviaFrom(arg.Expression));
            });
        }

        /// <summary>Adds <c>Member = value</c> to an object creation's initializer, creating the initializer if needed.</summary>
        public static void AddInitializerMember(DocumentEditor editor, SyntaxNode creationNode, string member, string value)
        {
            editor.ReplaceNode(creationNode, (current, _) =>
            {
                var assignment = SyntaxFactory.AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    SyntaxFactory.IdentifierName(member),
                    Expression(value));
                switch (current)
                {
                    case ObjectCreationExpressionSyntax creation:
                        if (creation.Initializer is { } existing)
                        {
                            return creation.WithInitializer(Append(existing, assignment));
                        }

                        var withoutParens = creation.ArgumentList is { Arguments.Count: 0 }
                            ? creation.WithArgumentList(null).WithType(creation.Type.WithoutTrailingTrivia())
                            : creation;
                        return withoutParens
                            .WithInitializer(NewInitializer(assignment))
                            .WithTrailingTrivia(creation.GetTrailingTrivia())
                            .WithAdditionalAnnotations(Formatter.Annotation);
                    case ImplicitObjectCreationExpressionSyntax implicitCreation:
                        return implicitCreation.Initializer is { } initializer
                            ? implicitCreation.WithInitializer(Append(initializer, assignment))
                            : implicitCreation.WithInitializer(NewInitializer(assignment)).WithTrailingTrivia(implicitCreation.GetTrailingTrivia())
                                .WithAdditionalAnnotations(Formatter.Annotation);
                    default:
                        return current;
                }
            });
        }

        private static InitializerExpressionSyntax NewInitializer(ExpressionSyntax assignment) =>
            SyntaxFactory.InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SyntaxFactory.SingletonSeparatedList(assignment));

        private static InitializerExpressionSyntax Append(InitializerExpressionSyntax initializer, ExpressionSyntax assignment)
        {
            var expressions = initializer.Expressions;
            if (expressions.Count == 0)
            {
                return initializer.WithExpressions(SyntaxFactory.SingletonSeparatedList(assignment));
            }

            var last = expressions[expressions.Count - 1];
            var hasTrailingComma = expressions.SeparatorCount == expressions.Count;
            var multiline = last.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.WhitespaceTrivia))
                && initializer.OpenBraceToken.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

            // Rebuild the list: existing members with their separators, then the new member.
            var list = SyntaxFactory.NodeOrTokenList();
            for (var i = 0; i < expressions.Count; i++)
            {
                if (i < expressions.Count - 1 || hasTrailingComma)
                {
                    list = list.Add(expressions[i]).Add(expressions.GetSeparator(i));
                    continue;
                }

                // The last member without a comma: its trailing trivia (a line break, say) moves after the new member.
                var comma = SyntaxFactory.Token(SyntaxKind.CommaToken);
                comma = multiline ? comma.WithTrailingTrivia(FixSyntax.EndOfLine(initializer)) : comma.WithTrailingTrivia(SyntaxFactory.Space);
                list = list.Add(last.WithoutTrailingTrivia()).Add(comma);
            }

            var indentation = multiline ? last.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)) : Enumerable.Empty<SyntaxTrivia>();
            var added = assignment.WithLeadingTrivia(indentation);
            if (hasTrailingComma)
            {
                // Keep the author's trailing-comma style.
                var trailing = expressions.GetSeparator(expressions.Count - 1).TrailingTrivia;
                list = list.Add(multiline ? added : added.WithLeadingTrivia(SyntaxFactory.Space))
                    .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(trailing));
            }
            else
            {
                list = list.Add(added.WithTrailingTrivia(last.GetTrailingTrivia()));
            }

            return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(list));
        }

        /// <summary>
        /// Inserts a statement about the cache entry as the first statement of a GetOrCreate(Async) factory; an
        /// expression lambda becomes a block that returns its expression. A lambda whose parameter is an unused
        /// discard (<c>_ =&gt;</c>) gets the parameter name <c>entry</c>.
        /// </summary>
        public static void InsertFactoryStatement(DocumentEditor editor, SyntaxNode lambdaNode, System.Func<string, string> statementFor)
        {
            editor.ReplaceNode(lambdaNode, (current, _) =>
            {
                if (current is not LambdaExpressionSyntax lambda)
                {
                    return current;
                }

                ParameterSyntax? parameter = lambda switch
                {
                    SimpleLambdaExpressionSyntax simple => simple.Parameter,
                    ParenthesizedLambdaExpressionSyntax parenthesized when parenthesized.ParameterList.Parameters.Count == 1 => parenthesized.ParameterList.Parameters[0],
                    _ => null,
                };
                if (parameter is null)
                {
                    return current;
                }

                var name = parameter.Identifier.ValueText;
                if (name == "_" && !Uses(lambda, "_") && !Uses(lambda, "entry"))
                {
                    name = "entry";
                    var renamed = parameter.WithIdentifier(SyntaxFactory.Identifier("entry").WithTriviaFrom(parameter.Identifier));
                    lambda = lambda.ReplaceNode(parameter, renamed);
                }

                var statement = FixSyntax.Statement(statementFor(name), lambda)
                    .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
                if (lambda.Block is { } block)
                {
                    return lambda.WithBlock(block.WithStatements(block.Statements.Insert(0, statement)));
                }

                if (lambda.ExpressionBody is not { } body)
                {
                    return current;
                }

                var newBlock = SyntaxFactory.Block(
                        statement,
                        SyntaxFactory.ReturnStatement(body.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                return lambda
                    .WithExpressionBody(null)
                    .WithArrowToken(lambda.ArrowToken.WithTrailingTrivia(FixSyntax.EndOfLine(lambda)))
                    .WithBlock(newBlock.WithTrailingTrivia(body.GetTrailingTrivia()))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            });
        }

        private static bool Uses(LambdaExpressionSyntax lambda, string name) =>
            lambda.Body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);
    }
}
