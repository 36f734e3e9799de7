using System;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>What kind of project a compilation is, for rules that judge production code only.</summary>
    internal static class ProjectKinds
    {
        /// <summary>
        /// A test project references a test framework (xUnit, NUnit, MSTest) or is named like one (ends with Test or Tests).
        /// xUnit's assertion library alone does not count: production code may carry it through a shared project (seen in
        /// a real application whose common library referenced xunit.assert).
        /// </summary>
        public static bool IsTestProject(Compilation compilation)
        {
            var name = compilation.AssemblyName ?? string.Empty;
            if (name.EndsWith("Tests", StringComparison.Ordinal) || name.EndsWith("Test", StringComparison.Ordinal))
            {
                return true;
            }

            foreach (var reference in compilation.ReferencedAssemblyNames)
            {
                var referenced = reference.Name;
                if (string.Equals(referenced, "xunit.core", StringComparison.OrdinalIgnoreCase)
                    || referenced.StartsWith("xunit.v3.core", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(referenced, "nunit.framework", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(referenced, "Microsoft.VisualStudio.TestPlatform.TestFramework", StringComparison.Ordinal)
                    || string.Equals(referenced, "MSTest.TestFramework", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
