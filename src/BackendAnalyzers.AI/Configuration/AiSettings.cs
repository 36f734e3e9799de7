using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.AI.Configuration
{
    /// <summary>The service the AI actions talk to.</summary>
    internal enum AiProvider
    {
        /// <summary>Azure OpenAI: an endpoint, a deployment and AZURE_OPENAI_API_KEY.</summary>
        Azure,

        /// <summary>OpenAI or any server that speaks its chat-completions API (a local one included).</summary>
        OpenAI,
    }

    /// <summary>
    /// What the AI actions need to send a request, read from .editorconfig (provider, endpoint, deployment or model,
    /// timeout, prompt budget) and from environment variables (the key; the endpoint when .editorconfig has none).
    /// The key never comes from a file. Without a provider in .editorconfig there are no settings, no action is
    /// offered and nothing is sent anywhere.
    /// </summary>
    internal sealed class AiSettings
    {
        public const string ProviderKey = "backend_analyzers.ai.provider";
        public const string EndpointKey = "backend_analyzers.ai.endpoint";
        public const string DeploymentKey = "backend_analyzers.ai.deployment";
        public const string ModelKey = "backend_analyzers.ai.model";
        public const string TimeoutKey = "backend_analyzers.ai.timeout_seconds";
        public const string MaxPromptTokensKey = "backend_analyzers.ai.max_prompt_tokens";

        public const string AzureKeyVariable = "AZURE_OPENAI_API_KEY";
        public const string AzureEndpointVariable = "AZURE_OPENAI_ENDPOINT";
        public const string OpenAIKeyVariable = "OPENAI_API_KEY";
        public const string OpenAIEndpointVariable = "OPENAI_BASE_URL";

        /// <summary>Answers are as reproducible as the service allows: temperature 0 and this seed.</summary>
        public const long Seed = 20240607;

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
        public const int DefaultMaxPromptTokens = 6000;

        /// <summary>Sent as the key to a local OpenAI-compatible server when OPENAI_API_KEY is not set; such servers ignore it.</summary>
        internal const string LocalServerPlaceholderKey = "local-server-no-key";

        private AiSettings(AiProvider provider, Uri? endpoint, string model, string apiKey, TimeSpan timeout, int maxPromptTokens)
        {
            Provider = provider;
            Endpoint = endpoint;
            Model = model;
            ApiKey = apiKey;
            Timeout = timeout;
            MaxPromptTokens = maxPromptTokens;
        }

        public AiProvider Provider { get; }

        /// <summary>The service's base address; null for OpenAI's own default.</summary>
        public Uri? Endpoint { get; }

        /// <summary>The Azure deployment name, or the OpenAI model name.</summary>
        public string Model { get; }

        /// <summary>The key, from the environment only. Never written into a prompt, a comment or a file.</summary>
        public string ApiKey { get; }

        public TimeSpan Timeout { get; }

        public int MaxPromptTokens { get; }

        /// <summary>Everything that selects the service and model, without the key: part of the cache key.</summary>
        public string Identity => Provider + "|" + (Endpoint?.AbsoluteUri ?? "default") + "|" + Model;

        /// <summary>The environment variable the key comes from.</summary>
        public string KeyVariable => Provider == AiProvider.Azure ? AzureKeyVariable : OpenAIKeyVariable;

        public override string ToString() => Identity;

        /// <summary>The settings for <paramref name="document"/>, or null when the AI actions are not configured for it.</summary>
        public static AiSettings? Read(Document document, Func<string, string?> environment)
        {
            var provider = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider;
            var tree = document.TryGetSyntaxTree(out var parsed) ? parsed : null;
            var options = tree is null ? provider.GlobalOptions : provider.GetOptions(tree);
            return Read(name => TryGet(options, name) ?? TryGet(provider.GlobalOptions, name), environment);
        }

        /// <summary>The settings from option and environment readers, or null when something required is missing or invalid.</summary>
        public static AiSettings? Read(Func<string, string?> option, Func<string, string?> environment)
        {
            var providerName = Clean(option(ProviderKey));
            AiProvider provider;
            if (string.Equals(providerName, "azure", StringComparison.OrdinalIgnoreCase))
            {
                provider = AiProvider.Azure;
            }
            else if (string.Equals(providerName, "openai", StringComparison.OrdinalIgnoreCase))
            {
                provider = AiProvider.OpenAI;
            }
            else
            {
                // No provider (or "none", or a word we do not know): not configured, nothing is ever sent.
                return null;
            }

            var timeout = DefaultTimeout;
            if (int.TryParse(Clean(option(TimeoutKey)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 600)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }

            var maxPromptTokens = DefaultMaxPromptTokens;
            if (int.TryParse(Clean(option(MaxPromptTokensKey)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens) && tokens >= 500)
            {
                maxPromptTokens = tokens;
            }

            if (provider == AiProvider.Azure)
            {
                var endpoint = ParseEndpoint(Clean(option(EndpointKey)) ?? Clean(environment(AzureEndpointVariable)));
                var deployment = Clean(option(DeploymentKey)) ?? Clean(option(ModelKey));
                var key = Clean(environment(AzureKeyVariable));
                if (endpoint is null || deployment is null || key is null)
                {
                    return null;
                }

                return new AiSettings(provider, endpoint, deployment, key, timeout, maxPromptTokens);
            }
            else
            {
                var endpointText = Clean(option(EndpointKey)) ?? Clean(environment(OpenAIEndpointVariable));
                var endpoint = ParseEndpoint(endpointText);
                if (endpointText is not null && endpoint is null)
                {
                    return null;
                }

                var model = Clean(option(ModelKey)) ?? Clean(option(DeploymentKey));
                var key = Clean(environment(OpenAIKeyVariable));
                if (key is null && endpoint is not null && IsLoopback(endpoint))
                {
                    // A local server (Ollama, LM Studio, llama.cpp, vLLM...) takes any key.
                    key = LocalServerPlaceholderKey;
                }

                if (model is null || key is null)
                {
                    return null;
                }

                return new AiSettings(provider, endpoint, model, key, timeout, maxPromptTokens);
            }
        }

        /// <summary>An absolute https address, or http on the loopback interface only: a key never travels in clear text.</summary>
        internal static Uri? ParseEndpoint(string? text)
        {
            if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return null;
            }

            if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
            {
                return uri;
            }

            return null;
        }

        internal static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);

        private static string? TryGet(AnalyzerConfigOptions options, string name) =>
            options.TryGetValue(name, out var value) ? value : null;

        private static string? Clean(string? value)
        {
            if (value is null)
            {
                return null;
            }

            value = value.Trim();
            return value.Length == 0 ? null : value;
        }
    }
}
