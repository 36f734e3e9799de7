using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Pagination
{
    /// <summary>BA4002: wraps the client's page size in <c>Math.Clamp(x, 1, &lt;max_page_size&gt;)</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedClientPageSizeCodeFix)), Shared]
    public sealed class UnboundedClientPageSizeCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnboundedClientPageSize);

        protected override string GetTitle(Diagnostic diagnostic) => "Clamp the page size (Math.Clamp)";

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var expression = node is ArgumentSyntax argument ? argument.Expression : node as ExpressionSyntax;
            if (expression is null || expression.Span != diagnostic.Location.SourceSpan)
            {
                return;
            }

            var document = editor.OriginalDocument;
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
            var max = AnalyzerOptionsReader.GetInt32(options, editor.OriginalRoot.SyntaxTree, RuleIds.UnboundedClientPageSize, OptionNames.MaxPageSize, OptionNames.MaxPageSizeDefault, 1, 100_000);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var math = model is not null && !model.LookupNamespacesAndTypes(expression.SpanStart, name: "Math").IsEmpty ? "Math" : "System.Math";
            editor.ReplaceNode(expression, (current, _) =>
                SyntaxFactory.ParseExpression($"{math}.Clamp({current.WithoutTrivia().ToFullString()}, 1, {max.ToString(CultureInfo.InvariantCulture)})").WithTriviaFrom(current));
        }
    }
}
