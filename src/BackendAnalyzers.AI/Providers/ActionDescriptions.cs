using BackendAnalyzers.AI.Configuration;

namespace BackendAnalyzers.AI.Providers
{
    internal static class ActionDescriptions
    {
        public const string ImplementTitle = "Implement with AI";
        public const string FixTitle = "Fix with AI";
        public const string WriteTestsTitle = "Write tests with AI";

        public static string Service(AiSettings settings) =>
            (settings.Provider == AiProvider.Azure ? "Azure OpenAI deployment '" : "model '") + settings.Model + "' at "
            + (settings.Endpoint?.Host ?? "api.openai.com");

        public const string Verified =
            " The answer is compiled in a copy of the solution and checked with the project's BackendAnalyzers rules; it is applied only when it adds no error and no diagnostic (one retry with the errors, otherwise the code stays as it is with a comment saying why). Nothing is sent until you apply this action; secrets are redacted.";
    }
}
