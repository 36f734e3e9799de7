using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Integration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace BackendAnalyzers.CodeFixes.Integration
{
    /// <summary>
    /// BA6002: gives the entry an absolute expiration relative to now (default five minutes, option
    /// <c>backend_analyzers.default_cache_expiration</c>): a TimeSpan argument for <c>IMemoryCache.Set</c>, a first
    /// statement in a GetOrCreate factory, a member of an options initializer, or a DistributedCacheEntryOptions
    /// argument for IDistributedCache writes.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CacheEntryNeverExpiresCodeFix)), Shared]
    public sealed class CacheEntryNeverExpiresCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CacheEntryNeverExpires);

        protected override string GetTitle(Diagnostic diagnostic) => "Add an absolute expiration";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => diagnostic.Properties.ContainsKey(CacheEntryNeverExpiresAnalyzer.FixProperty);

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(CacheEntryNeverExpiresAnalyzer.FixProperty, out var fix)
                || !properties.TryGetValue(CacheEntryNeverExpiresAnalyzer.ExpirationProperty, out var expiration) || expiration is null)
            {
                return Task.CompletedTask;
            }

            var root = editor.OriginalRoot;
            switch (fix)
            {
                case CacheEntryNeverExpiresAnalyzer.FixAppendExpiration:
                    if (CacheEntryFixes.FindInvocation(root, diagnostic) is { } set)
                    {
                        CacheEntryFixes.AddArgument(editor, set, CacheEntryFixes.Expression(expiration), "absoluteExpirationRelativeToNow", -1);
                    }

                    break;
                case CacheEntryNeverExpiresAnalyzer.FixFactory:
                    if (CacheEntryFixes.FindAdditional(root, diagnostic) is { } lambda)
                    {
                        CacheEntryFixes.InsertFactoryStatement(editor, lambda, entry => entry + ".AbsoluteExpirationRelativeToNow = " + expiration + ";");
                    }

                    break;
                case CacheEntryNeverExpiresAnalyzer.FixOptionsInitializer:
                    if (CacheEntryFixes.FindAdditional(root, diagnostic) is { } creation)
                    {
                        CacheEntryFixes.AddInitializerMember(editor, creation, "AbsoluteExpirationRelativeToNow", expiration);
                    }

                    break;
                case CacheEntryNeverExpiresAnalyzer.FixDistributedOptions:
                    if (CacheEntryFixes.FindInvocation(root, diagnostic) is { } write)
                    {
                        var index = properties.TryGetValue(CacheEntryNeverExpiresAnalyzer.TokenIndexProperty, out var text)
                            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
                        var options = CacheEntryFixes.Expression(
                            "new global::Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = " + expiration + " }");
                        CacheEntryFixes.AddArgument(editor, write, options, "options", index);
                    }

                    break;
            }

            return Task.CompletedTask;
        }
    }
}
