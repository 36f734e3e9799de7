using System;
using System.Collections.Concurrent;
using BackendAnalyzers.AI.Transport;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.AI.Configuration
{
    /// <summary>
    /// What one provider instance uses: the environment reader, the transport factory and its answer cache. The
    /// exported providers use the process environment and the SDK transport; tests pass their own.
    /// </summary>
    internal sealed class AiServices
    {
        private readonly Func<string, string?> _environment;
        private readonly Func<AiSettings, IChatTransport?> _createTransport;
        private readonly ConcurrentDictionary<string, Lazy<IChatTransport?>> _transports =
            new ConcurrentDictionary<string, Lazy<IChatTransport?>>(StringComparer.Ordinal);

        public AiServices(Func<string, string?> environment, Func<AiSettings, IChatTransport?> createTransport)
        {
            _environment = environment;
            _createTransport = createTransport;
        }

        public static AiServices CreateDefault() => new AiServices(ReadEnvironment, TransportFactory.TryCreate);

        public ResponseCache Cache { get; } = new ResponseCache();

        public Func<string, string?> Environment => _environment;

        /// <summary>
        /// A client for <paramref name="document"/>, or null when the actions are not configured for it or the SDK
        /// cannot be loaded. Reads options and creates the client only: nothing is sent.
        /// </summary>
        public AiClient? TryGetClient(Document document)
        {
            var settings = AiSettings.Read(document, _environment);
            if (settings is null)
            {
                return null;
            }

            var slot = settings.Identity + "|" + settings.Timeout.Ticks + "|" + ResponseCache.HashText(settings.ApiKey);
            var transport = _transports.GetOrAdd(slot, _ => new Lazy<IChatTransport?>(() => _createTransport(settings))).Value;
            return transport is null ? null : new AiClient(settings, transport, Cache);
        }

        private static string? ReadEnvironment(string name)
        {
            try
            {
                return System.Environment.GetEnvironmentVariable(name);
            }
            catch (System.Security.SecurityException)
            {
                return null;
            }
        }
    }
}
