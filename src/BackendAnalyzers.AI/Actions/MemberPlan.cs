using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Grounding;
using BackendAnalyzers.AI.Transport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>Implement with AI and Fix with AI: one member (a method's body, or a property or field) is replaced.</summary>
    internal sealed class MemberPlan : AiActionPlan
    {
        private readonly Document _document;
        private readonly MemberDeclarationSyntax _member;
        private readonly Diagnostic? _diagnostic;

        public MemberPlan(AiActionKind kind, string title, AiClient client, Document document, MemberDeclarationSyntax member, Diagnostic? diagnostic)
            : base(kind, title, client, document.Project.Solution, document.Project.Id)
        {
            _document = document;
            _member = member;
            _diagnostic = diagnostic;
        }

        public override async Task<List<AiChatMessage>> BuildMessagesAsync(CancellationToken cancellationToken)
        {
            var model = await _document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            ISymbol? symbol = _member is FieldDeclarationSyntax field
                ? model?.GetDeclaredSymbol(field.Declaration.Variables.First(), cancellationToken)
                : model?.GetDeclaredSymbol(_member, cancellationToken);
            if (model is null || symbol is null)
            {
                return new List<AiChatMessage>();
            }

            var target = new GroundingTarget(_document, model, _member, symbol);
            var sections = await ContextBuilder.BuildAsync(target, _diagnostic, null, null, Redactor, cancellationToken).ConfigureAwait(false);
            return PromptComposer.Compose(Kind, sections, Client.Settings.MaxPromptTokens, out _);
        }

        public override async Task<Candidate> ApplyAsync(string code, CancellationToken cancellationToken)
        {
            var (usings, rest) = AnswerParser.SplitUsings(code);
            string? error;
            MemberDeclarationSyntax? replacement;
            if (_member is BaseMethodDeclarationSyntax method)
            {
                replacement = AnswerParser.ParseMethodAnswer(method, rest, out error);
            }
            else
            {
                replacement = AnswerParser.ParseMemberAnswer(_member, rest, out error);
                replacement = replacement?.WithLeadingTrivia(_member.GetLeadingTrivia()).WithTrailingTrivia(_member.GetTrailingTrivia());
            }

            if (replacement is null)
            {
                return Candidate.Rejected(error ?? "the answer could not be read");
            }

            if (Kind == AiActionKind.Implement && replacement is BaseMethodDeclarationSyntax implemented && ImplementTarget.ThrowsNotImplemented(implemented))
            {
                return Candidate.Rejected("it still throws NotImplementedException");
            }

            replacement = FailureComment.Remove(replacement, Title).WithAdditionalAnnotations(Formatter.Annotation);
            var root = await _document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return Candidate.Rejected("the document has no syntax tree");
            }

            var newRoot = root.ReplaceNode(_member, replacement);
            if (newRoot is CompilationUnitSyntax unit && usings.Count > 0)
            {
                var present = new HashSet<string>(unit.Usings.Select(u => u.ToString().Trim()), System.StringComparer.Ordinal);
                foreach (var ns in unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>())
                {
                    present.UnionWith(ns.Usings.Select(u => u.ToString().Trim()));
                }

                var missing = usings.Where(u => present.Add(u.ToString().Trim())).Select(u => u.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
                if (missing.Count > 0)
                {
                    var newLine = FailureComment.NewLineOf(root);
                    unit = unit.AddUsings(missing.Select(u => u.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine))).ToArray());
                    newRoot = unit;
                }
            }

            var document = _document.WithSyntaxRoot(newRoot);
            document = await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Candidate.Of(document.Project.Solution);
        }

        public override async Task<Solution> LeaveCommentAsync(string reason, CancellationToken cancellationToken)
        {
            var root = await _document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return Original;
            }

            var commented = FailureComment.Add(_member, Title, reason, Redactor, FailureComment.NewLineOf(root));
            return _document.WithSyntaxRoot(root.ReplaceNode(_member, commented)).Project.Solution;
        }
    }
}
