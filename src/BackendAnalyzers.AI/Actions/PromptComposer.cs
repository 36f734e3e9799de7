using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackendAnalyzers.AI.Grounding;
using BackendAnalyzers.AI.Transport;

namespace BackendAnalyzers.AI.Actions
{
    internal enum AiActionKind
    {
        Implement,
        Fix,
        WriteTests,
    }

    /// <summary>The system and user messages of a request: fixed instructions per action, then the grounding sections that fit the budget.</summary>
    internal static class PromptComposer
    {
        private const string Common =
            "You write C# for an ASP.NET Core and EF Core backend, inside the developer's IDE. Your answer is compiled in a copy of the " +
            "solution and checked by the project's analyzers before it is applied; an answer that adds compiler errors or analyzer " +
            "diagnostics is rejected. Use only the types and members shown in the context or in .NET, ASP.NET Core, EF Core and the " +
            "libraries listed; do not invent members. Pass cancellation tokens on, never block on asynchronous calls, keep database " +
            "queries bounded and out of loops. Values shown as " + SecretRedactor.Marker + " are secrets left out of this prompt: never " +
            "write that placeholder; read such values from configuration (IConfiguration or IOptions) instead.";

        public static string SystemPrompt(AiActionKind kind) => kind switch
        {
            AiActionKind.Implement => Common + "\n\nTask: implement the member shown under \"The member\"; it currently throws NotImplementedException. " +
                "Keep its name, parameters and return type; you may add the async modifier.\n\n" +
                "Answer with exactly one ```csharp code block holding the complete member declaration, optionally preceded by the using " +
                "directives it needs, and nothing else.",
            AiActionKind.Fix => Common + "\n\nTask: change the member shown under \"The member\" so that the diagnostic shown under " +
                "\"The diagnostic to fix\" no longer applies, keeping its behaviour otherwise. Keep its name, parameters and return type; " +
                "you may add the async modifier.\n\n" +
                "Answer with exactly one ```csharp code block holding the complete updated member declaration, optionally preceded by the " +
                "using directives it needs, and nothing else.",
            _ => Common + "\n\nTask: write one test file for the code shown under \"The type\" or \"The member\", for the project described " +
                "under \"The test project\": use its test framework, its mocking library (or none), its assertion style and the style " +
                "of its existing test file. The file must compile in that project with the references listed. Test observable behaviour " +
                "(results, status codes, database state), including edge cases such as missing records and invalid input.\n\n" +
                "Answer with exactly one ```csharp code block holding the whole file (usings, namespace, one test class), and nothing else.",
        };

        public static List<AiChatMessage> Compose(AiActionKind kind, IReadOnlyList<PromptSection> sections, int maxPromptTokens, out IReadOnlyList<SectionKind> dropped)
        {
            var system = SystemPrompt(kind);
            var kept = TokenBudget.Apply(sections, TokenBudget.Estimate(system) + 50, maxPromptTokens, out dropped);
            var user = new StringBuilder();
            foreach (var section in kept)
            {
                user.AppendLine(section.Render());
            }

            if (dropped.Count > 0)
            {
                user.AppendLine("(Left out to stay within the prompt budget: " + string.Join(", ", dropped.Select(d => d.ToString())) + ".)");
            }

            return new List<AiChatMessage>
            {
                new AiChatMessage(ChatRole.System, system),
                new AiChatMessage(ChatRole.User, user.ToString().TrimEnd()),
            };
        }

        public static string RetryPrompt(AiActionKind kind, IReadOnlyList<string> problems)
        {
            var text = new StringBuilder("Your answer was not applied because it ");
            text.AppendLine(kind == AiActionKind.WriteTests ? "does not verify in the test project:" : "does not verify in the project:");
            foreach (var problem in problems)
            {
                text.Append("- ").AppendLine(problem);
            }

            text.Append(kind == AiActionKind.WriteTests
                ? "Answer again with the whole corrected file in one ```csharp code block, and nothing else."
                : "Answer again with the whole corrected member declaration in one ```csharp code block, and nothing else.");
            return text.ToString();
        }
    }
}
