using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.Security
{
    /// <summary>
    /// BA5001: adds <c>[Authorize]</c> to the controller action (with <c>using Microsoft.AspNetCore.Authorization;</c>),
    /// or appends <c>.RequireAuthorization()</c> to the Map call of a minimal API endpoint.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MutatingEndpointAllowsAnonymousCodeFix)), Shared]
    public sealed class MutatingEndpointAllowsAnonymousCodeFix : CodeFixProvider
    {
        private static readonly FixAllProvider FixAll = EditorFixAllProvider.Create(ApplyAsync);

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.MutatingEndpointAllowsAnonymous);

        public override FixAllProvider GetFixAllProvider() => FixAll;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(MutatingEndpointAllowsAnonymousAnalyzer.KindProperty, out var kind))
                {
                    continue;
                }

                var title = kind == MutatingEndpointAllowsAnonymousAnalyzer.KindController ? "Add [Authorize]" : "Add .RequireAuthorization()";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => EditorFixAllProvider.ApplyOneAsync(context.Document, diagnostic, ApplyAsync, ct), nameof(MutatingEndpointAllowsAnonymousCodeFix) + kind),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(MutatingEndpointAllowsAnonymousAnalyzer.KindProperty, out var kind))
            {
                return Task.CompletedTask;
            }

            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (kind == MutatingEndpointAllowsAnonymousAnalyzer.KindController)
            {
                if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
                {
                    var attribute = SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::Microsoft.AspNetCore.Authorization.Authorize"))
                        .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
                    editor.AddAttribute(method, attribute);
                }

                return Task.CompletedTask;
            }

            if (node is SimpleNameSyntax { Parent: MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access } && access.Name == node)
            {
                editor.ReplaceNode(invocation, (current, _) =>
                    SyntaxFactory.InvocationExpression(
                            SyntaxFactory.MemberAccessExpression(
                                SyntaxKind.SimpleMemberAccessExpression,
                                ((ExpressionSyntax)current).WithoutTrailingTrivia(),
                                SyntaxFactory.IdentifierName("RequireAuthorization")))
                        .WithTrailingTrivia(current.GetTrailingTrivia()));
            }

            return Task.CompletedTask;
        }
    }
}
