using System;
using System.Runtime.CompilerServices;
using BackendAnalyzers.AI.Configuration;

namespace BackendAnalyzers.AI.Transport
{
    /// <summary>
    /// Creates the SDK transport. The SDK types are named only in a method the JIT compiles when it is first called, so
    /// a missing or broken Azure/OpenAI assembly surfaces here as an exception, caught: the actions then do not appear.
    /// </summary>
    internal static class TransportFactory
    {
        public static IChatTransport? TryCreate(AiSettings settings)
        {
            try
            {
                return Create(settings);
            }
            catch (Exception)
            {
                // FileNotFoundException, FileLoadException, TypeLoadException, MissingMethodException,
                // BadImageFormatException, TypeInitializationException...: the host cannot run the SDK.
                return null;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IChatTransport Create(AiSettings settings) => new OpenAISdkTransport(settings);
    }
}
