using System.Text.RegularExpressions;
using BackendAnalyzers.Infrastructure;
using Xunit;

namespace BackendAnalyzers.Tests.RepoWide;

/// <summary>Every rule ships with a page, a working help link and a release-tracking row; no page is orphaned.</summary>
public class DocumentationTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AnalyzerCatalog.Descriptors)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void The_catalog_finds_the_rules()
    {
        Assert.Contains(AnalyzerCatalog.Descriptors, d => d.Id == "BA3001");
        Assert.Contains(AnalyzerCatalog.Descriptors, d => d.Id == "BA4001");
        Assert.All(AnalyzerCatalog.Descriptors, d => Assert.Matches("^BA[1-6][0-9]{3}$", d.Id));
    }

    [Fact]
    public void Rule_ids_are_unique_across_analyzers()
    {
        var owners = AnalyzerCatalog.Analyzers
            .SelectMany(a => a.SupportedDiagnostics.Select(d => (d.Id, Analyzer: a.GetType().Name)))
            .GroupBy(x => x.Id)
            .Where(g => g.Select(x => x.Analyzer).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Analyzer).Distinct())}")
            .ToList();
        Assert.True(owners.Count == 0, "IDs reported by more than one analyzer: " + string.Join("; ", owners));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_page_whose_title_matches_its_descriptor(string id)
    {
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        var page = Path.Combine(AnalyzerCatalog.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no docs/rules/{id}.md");
        var firstLine = File.ReadLines(page).First();
        Assert.Equal($"# {id}: {descriptor.Title}", firstLine);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Help_link_points_at_the_rule_page(string id)
    {
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        Assert.Equal(RuleDescriptors.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith($"/docs/rules/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        var relative = descriptor.HelpLinkUri.Substring(descriptor.HelpLinkUri.IndexOf("docs/rules/", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(AnalyzerCatalog.RepositoryRoot, relative)), $"{descriptor.HelpLinkUri} does not resolve to a file in the repository");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_release_tracking_row_with_its_category_and_severity(string id)
    {
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        var folder = Path.Combine(AnalyzerCatalog.RepositoryRoot, "src", "BackendAnalyzers");
        var rows = File.ReadLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 3 && c[0] == id)
            .ToList();
        Assert.True(rows.Count == 1, $"{id} must have exactly one release-tracking row, found {rows.Count}");
        Assert.Equal(descriptor.Category, rows[0][1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), rows[0][2]);
    }

    [Fact]
    public void Every_rule_page_belongs_to_a_rule()
    {
        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet();
        var orphans = Directory.EnumerateFiles(Path.Combine(AnalyzerCatalog.RepositoryRoot, "docs", "rules"), "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !ids.Contains(name!))
            .ToList();
        Assert.True(orphans.Count == 0, "Pages without a rule: " + string.Join(", ", orphans));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_page_has_the_sections_users_look_for(string id)
    {
        var text = File.ReadAllText(Path.Combine(AnalyzerCatalog.RepositoryRoot, "docs", "rules", id + ".md"));
        foreach (var section in new[] { "## Cause", "## Why it matters", "## Example", "## How to fix", "## Options", "## When to suppress" })
        {
            Assert.True(Regex.IsMatch(text, "^" + Regex.Escape(section) + "\\b", RegexOptions.Multiline), $"{id}.md has no '{section}' section");
        }
    }
}
