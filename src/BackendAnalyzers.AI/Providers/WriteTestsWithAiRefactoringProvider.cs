using System;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Actions;
using BackendAnalyzers.AI.Configuration;
using BackendAnalyzers.AI.Grounding;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Providers
{
    /// <summary>
    /// "Write tests with AI" on an endpoint, controller or service (the type, or one of its methods): adds one test file
    /// to the solution's test project that references the target's project. Not offered without such a project.
    /// </summary>
    [ExportCodeRefactoringProvider(LanguageNames.CSharp, Name = nameof(WriteTestsWithAiRefactoringProvider))]
    [Shared]
    public sealed class WriteTestsWithAiRefactoringProvider : CodeRefactoringProvider
    {
        public const string EquivalenceKey = "BackendAnalyzers.AI.WriteTests";

        private static readonly string[] ServiceSuffixes = { "Service", "Repository", "Handler", "Manager", "Store", "Client", "Endpoints" };
        private static readonly string[] MapMethods = { "MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch", "MapMethods", "MapGroup" };

        private readonly AiServices _services;

        public WriteTestsWithAiRefactoringProvider()
            : this(AiServices.CreateDefault())
        {
        }

        internal WriteTestsWithAiRefactoringProvider(AiServices services)
        {
            _services = services;
        }

        public override async Task ComputeRefactoringsAsync(CodeRefactoringContext context)
        {
            try
            {
                var document = context.Document;
                var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
                if (node is null)
                {
                    return;
                }

                var position = context.Span.Start;
                SyntaxNode? target = null;
                ClassDeclarationSyntax? type = null;
                var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method is not null && position >= method.Identifier.SpanStart && position <= method.ParameterList.Span.End)
                {
                    target = method;
                    type = method.Parent as ClassDeclarationSyntax;
                }
                else if (node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } cls
                    && position >= cls.Identifier.SpanStart && position <= (cls.BaseList?.Span.End ?? cls.Identifier.Span.End)
                    || node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } cls2 && cls2.Identifier.Span.Contains(position))
                {
                    type = node.FirstAncestorOrSelf<ClassDeclarationSyntax>();
                    target = type;
                }

                if (target is null || type is null)
                {
                    return;
                }

                var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                var typeSymbol = model?.GetDeclaredSymbol(type, context.CancellationToken);
                if (typeSymbol is null)
                {
                    return;
                }

                var kind = Classify(typeSymbol, type);
                if (kind is null)
                {
                    return;
                }

                if (target is MethodDeclarationSyntax targetMethod
                    && !(targetMethod.Modifiers.Any(SyntaxKind.PublicKeyword) || kind == "endpoints"))
                {
                    return;
                }

                // Registration costs no network: the test project is found from the solution's references.
                var tests = TestProjectInfo.Find(document.Project.Solution, document.Project);
                if (tests is null)
                {
                    return;
                }

                var client = _services.TryGetClient(document);
                if (client is null)
                {
                    return;
                }

                var targetName = target is MethodDeclarationSyntax m ? typeSymbol.Name + m.Identifier.ValueText : typeSymbol.Name;
                var description = "Asks the " + ActionDescriptions.Service(client.Settings) + " to write " + tests.Framework + " tests for " + targetName
                    + " (" + kind + ") in " + tests.Project.Name + ", in the style of an existing test file there, from the code, its services and its DTO and entity types."
                    + " The new file must compile in " + tests.Project.Name + "." + ActionDescriptions.Verified;
                var capturedTarget = target;
                context.RegisterRefactoring(new AiCodeAction(
                    ActionDescriptions.WriteTestsTitle,
                    EquivalenceKey,
                    description,
                    _ => Task.FromResult<AiActionPlan?>(new TestFilePlan(ActionDescriptions.WriteTestsTitle, client, document, capturedTarget, tests, targetName))));
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

        /// <summary>"controller", "endpoints" or "service"; null for anything else (DTOs, entities, DbContexts, tests...).</summary>
        internal static string? Classify(INamedTypeSymbol type, ClassDeclarationSyntax declaration)
        {
            if (type.IsAbstract && !type.IsStatic || type.IsGenericType && !type.IsStatic)
            {
                return null;
            }

            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (current.Name is "ControllerBase" or "Controller" && current.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Mvc")
                {
                    return "controller";
                }

                if (current.Name == "DbContext")
                {
                    return null;
                }
            }

            if (type.GetAttributes().Any(a => a.AttributeClass?.Name is "ApiControllerAttribute" or "ControllerAttribute"))
            {
                return "controller";
            }

            if (type.IsStatic)
            {
                var maps = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i =>
                    i.Expression is MemberAccessExpressionSyntax access && MapMethods.Contains(access.Name.Identifier.ValueText));
                return maps ? "endpoints" : null;
            }

            var hasPublicMethod = type.GetMembers().OfType<IMethodSymbol>().Any(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public && !m.IsStatic);
            if (!hasPublicMethod)
            {
                return null;
            }

            var implementsSourceInterface = type.Interfaces.Any(i => i.Locations.Any(l => l.IsInSource));
            return implementsSourceInterface || ServiceSuffixes.Any(s => type.Name.EndsWith(s, StringComparison.Ordinal)) ? "service" : null;
        }
    }
}
