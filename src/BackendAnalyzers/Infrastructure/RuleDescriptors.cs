using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>
    /// The one way a rule gets its descriptor: the help link always points at the rule's page under docs/rules,
    /// so no rule can ship without documentation.
    /// </summary>
    internal static class RuleDescriptors
    {
        public const string HelpLinkBase = "https://github.com/backend-analyzers/BackendAnalyzers/blob/main/docs/rules/";

        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        public static DiagnosticDescriptor Create(
            string id,
            string title,
            string messageFormat,
            string category,
            DiagnosticSeverity severity,
            string description)
        {
#pragma warning disable RS0030 // The one place that creates descriptors.
            return new DiagnosticDescriptor(
                id,
                title,
                messageFormat,
                category,
                severity,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpLink(id));
#pragma warning restore RS0030
        }
    }
}
