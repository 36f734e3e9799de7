using System;
using System.Composition;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Actions;
using BackendAnalyzers.AI.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Providers
{
    /// <summary>"Implement with AI" on a method whose body throws NotImplementedException.</summary>
    [ExportCodeRefactoringProvider(LanguageNames.CSharp, Name = nameof(ImplementWithAiRefactoringProvider))]
    [Shared]
    public sealed class ImplementWithAiRefactoringProvider : CodeRefactoringProvider
    {
        public const string EquivalenceKey = "BackendAnalyzers.AI.Implement";

        private readonly AiServices _services;

        public ImplementWithAiRefactoringProvider()
            : this(AiServices.CreateDefault())
        {
        }

        internal ImplementWithAiRefactoringProvider(AiServices services)
        {
            _services = services;
        }

        public override async Task ComputeRefactoringsAsync(CodeRefactoringContext context)
        {
            try
            {
                var document = context.Document;
                var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                var method = root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method is null || !ImplementTarget.ThrowsNotImplemented(method) || !OnHeaderOrThrow(method, context.Span.Start))
                {
                    return;
                }

                var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                if (model is null || !ImplementTarget.ThrowsNotImplemented(method, model))
                {
                    return;
                }

                var client = _services.TryGetClient(document);
                if (client is null)
                {
                    return;
                }

                var description = "Asks the " + ActionDescriptions.Service(client.Settings) + " to implement " + method.Identifier.ValueText
                    + " from its context: the containing type, injected services, the DTO and entity types with the EF model, validators and the signatures it can call."
                    + ActionDescriptions.Verified;
                context.RegisterRefactoring(new AiCodeAction(
                    ActionDescriptions.ImplementTitle,
                    EquivalenceKey,
                    description,
                    _ => Task.FromResult<AiActionPlan?>(new MemberPlan(AiActionKind.Implement, ActionDescriptions.ImplementTitle, client, document, method, null))));
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception)
            {
                // A provider that throws gets disabled by the IDE: offer nothing instead.
            }
        }

        private static bool OnHeaderOrThrow(MethodDeclarationSyntax method, int position)
        {
            var headerStart = method.Modifiers.Count > 0 ? method.Modifiers[0].SpanStart : method.ReturnType.SpanStart;
            if (position >= headerStart && position <= method.ParameterList.Span.End)
            {
                return true;
            }

            var creation = ImplementTarget.NotImplementedCreation(method);
            return creation?.Parent is { } thrown && position >= thrown.SpanStart - 6 && position <= thrown.Span.End;
        }
    }
}
