using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Actions;
using BackendAnalyzers.AI.Configuration;
using BackendAnalyzers.AI.Transport;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Providers
{
    /// <summary>
    /// "Fix with AI" on the BackendAnalyzers diagnostics that have no deterministic fix. BA1001 is offered except in
    /// the MVC case the core package fixes itself (a controller without [ApiController]).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixWithAiCodeFixProvider))]
    [Shared]
    public sealed class FixWithAiCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKeyPrefix = "BackendAnalyzers.AI.Fix.";

        internal static readonly ImmutableArray<string> Rules = ImmutableArray.Create(
            "BA1001", "BA1002", "BA1003", "BA2007", "BA3001", "BA3003", "BA3009", "BA5004", "BA5006", "BA6001");

        private readonly AiServices _services;

        public FixWithAiCodeFixProvider()
            : this(AiServices.CreateDefault())
        {
        }

        internal FixWithAiCodeFixProvider(AiServices services)
        {
            _services = services;
        }

        public override ImmutableArray<string> FixableDiagnosticIds => Rules;

        /// <summary>No Fix All: every fix is its own request, reviewed on its own.</summary>
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            try
            {
                var document = context.Document;
                var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (root is null)
                {
                    return;
                }

                AiClient? client = null;
                foreach (var diagnostic in context.Diagnostics)
                {
                    if (!Rules.Contains(diagnostic.Id) || !diagnostic.Location.IsInSource)
                    {
                        continue;
                    }

                    var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                    var member = EnclosingMember(node);
                    if (member is null)
                    {
                        continue;
                    }

                    if (diagnostic.Id == "BA1001")
                    {
                        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                        if (model is null || IsMvcControllerWithoutApiController(member, model))
                        {
                            continue;
                        }
                    }

                    client ??= _services.TryGetClient(document);
                    if (client is null)
                    {
                        return;
                    }

                    var title = ActionDescriptions.FixTitle;
                    var description = "Asks the " + ActionDescriptions.Service(client.Settings) + " to fix " + diagnostic.Id + " in " + AnswerParser.NameOf(member)
                        + ", with the rule's description, the containing type, injected services, the DTO and entity types with the EF model and the signatures it can call."
                        + ActionDescriptions.Verified;
                    var captured = diagnostic;
                    var capturedClient = client;
                    context.RegisterCodeFix(
                        new AiCodeAction(
                            title,
                            EquivalenceKeyPrefix + diagnostic.Id,
                            description,
                            _ => Task.FromResult<AiActionPlan?>(new MemberPlan(AiActionKind.Fix, title, capturedClient, document, member, captured))),
                        diagnostic);
                }
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

        /// <summary>The member whose code is rewritten: a method or constructor (its body), a property or a field.</summary>
        internal static MemberDeclarationSyntax? EnclosingMember(SyntaxNode node)
        {
            foreach (var ancestor in node.AncestorsAndSelf())
            {
                switch (ancestor)
                {
                    case MethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                        return method;
                    case ConstructorDeclarationSyntax constructor when constructor.Body is not null || constructor.ExpressionBody is not null:
                        return constructor;
                    case PropertyDeclarationSyntax property:
                        return property;
                    case FieldDeclarationSyntax field:
                        return field;
                    case BaseTypeDeclarationSyntax:
                    case GlobalStatementSyntax:
                        return null;
                }
            }

            return null;
        }

        private static bool IsMvcControllerWithoutApiController(MemberDeclarationSyntax member, SemanticModel model)
        {
            var types = new KnownTypes(model.Compilation);
            var type = member.Parent is TypeDeclarationSyntax parent ? model.GetDeclaredSymbol(parent) as INamedTypeSymbol : null;
            if (type is null || types.ControllerBase is null || !type.InheritsFromOrEquals(types.ControllerBase))
            {
                return false;
            }

            var apiController = types.ApiControllerAttribute;
            if (apiController is null)
            {
                return true;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, apiController)))
                {
                    return false;
                }
            }

            return !model.Compilation.Assembly.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, apiController));
        }
    }
}
