using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Validation
{
    /// <summary>
    /// BA1001: in a controller without [ApiController], inserts
    /// <c>if (!ModelState.IsValid) { return ValidationProblem(ModelState); }</c> at the start of the action. Offered only
    /// when the analyzer marks the action fixable (a ControllerBase action with a block body that returns an action result).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RequestModelNotValidatedCodeFix)), Shared]
    public sealed class RequestModelNotValidatedCodeFix : CodeFixProvider
    {
        private const string Check = "if (!ModelState.IsValid)\n{\n    return ValidationProblem(ModelState);\n}";

        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.RequestModelNotValidated);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!IsFixable(diagnostic))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Return ValidationProblem when ModelState is invalid",
                        ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct),
                        nameof(RequestModelNotValidatedCodeFix)),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static bool IsFixable(Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(RequestModelNotValidatedAnalyzer.FixableProperty, out var fixable) && fixable == "true";

        private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!IsFixable(diagnostic))
            {
                return Task.CompletedTask;
            }

            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { Body: { } body })
            {
                return Task.CompletedTask;
            }

            editor.ReplaceNode(body, (current, _) =>
            {
                var block = (BlockSyntax)current;
                // Two models in one action: FixAll inserts the check once.
                if (block.Statements.Count > 0 && StartsWithCheck(block.Statements[0]))
                {
                    return block;
                }

                // A blank line separates the guard from the action's own code.
                var endOfLine = FixSyntax.EndOfLine(body);
                var check = FixSyntax.Statement(Check, body).WithTrailingTrivia(endOfLine, endOfLine);
                return block.WithStatements(block.Statements.Insert(0, check));
            });
            return Task.CompletedTask;
        }

        private static bool StartsWithCheck(StatementSyntax statement) =>
            statement is IfStatementSyntax { Condition: PrefixUnaryExpressionSyntax { Operand: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "ModelState" }, Name.Identifier.ValueText: "IsValid" } } };
    }
}
