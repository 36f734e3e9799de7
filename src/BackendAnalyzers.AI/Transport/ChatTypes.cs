using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace BackendAnalyzers.AI.Transport
{
    internal enum ChatRole
    {
        System,
        User,
        Assistant,
    }

    /// <summary>One message of a chat request, in this package's own terms (no SDK type crosses this boundary).</summary>
    internal sealed class AiChatMessage
    {
        public AiChatMessage(ChatRole role, string content)
        {
            Role = role;
            Content = content;
        }

        public ChatRole Role { get; }

        public string Content { get; }
    }

    /// <summary>The answer to a request, or why there is none. Failures are values: nothing is thrown.</summary>
    internal sealed class ChatOutcome
    {
        private ChatOutcome(string? content, string? failure)
        {
            Content = content;
            Failure = failure;
        }

        public bool Succeeded => Content is not null;

        public string? Content { get; }

        /// <summary>A sentence for the user (status code, timeout...), never the key.</summary>
        public string? Failure { get; }

        public static ChatOutcome Success(string content) => new ChatOutcome(content, null);

        public static ChatOutcome Fail(string failure) => new ChatOutcome(null, failure);
    }

    /// <summary>Sends one chat request. Implementations end every failure as a <see cref="ChatOutcome"/>; only cancellation by the caller throws.</summary>
    internal interface IChatTransport
    {
        Task<ChatOutcome> CompleteAsync(IReadOnlyList<AiChatMessage> messages, CancellationToken cancellationToken);
    }
}
