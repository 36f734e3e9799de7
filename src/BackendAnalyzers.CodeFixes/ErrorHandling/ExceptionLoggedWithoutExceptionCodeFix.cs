using System.Collections.Immutable;
using System.Composition;
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
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2004: passes the exception as the exception argument, right before the message
    /// (<c>logger.LogError(ex, $"Saving failed: {ex.Message}")</c>), or in place of a <c>null</c> exception argument.
    /// The message template is kept as written.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExceptionLoggedWithoutExceptionCodeFix)), Shared]
    public sealed class ExceptionLoggedWithoutExceptionCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ExceptionLoggedWithoutException);

        protected override string GetTitle(Diagnostic diagnostic) =>
            $"Pass '{diagnostic.Properties[ExceptionLoggedWithoutExceptionAnalyzer.ExceptionProperty]}' as the exception argument";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(ExceptionLoggedWithoutExceptionAnalyzer.ExceptionProperty, out var name) && !string.IsNullOrEmpty(name);

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(ExceptionLoggedWithoutExceptionAnalyzer.ExceptionProperty, out var name) || string.IsNullOrEmpty(name))
            {
                return;
            }

            var span = diagnostic.Location.SourceSpan;
            if (span.End > editor.OriginalRoot.FullSpan.End
                || editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call || call.Span != span)
            {
                return;
            }

            var model = await editor.OriginalDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
            {
                return;
            }

            ArgumentSyntax? message = null;
            ArgumentSyntax? exception = null;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Syntax is not ArgumentSyntax syntax || argument.ArgumentKind != ArgumentKind.Explicit)
                {
                    continue;
                }

                if (argument.Parameter?.Name == "message")
                {
                    message = syntax;
                }
                else if (argument.Parameter?.Name == "exception")
                {
                    exception = syntax;
                }
            }

            var value = SyntaxFactory.IdentifierName(name!);
            if (exception is not null)
            {
                editor.ReplaceNode(exception.Expression, value.WithTriviaFrom(exception.Expression));
                return;
            }

            if (message is null)
            {
                return;
            }

            var inserted = SyntaxFactory.Argument(value);
            if (message.NameColon is not null)
            {
                inserted = inserted.WithNameColon(SyntaxFactory.NameColon("exception"));
            }

            editor.ReplaceNode(call.ArgumentList, (current, _) =>
            {
                var list = (ArgumentListSyntax)current;
                var index = call.ArgumentList.Arguments.IndexOf(message);
                return index < 0 ? list : list.WithArguments(list.Arguments.Insert(index, inserted));
            });
        }
    }
}
