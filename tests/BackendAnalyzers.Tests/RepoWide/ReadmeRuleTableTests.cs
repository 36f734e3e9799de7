using Xunit;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>
/// The README's rule table is generated from the descriptors. When it is stale the test fails; run it with
/// <c>BA_UPDATE_DOCS=1</c> to rewrite the section instead:
/// <c>BA_UPDATE_DOCS=1 dotnet test tests/BackendAnalyzers.Tests --filter ReadmeRuleTable</c>.
/// The package readme (src/BackendAnalyzers.Package/PACKAGE.md) carries the same table.
/// </summary>
public class ReadmeRuleTableTests
{
    private const string Begin = "<!-- rules:begin -->";
    private const string End = "<!-- rules:end -->";

    [Theory]
    [InlineData("README.md", "docs/rules/")]
    [InlineData("src/BackendAnalyzers.Package/PACKAGE.md", BackendAnalyzers.Infrastructure.RuleDescriptors.HelpLinkBase)]
    public void Rule_table_matches_the_descriptors(string relativePath, string linkPrefix)
    {
        var path = Path.Combine(AnalyzerCatalog.RepositoryRoot, relativePath);
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{relativePath} has no {Begin} ... {End} section");

        var current = text.Substring(begin + Begin.Length, end - begin - Begin.Length).Trim('\n');
        var expected = AnalyzerCatalog.RuleTable(linkPrefix).Trim('\n');
        if (current == expected)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("BA_UPDATE_DOCS") == "1")
        {
            var updated = text.Substring(0, begin + Begin.Length) + "\n" + expected + "\n" + text.Substring(end);
            File.WriteAllText(path, updated);
            return;
        }

        Assert.Fail($"The rule table in {relativePath} is stale. Regenerate it with: BA_UPDATE_DOCS=1 dotnet test tests/BackendAnalyzers.Tests --filter ReadmeRuleTable\n\nExpected:\n{expected}\n\nFound:\n{current}");
    }
}
