using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.ErrorHandling;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2005: replaces <c>t.Result</c>, <c>t.Wait()</c> and <c>t.GetAwaiter().GetResult()</c> with <c>await t</c>. When
    /// the enclosing function is an endpoint that is not async yet, it becomes async first (<c>T</c> becomes
    /// <c>Task&lt;T&gt;</c>, <c>void</c> becomes <c>Task</c>; a lambda gets the <c>async</c> modifier). Other functions get
    /// no fix: changing their signature changes their callers.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingOnAsyncCodeFix)), Shared]
    public sealed class BlockingOnAsyncCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.BlockingOnAsync);

        protected override string GetTitle(Diagnostic diagnostic) =>
            diagnostic.Properties[BlockingOnAsyncAnalyzer.FixProperty] == BlockingOnAsyncAnalyzer.FixMakeAsync ? "Make the endpoint async and await the task" : "Await the task";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(BlockingOnAsyncAnalyzer.FixProperty, out var fix) && fix is not null && FindBlocking(root, diagnostic) is not null;

        private static ExpressionSyntax? FindBlocking(SyntaxNode root, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End)
            {
                return null;
            }

            var node = root.FindNode(span, getInnermostNodeForTie: true);
            return node is ExpressionSyntax expression && expression.Span == span && GetAwaited(expression) is not null ? expression : null;
        }

        /// <summary>The task expression of <c>t.Result</c>, <c>t.Wait()</c> or <c>t.GetAwaiter().GetResult()</c>.</summary>
        private static ExpressionSyntax? GetAwaited(ExpressionSyntax blocking) => blocking switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait, ArgumentList.Arguments.Count: 0 } => wait.Expression,
            InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.ValueText: "GetResult",
                    Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter },
                },
            } => getAwaiter.Expression,
            _ => null,
        };

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(BlockingOnAsyncAnalyzer.FixProperty, out var fix) || fix is null)
            {
                return;
            }

            var blocking = FindBlocking(editor.OriginalRoot, diagnostic);
            if (blocking is null)
            {
                return;
            }

            if (fix == BlockingOnAsyncAnalyzer.FixMakeAsync && !await MakeAsyncAsync(editor, blocking, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            editor.ReplaceNode(blocking, (current, _) =>
            {
                var awaited = current is ExpressionSyntax expression ? GetAwaited(expression) : null;
                if (awaited is null)
                {
                    return current;
                }

                ExpressionSyntax replacement = SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
                if (current.Parent is not (ExpressionStatementSyntax or ArgumentSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax or LambdaExpressionSyntax))
                {
                    replacement = SyntaxFactory.ParenthesizedExpression(replacement).WithAdditionalAnnotations(Simplifier.Annotation);
                }

                return replacement.WithTriviaFrom(current);
            });
        }

        private static async Task<bool> MakeAsyncAsync(DocumentEditor editor, SyntaxNode blocking, CancellationToken cancellationToken)
        {
            var function = blocking.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax);
            switch (function)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    editor.ReplaceNode(lambda, (current, _) =>
                    {
                        var anonymous = (AnonymousFunctionExpressionSyntax)current;
                        if (anonymous.Modifiers.Any(SyntaxKind.AsyncKeyword))
                        {
                            return anonymous;
                        }

                        var asyncKeyword = SyntaxFactory.Token(anonymous.GetLeadingTrivia(), SyntaxKind.AsyncKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                        var stripped = anonymous.WithoutLeadingTrivia();
                        return stripped switch
                        {
                            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithModifiers(parenthesized.Modifiers.Insert(0, asyncKeyword)),
                            SimpleLambdaExpressionSyntax simple => simple.WithModifiers(simple.Modifiers.Insert(0, asyncKeyword)),
                            AnonymousMethodExpressionSyntax method => method.WithModifiers(method.Modifiers.Insert(0, asyncKeyword)),
                            _ => anonymous,
                        };
                    });
                    return true;
                case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                    var model = await editor.OriginalDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    if (model?.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method)
                    {
                        return false;
                    }

                    var returnsVoid = method.ReturnsVoid;
                    editor.ReplaceNode(function, (current, _) => current switch
                    {
                        MethodDeclarationSyntax declaration when !declaration.Modifiers.Any(SyntaxKind.AsyncKeyword) =>
                            MakeAsync(declaration.Modifiers, declaration.ReturnType, returnsVoid, (m, t) => declaration.WithModifiers(m).WithReturnType(t)),
                        LocalFunctionStatementSyntax local when !local.Modifiers.Any(SyntaxKind.AsyncKeyword) =>
                            MakeAsync(local.Modifiers, local.ReturnType, returnsVoid, (m, t) => local.WithModifiers(m).WithReturnType(t)),
                        _ => current,
                    });
                    return true;
                default:
                    return false;
            }
        }

        private static SyntaxNode MakeAsync(SyntaxTokenList modifiers, TypeSyntax returnType, bool returnsVoid, System.Func<SyntaxTokenList, TypeSyntax, SyntaxNode> rebuild)
        {
            var taskText = returnsVoid ? "System.Threading.Tasks.Task" : "System.Threading.Tasks.Task<" + returnType.WithoutTrivia().ToString() + ">";
            var task = SyntaxFactory.ParseTypeName(taskText).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            SyntaxToken asyncKeyword;
            if (modifiers.Count == 0)
            {
                // The return type leads the declaration: its leading trivia moves to the new first token.
                asyncKeyword = SyntaxFactory.Token(returnType.GetLeadingTrivia(), SyntaxKind.AsyncKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                return rebuild(SyntaxFactory.TokenList(asyncKeyword), task.WithTrailingTrivia(returnType.GetTrailingTrivia()));
            }

            asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            return rebuild(modifiers.Add(asyncKeyword), task.WithTriviaFrom(returnType));
        }
    }
}
