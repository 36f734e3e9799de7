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
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2006: changes <c>async void</c> to <c>async Task</c>. Not offered for overrides, interface implementations,
    /// virtual or partial methods, or methods that some code converts to a delegate (that code needs a void method).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidCodeFix)), Shared]
    public sealed class AsyncVoidCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.AsyncVoid);

        protected override string GetTitle(Diagnostic diagnostic) => "Return Task instead of void";

        private static SyntaxNode? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End)
            {
                return null;
            }

            var token = root.FindToken(span.Start);
            return token.Parent switch
            {
                MethodDeclarationSyntax method when method.Identifier == token && method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } => method,
                LocalFunctionStatementSyntax local when local.Identifier == token && local.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } => local,
                _ => null,
            };
        }

        protected override async Task<bool> CanFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(AsyncVoidAnalyzer.FixableProperty, out var fixable) || fixable != "true")
            {
                return false;
            }

            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var declaration = root is null ? null : FindDeclaration(root, diagnostic);
            if (declaration is null)
            {
                return false;
            }

            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol method
                || method.IsVirtual || method.IsAbstract || method.IsOverride || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null)
            {
                return false;
            }

            // A method group conversion (an event subscription, a callback) needs the void signature.
            foreach (var referenced in await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in referenced.Locations)
                {
                    var referenceRoot = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    var node = referenceRoot?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                    var expression = node?.Parent is MemberAccessExpressionSyntax access && access.Name == node ? access : node;
                    if (expression?.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != expression)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var declaration = FindDeclaration(editor.OriginalRoot, diagnostic);
            if (declaration is null || !await CanFixAsync(editor.OriginalDocument, diagnostic, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var task = SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task")
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            editor.ReplaceNode(declaration, (current, _) => current switch
            {
                MethodDeclarationSyntax method => method.WithReturnType(task.WithTriviaFrom(method.ReturnType)),
                LocalFunctionStatementSyntax local => local.WithReturnType(task.WithTriviaFrom(local.ReturnType)),
                _ => current,
            });
        }
    }
}
