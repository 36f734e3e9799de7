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

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2003: registers problem details and the exception handler around <c>var app = builder.Build();</c>:
    /// <c>builder.Services.AddProblemDetails();</c> right before it (unless already called) and
    /// <c>app.UseExceptionHandler();</c> right after it, first in the pipeline.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NoGlobalExceptionHandlerCodeFix)), Shared]
    public sealed class NoGlobalExceptionHandlerCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.NoGlobalExceptionHandler);

        protected override string GetTitle(Diagnostic diagnostic) => "Add AddProblemDetails() and UseExceptionHandler()";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => FindBuildStatement(root, diagnostic) is not null;

        private static LocalDeclarationStatementSyntax? FindBuildStatement(SyntaxNode root, Diagnostic diagnostic)
        {
            if (diagnostic.AdditionalLocations.Count == 0
                || !diagnostic.Properties.TryGetValue(NoGlobalExceptionHandlerAnalyzer.BuilderProperty, out var builder) || string.IsNullOrEmpty(builder)
                || !diagnostic.Properties.TryGetValue(NoGlobalExceptionHandlerAnalyzer.AppProperty, out var app) || string.IsNullOrEmpty(app))
            {
                return null;
            }

            var location = diagnostic.AdditionalLocations[0];
            if (location.SourceTree != root.SyntaxTree || location.SourceSpan.End > root.FullSpan.End)
            {
                return null;
            }

            return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { Parent: BlockSyntax or GlobalStatementSyntax } statement
                ? statement
                : null;
        }

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var build = FindBuildStatement(editor.OriginalRoot, diagnostic);
            if (build is null)
            {
                return;
            }

            var builder = diagnostic.Properties[NoGlobalExceptionHandlerAnalyzer.BuilderProperty];
            var app = diagnostic.Properties[NoGlobalExceptionHandlerAnalyzer.AppProperty];
            var hasProblemDetails = diagnostic.Properties.TryGetValue(NoGlobalExceptionHandlerAnalyzer.HasProblemDetailsProperty, out var value) && value == "true";

            // In top-level statements each statement is wrapped in a global statement.
            SyntaxNode anchor = build.Parent is GlobalStatementSyntax global ? global : build;
            if (!hasProblemDetails)
            {
                editor.InsertBefore(anchor, MakeStatement($"{builder}.Services.AddProblemDetails();", build, anchor));
            }

            editor.InsertAfter(anchor, MakeStatement($"{app}.UseExceptionHandler();", build, anchor));

            // Web projects import both namespaces globally; other files get the using directives they need.
            var model = await editor.OriginalDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null || editor.OriginalRoot is not CompilationUnitSyntax)
            {
                return;
            }

            var missing = new[]
                {
                    (Type: "ProblemDetailsServiceCollectionExtensions", Namespace: "Microsoft.Extensions.DependencyInjection", Needed: !hasProblemDetails),
                    (Type: "ExceptionHandlerExtensions", Namespace: "Microsoft.AspNetCore.Builder", Needed: true),
                }
                .Where(n => n.Needed && model.LookupNamespacesAndTypes(build.SpanStart, name: n.Type).IsEmpty)
                .Select(n => n.Namespace)
                .ToList();
            if (missing.Count > 0)
            {
                editor.ReplaceNode(editor.OriginalRoot, (current, _) =>
                {
                    var unit = (CompilationUnitSyntax)current;
                    var eol = FixSyntax.EndOfLine(build);
                    return unit.AddUsings(missing.Select(n => SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(n)).WithTrailingTrivia(eol)).ToArray());
                });
            }
        }

        /// <summary>A statement for a block (formatted in place), or a global statement at the start of its line for top-level statements.</summary>
        private static SyntaxNode MakeStatement(string text, StatementSyntax near, SyntaxNode anchor) =>
            anchor is GlobalStatementSyntax
                ? SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement(text).WithTrailingTrivia(FixSyntax.EndOfLine(near)))
                : FixSyntax.Statement(text, near);
    }
}
