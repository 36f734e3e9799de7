using System;
using System.Collections.Generic;
using System.Linq;

namespace BackendAnalyzers.AI.Grounding
{
    /// <summary>The parts of a prompt. The order of <see cref="TokenBudget.DropOrder"/> decides which go first when a prompt is too long.</summary>
    internal enum SectionKind
    {
        /// <summary>The member or type to change or test. Never dropped.</summary>
        Target,

        /// <summary>The diagnostic and its rule's description (Fix with AI). Never dropped.</summary>
        Diagnostic,

        /// <summary>The test project: framework, mocking and assertion libraries, namespace, file name (Write tests). Never dropped.</summary>
        TestProject,

        /// <summary>The containing type with member bodies left out.</summary>
        TypeOutline,

        /// <summary>Signatures of the members the target calls or reads.</summary>
        CalledMembers,

        /// <summary>Outlines of the injected services (constructor and handler parameters).</summary>
        Services,

        /// <summary>DTO and entity types the target touches, with the EF model's keys, foreign keys, indexes and navigations.</summary>
        DataTypes,

        /// <summary>FluentValidation validators of those types.</summary>
        Validators,

        /// <summary>An existing test file of the test project, for its style (Write tests).</summary>
        TestStyleSample,
    }

    internal sealed class PromptSection
    {
        public PromptSection(SectionKind kind, string title, string text)
        {
            Kind = kind;
            Title = title;
            Text = text;
        }

        public SectionKind Kind { get; }

        public string Title { get; }

        public string Text { get; }

        public bool CanBeDropped => Array.IndexOf(TokenBudget.DropOrder, Kind) >= 0;

        public string Render() => "### " + Title + "\n" + Text.TrimEnd() + "\n";
    }

    /// <summary>
    /// Keeps a prompt under <c>backend_analyzers.ai.max_prompt_tokens</c> (estimated at four characters a token) by
    /// dropping whole sections in a fixed order: the test style sample first, then validators, DTO/entity types,
    /// services, called members and finally the type outline. The target, the diagnostic and the test project facts
    /// are never dropped.
    /// </summary>
    internal static class TokenBudget
    {
        public static readonly SectionKind[] DropOrder =
        {
            SectionKind.TestStyleSample,
            SectionKind.Validators,
            SectionKind.DataTypes,
            SectionKind.Services,
            SectionKind.CalledMembers,
            SectionKind.TypeOutline,
        };

        public static int Estimate(string text) => (text.Length + 3) / 4;

        /// <summary>The sections that fit, in their original order; <paramref name="dropped"/> lists what was left out.</summary>
        public static IReadOnlyList<PromptSection> Apply(IReadOnlyList<PromptSection> sections, int fixedTokens, int maxTokens, out IReadOnlyList<SectionKind> dropped)
        {
            var kept = sections.ToList();
            var droppedKinds = new List<SectionKind>();
            var total = fixedTokens + kept.Sum(s => Estimate(s.Render()));
            foreach (var kind in DropOrder)
            {
                if (total <= maxTokens)
                {
                    break;
                }

                foreach (var section in kept.Where(s => s.Kind == kind).ToList())
                {
                    kept.Remove(section);
                    total -= Estimate(section.Render());
                    if (!droppedKinds.Contains(kind))
                    {
                        droppedKinds.Add(kind);
                    }
                }
            }

            dropped = droppedKinds;
            return kept;
        }
    }
}
