using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure.AI.OpenAI;
using BackendAnalyzers.AI.Configuration;
using OpenAI;
using OpenAI.Chat;

namespace BackendAnalyzers.AI.Transport
{
    /// <summary>
    /// The only class that touches the Azure OpenAI and OpenAI client types. It is created through
    /// <see cref="TransportFactory"/>, which catches the load failures of those assemblies, so a host that cannot load
    /// them simply shows no AI action.
    /// </summary>
    internal sealed class OpenAISdkTransport : IChatTransport
    {
        private readonly ChatClient _chat;
        private readonly TimeSpan _timeout;
        private readonly string _keyVariable;

        public OpenAISdkTransport(AiSettings settings)
        {
            _timeout = settings.Timeout;
            _keyVariable = settings.KeyVariable;
            var credential = new ApiKeyCredential(settings.ApiKey);
            if (settings.Provider == AiProvider.Azure)
            {
                var options = new AzureOpenAIClientOptions
                {
                    // One retry of the transport (connection failures, 408/429/5xx); the caller's timeout bounds both.
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
                    NetworkTimeout = NetworkTimeoutFor(settings),
                };
                _chat = new AzureOpenAIClient(settings.Endpoint!, credential, options).GetChatClient(settings.Model);
            }
            else
            {
                var options = new OpenAIClientOptions
                {
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
                    NetworkTimeout = NetworkTimeoutFor(settings),
                };
                if (settings.Endpoint is not null)
                {
                    options.Endpoint = settings.Endpoint;
                }

                _chat = new OpenAIClient(credential, options).GetChatClient(settings.Model);
            }
        }

        /// <summary>
        /// The SDK's own per-try timeout is a little longer than the action's timeout, so that the action's timeout
        /// (which covers the try and its retry) is always the one that ends a slow request, with its own message.
        /// </summary>
        private static TimeSpan NetworkTimeoutFor(AiSettings settings) => settings.Timeout + TimeSpan.FromSeconds(2);

        public async Task<ChatOutcome> CompleteAsync(IReadOnlyList<AiChatMessage> messages, CancellationToken cancellationToken)
        {
            var chatMessages = new List<ChatMessage>(messages.Count);
            foreach (var message in messages)
            {
                switch (message.Role)
                {
                    case ChatRole.System:
                        chatMessages.Add(new SystemChatMessage(message.Content));
                        break;
                    case ChatRole.Assistant:
                        chatMessages.Add(new AssistantChatMessage(message.Content));
                        break;
                    default:
                        chatMessages.Add(new UserChatMessage(message.Content));
                        break;
                }
            }

            var options = new ChatCompletionOptions
            {
                Temperature = 0f,
                Seed = AiSettings.Seed,
            };

            using var timeout = new CancellationTokenSource(_timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var result = await _chat.CompleteChatAsync(chatMessages, options, linked.Token).ConfigureAwait(false);
                var text = new StringBuilder();
                foreach (var part in result.Value.Content)
                {
                    if (part.Kind == ChatMessageContentPartKind.Text)
                    {
                        text.Append(part.Text);
                    }
                }

                return text.Length == 0
                    ? ChatOutcome.Fail("the service returned an empty answer")
                    : ChatOutcome.Success(text.ToString());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException)
            {
                return ChatOutcome.Fail($"no answer within {_timeout.TotalSeconds:0} s (backend_analyzers.ai.timeout_seconds)");
            }
            catch (ClientResultException e) when (timeout.IsCancellationRequested)
            {
                _ = e;
                return ChatOutcome.Fail($"no answer within {_timeout.TotalSeconds:0} s (backend_analyzers.ai.timeout_seconds)");
            }
            catch (ClientResultException e)
            {
                return ChatOutcome.Fail(DescribeStatus(e.Status, _keyVariable));
            }
            catch (Exception) when (timeout.IsCancellationRequested)
            {
                return ChatOutcome.Fail($"no answer within {_timeout.TotalSeconds:0} s (backend_analyzers.ai.timeout_seconds)");
            }
            catch (Exception e)
            {
                // Anything else (a malformed answer, a socket error): the action ends with a comment, never a crash.
                return ChatOutcome.Fail("the request failed (" + e.GetType().Name + ")");
            }
        }

        internal static string DescribeStatus(int status, string keyVariable)
        {
            switch (status)
            {
                case 0:
                    return "the service could not be reached";
                case 401:
                case 403:
                    return $"the service refused the key (HTTP {status}); check {keyVariable}";
                case 404:
                    return "the service has no such deployment or model (HTTP 404); check backend_analyzers.ai.endpoint and backend_analyzers.ai.deployment/model";
                case 429:
                    return "the service is rate limiting requests (HTTP 429); try again later";
                default:
                    return $"the service answered HTTP {status}";
            }
        }
    }
}
