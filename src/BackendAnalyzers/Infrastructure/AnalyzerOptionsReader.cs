using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>
    /// Reads <c>backend_analyzers.&lt;option&gt;</c> keys from .editorconfig (or a global config). A per-rule key,
    /// <c>backend_analyzers.&lt;rule id&gt;.&lt;option&gt;</c>, overrides the shared one for that rule.
    /// </summary>
    internal static class AnalyzerOptionsReader
    {
        public const string Prefix = "backend_analyzers.";

        public static string? GetString(AnalyzerOptions options, SyntaxTree tree, string ruleId, string option)
        {
            var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            // .editorconfig keys are case-insensitive and reach analyzers lower-cased.
            if (config.TryGetValue(Prefix + ruleId.ToLowerInvariant() + "." + option, out var perRule) && !string.IsNullOrWhiteSpace(perRule))
            {
                return perRule.Trim();
            }

            if (config.TryGetValue(Prefix + option, out var shared) && !string.IsNullOrWhiteSpace(shared))
            {
                return shared.Trim();
            }

            return null;
        }

        public static int GetInt32(AnalyzerOptions options, SyntaxTree tree, string ruleId, string option, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
        {
            var text = GetString(options, tree, ruleId, option);
            if (text is null || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                return defaultValue;
            }

            return value;
        }

        public static bool GetBoolean(AnalyzerOptions options, SyntaxTree tree, string ruleId, string option, bool defaultValue)
        {
            var text = GetString(options, tree, ruleId, option);
            return text is not null && bool.TryParse(text, out var value) ? value : defaultValue;
        }

        /// <summary>A comma- or semicolon-separated list; entries are trimmed, empty ones dropped.</summary>
        public static ImmutableHashSet<string> GetNameSet(AnalyzerOptions options, SyntaxTree tree, string ruleId, string option)
        {
            var text = GetString(options, tree, ruleId, option);
            if (text is null)
            {
                return ImmutableHashSet<string>.Empty;
            }

            var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in text.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.Trim();
                if (name.Length > 0)
                {
                    builder.Add(name);
                }
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>Option names shared by several rules, with their defaults.</summary>
    internal static class OptionNames
    {
        public const string DefaultPageSize = "default_page_size";
        public const int DefaultPageSizeDefault = 50;
        public const string MaxPageSize = "max_page_size";
        public const int MaxPageSizeDefault = 100;
        public const string SmallTables = "small_tables";
        public const string SmallLoopLimit = "small_loop_limit";
        public const int SmallLoopLimitDefault = 10;
    }
}
