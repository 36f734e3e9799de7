using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Configuration;

namespace BackendAnalyzers.AI.Transport
{
    /// <summary>Answers kept in memory by a hash of the request, for one provider instance (never on disk).</summary>
    internal sealed class ResponseCache
    {
        internal const int Capacity = 128;

        private readonly ConcurrentDictionary<string, string> _answers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        public int Count => _answers.Count;

        public bool TryGet(string key, out string answer) => _answers.TryGetValue(key, out answer!);

        public void Add(string key, string answer)
        {
            if (_answers.Count >= Capacity)
            {
                _answers.Clear();
            }

            _answers[key] = answer;
        }

        /// <summary>SHA-256 over the service identity (not the key) and every message.</summary>
        public static string KeyOf(AiSettings settings, IReadOnlyList<AiChatMessage> messages)
        {
            var text = new StringBuilder();
            text.Append(settings.Identity).Append('\u0001').Append(AiSettings.Seed).Append('\u0001');
            foreach (var message in messages)
            {
                text.Append((int)message.Role).Append('\u0002').Append(message.Content).Append('\u0003');
            }

            return HashText(text.ToString());
        }

        public static string HashText(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var hex = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }
    }

    /// <summary>A transport with the settings it was made for and the provider's cache in front of it.</summary>
    internal sealed class AiClient
    {
        private readonly IChatTransport _transport;
        private readonly ResponseCache _cache;

        public AiClient(AiSettings settings, IChatTransport transport, ResponseCache cache)
        {
            Settings = settings;
            _transport = transport;
            _cache = cache;
        }

        public AiSettings Settings { get; }

        public async Task<ChatOutcome> CompleteAsync(IReadOnlyList<AiChatMessage> messages, CancellationToken cancellationToken)
        {
            var key = ResponseCache.KeyOf(Settings, messages);
            if (_cache.TryGet(key, out var cached))
            {
                return ChatOutcome.Success(cached);
            }

            ChatOutcome outcome;
            try
            {
                outcome = await _transport.CompleteAsync(messages, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                outcome = ChatOutcome.Fail("the request failed (" + e.GetType().Name + ")");
            }

            if (outcome.Succeeded)
            {
                _cache.Add(key, outcome.Content!);
            }

            return outcome;
        }
    }
}
