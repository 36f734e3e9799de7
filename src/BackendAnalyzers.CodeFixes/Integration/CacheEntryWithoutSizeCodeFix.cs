using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Integration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Integration
{
    /// <summary>
    /// BA6003: gives the entry <c>Size = 1</c>: an options argument for <c>Set(key, value)</c>, options that carry
    /// both the expiration and the size for <c>Set(key, value, expiration)</c>, <c>entry.Size = 1;</c> in a
    /// GetOrCreate factory, or a member of an options initializer. One unit per entry makes SizeLimit a count of
    /// entries; weigh entries differently where sizes vary.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CacheEntryWithoutSizeCodeFix)), Shared]
    public sealed class CacheEntryWithoutSizeCodeFix : EditorCodeFix
    {
        private const string OptionsType = "global::Microsoft.Extensions.Caching.Memory.MemoryCacheEntryOptions";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CacheEntryWithoutSize);

        protected override string GetTitle(Diagnostic diagnostic) => "Set the entry's Size to 1";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.Properties.ContainsKey(CacheEntryWithoutSizeAnalyzer.FixProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(CacheEntryWithoutSizeAnalyzer.FixProperty, out var fix))
            {
                return Task.CompletedTask;
            }

            var root = editor.OriginalRoot;
            switch (fix)
            {
                case CacheEntryWithoutSizeAnalyzer.FixAppendOptions:
                    if (CacheEntryFixes.FindInvocation(root, diagnostic) is { } set)
                    {
                        CacheEntryFixes.AddArgument(editor, set, CacheEntryFixes.Expression("new " + OptionsType + " { Size = 1 }"), "options", -1);
                    }

                    break;
                case CacheEntryWithoutSizeAnalyzer.FixReplaceExpiration:
                    if (CacheEntryFixes.FindAdditional(root, diagnostic)?.FirstAncestorOrSelf<ArgumentSyntax>() is { } argument
                        && diagnostic.Properties.TryGetValue(CacheEntryWithoutSizeAnalyzer.ExpirationMemberProperty, out var member) && member is not null)
                    {
                        editor.ReplaceNode(argument, (current, _) =>
                        {
                            var arg = (ArgumentSyntax)current;
                            var value = arg.Expression.WithoutTrivia().ToFullString();
                            var assigned = member == "ExpirationTokens" ? "{ " + value + " }" : value;
                            var options = CacheEntryFixes.Expression("new " + OptionsType + " { " + member + " = " + assigned + ", Size = 1 }")
                                .WithTriviaFrom(arg.Expression);
                            var replaced = arg.WithExpression(options);
                            return arg.NameColon is null ? replaced : replaced.WithNameColon(SyntaxFactory.NameColon("options").WithTriviaFrom(arg.NameColon));
                        });
                    }

                    break;
                case CacheEntryWithoutSizeAnalyzer.FixFactory:
                    if (CacheEntryFixes.FindAdditional(root, diagnostic) is { } lambda)
                    {
                        CacheEntryFixes.InsertFactoryStatement(editor, lambda, entry => entry + ".Size = 1;");
                    }

                    break;
                case CacheEntryWithoutSizeAnalyzer.FixOptionsInitializer:
                    if (CacheEntryFixes.FindAdditional(root, diagnostic) is { } creation)
                    {
                        CacheEntryFixes.AddInitializerMember(editor, creation, "Size", "1");
                    }

                    break;
            }

            return Task.CompletedTask;
        }
    }
}
