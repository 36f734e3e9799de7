using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Security;
using Microsoft.CodeAnalysis;
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
    public sealed class MutatingEndpointAllowsAnonymousCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.MutatingEndpointAllowsAnonymous);

        protected override string GetTitle(Diagnostic diagnostic) =>
            diagnostic.Properties[MutatingEndpointAllowsAnonymousAnalyzer.KindProperty] == MutatingEndpointAllowsAnonymousAnalyzer.KindController ? "Add [Authorize]" : "Add .RequireAuthorization()";

        /// <summary>The two kinds of action (an attribute, a call) have keys of their own.</summary>
        protected override string GetEquivalenceKey(Diagnostic diagnostic) =>
            nameof(MutatingEndpointAllowsAnonymousCodeFix) + diagnostic.Properties[MutatingEndpointAllowsAnonymousAnalyzer.KindProperty];

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.Properties.ContainsKey(MutatingEndpointAllowsAnonymousAnalyzer.KindProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
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
