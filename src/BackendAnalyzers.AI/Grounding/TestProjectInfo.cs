using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.AI.Grounding
{
    /// <summary>
    /// The solution's test project for a target project: a project that references it and a test framework (xunit,
    /// NUnit or MSTest), with the mocking and assertion libraries it already uses.
    /// </summary>
    internal sealed class TestProjectInfo
    {
        private TestProjectInfo(Project project, string framework, string? mocking, string? assertions, IReadOnlyList<string> notable)
        {
            Project = project;
            Framework = framework;
            Mocking = mocking;
            Assertions = assertions;
            NotableLibraries = notable;
        }

        public Project Project { get; }

        /// <summary>"xunit", "xunit.v3", "NUnit" or "MSTest".</summary>
        public string Framework { get; }

        /// <summary>"Moq", "NSubstitute", "FakeItEasy", or null when the project uses none.</summary>
        public string? Mocking { get; }

        /// <summary>"FluentAssertions", "Shouldly", "AwesomeAssertions", or null for the framework's own asserts.</summary>
        public string? Assertions { get; }

        /// <summary>Test helpers the project can use: EF Core SQLite or in-memory providers, Mvc.Testing, Testcontainers.</summary>
        public IReadOnlyList<string> NotableLibraries { get; }

        /// <summary>The attribute that marks a test method in this framework.</summary>
        public string TestAttribute => Framework switch
        {
            "NUnit" => "[Test]",
            "MSTest" => "[TestMethod]",
            _ => "[Fact]",
        };

        public static TestProjectInfo? Find(Solution solution, Project target)
        {
            if (Describe(target) is not null)
            {
                // The target is itself a test project.
                return null;
            }

            var candidates = new List<TestProjectInfo>();
            foreach (var project in solution.Projects)
            {
                if (project.Id == target.Id || project.Language != LanguageNames.CSharp
                    || !project.ProjectReferences.Any(r => r.ProjectId == target.Id))
                {
                    continue;
                }

                var info = Describe(project);
                if (info is not null)
                {
                    candidates.Add(info);
                }
            }

            // BackendSample.Tests for BackendSample before any other test project that happens to reference it.
            return candidates
                .OrderByDescending(c => c.Project.Name.StartsWith(target.Name + ".", StringComparison.OrdinalIgnoreCase))
                .ThenBy(c => c.Project.Name, StringComparer.Ordinal)
                .FirstOrDefault();
        }

        private static TestProjectInfo? Describe(Project project)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var reference in project.MetadataReferences)
            {
                var path = (reference as PortableExecutableReference)?.FilePath ?? reference.Display;
                if (!string.IsNullOrEmpty(path))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }

            string? framework = null;
            if (names.Contains("xunit.v3.core") || names.Contains("xunit.v3.assert"))
            {
                framework = "xunit.v3";
            }
            else if (names.Contains("xunit.core") || names.Contains("xunit.assert"))
            {
                framework = "xunit";
            }
            else if (names.Contains("nunit.framework"))
            {
                framework = "NUnit";
            }
            else if (names.Contains("Microsoft.VisualStudio.TestPlatform.TestFramework") || names.Contains("MSTest.TestFramework"))
            {
                framework = "MSTest";
            }

            if (framework is null)
            {
                return null;
            }

            var mocking = new[] { "Moq", "NSubstitute", "FakeItEasy" }.FirstOrDefault(names.Contains);
            var assertions = new[] { "FluentAssertions", "AwesomeAssertions", "Shouldly" }.FirstOrDefault(names.Contains);
            var notable = new[]
                {
                    "Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.EntityFrameworkCore.InMemory", "Microsoft.AspNetCore.Mvc.Testing",
                    "Microsoft.Extensions.Time.Testing", "Testcontainers", "Microsoft.Extensions.Caching.Memory", "Microsoft.Extensions.Logging.Abstractions",
                }
                .Where(names.Contains)
                .ToList();
            return new TestProjectInfo(project, framework, mocking, assertions, notable);
        }

        /// <summary>Test files of the project, those nearest to <paramref name="targetDocument"/> first (same folder names, similar file name).</summary>
        public async Task<IReadOnlyList<Document>> TestFilesNearestToAsync(Document targetDocument, string targetTypeName, CancellationToken cancellationToken)
        {
            var attributes = new[] { "[Fact", "[Theory", "[Test", "[TestMethod", "[TestCase" };
            var files = new List<(Document Document, int Score, int Length)>();
            foreach (var document in Project.Documents)
            {
                if (document.FilePath is { } p && (p.IndexOf("/obj/", StringComparison.Ordinal) >= 0 || p.IndexOf("\\obj\\", StringComparison.Ordinal) >= 0))
                {
                    continue;
                }

                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                var content = text.ToString();
                if (!attributes.Any(a => content.IndexOf(a, StringComparison.Ordinal) >= 0))
                {
                    continue;
                }

                var score = document.Folders.Intersect(targetDocument.Folders, StringComparer.OrdinalIgnoreCase).Count() * 2;
                var stem = targetTypeName.Length > 4 ? targetTypeName.Substring(0, 4) : targetTypeName;
                if (document.Name.StartsWith(stem, StringComparison.OrdinalIgnoreCase))
                {
                    score += 1;
                }

                files.Add((document, score, content.Length));
            }

            return files.OrderByDescending(f => f.Score).ThenBy(f => f.Length).Select(f => f.Document).ToList();
        }
    }
}
