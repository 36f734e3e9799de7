using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.AI.Verification
{
    /// <summary>
    /// The compiler errors of a project and the diagnostics of the BackendAnalyzers rules the project already
    /// references (its analyzer references, run through <see cref="CompilationWithAnalyzers"/>). Two snapshots are
    /// compared as multisets of (id, message): positions move when code changes, messages do not.
    /// </summary>
    internal sealed class DiagnosticSnapshot
    {
        private DiagnosticSnapshot(ImmutableArray<Diagnostic> diagnostics)
        {
            Diagnostics = diagnostics;
        }

        public ImmutableArray<Diagnostic> Diagnostics { get; }

        public static async Task<DiagnosticSnapshot> TakeAsync(Project project, CancellationToken cancellationToken)
        {
            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is null)
            {
                return new DiagnosticSnapshot(ImmutableArray<Diagnostic>.Empty);
            }

            var builder = ImmutableArray.CreateBuilder<Diagnostic>();
            builder.AddRange(compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsSuppressed));

            var analyzers = BackendAnalyzersOf(project);
            if (!analyzers.IsEmpty)
            {
                var options = new CompilationWithAnalyzersOptions(
                    project.AnalyzerOptions,
                    onAnalyzerException: null,
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: false);
                var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
                var reported = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                builder.AddRange(reported.Where(d => IsBackendRule(d.Id) && !d.IsSuppressed && d.Severity != DiagnosticSeverity.Hidden));
            }

            return new DiagnosticSnapshot(builder.ToImmutable());
        }

        /// <summary>The diagnostics of <paramref name="after"/> that this snapshot does not have (by id and message, counted).</summary>
        public IReadOnlyList<Diagnostic> NewIn(DiagnosticSnapshot after)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var diagnostic in Diagnostics)
            {
                var key = KeyOf(diagnostic);
                counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
            }

            var added = new List<Diagnostic>();
            foreach (var diagnostic in after.Diagnostics)
            {
                var key = KeyOf(diagnostic);
                if (counts.TryGetValue(key, out var n) && n > 0)
                {
                    counts[key] = n - 1;
                }
                else
                {
                    added.Add(diagnostic);
                }
            }

            return added;
        }

        internal static bool IsBackendRule(string id) =>
            id.Length == 6 && id.StartsWith("BA", StringComparison.Ordinal) && char.IsDigit(id[2]);

        private static string KeyOf(Diagnostic diagnostic) => diagnostic.Id + "\u0001" + diagnostic.GetMessage(CultureInfo.InvariantCulture);

        /// <summary>The analyzers of the project's analyzer references that report BA rules; none when they cannot be loaded.</summary>
        private static ImmutableArray<DiagnosticAnalyzer> BackendAnalyzersOf(Project project)
        {
            var builder = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            foreach (var reference in project.AnalyzerReferences)
            {
                ImmutableArray<DiagnosticAnalyzer> analyzers;
                try
                {
                    analyzers = reference.GetAnalyzers(project.Language);
                }
                catch (Exception)
                {
                    continue;
                }

                foreach (var analyzer in analyzers)
                {
                    try
                    {
                        if (analyzer.SupportedDiagnostics.Any(d => IsBackendRule(d.Id)))
                        {
                            builder.Add(analyzer);
                        }
                    }
                    catch (Exception)
                    {
                        // An analyzer that cannot describe itself is not run.
                    }
                }
            }

            return builder.ToImmutable();
        }
    }
}
