using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>Recognizes calls that write to a log: ILogger and its extension methods, Console, Debug and Trace.</summary>
    internal static class LoggerCalls
    {
        /// <summary>
        /// <c>logger.LogError(...)</c>, <c>logger.Log(...)</c> and the other <c>LoggerExtensions</c> methods, and
        /// <c>ILogger.Log&lt;TState&gt;</c> itself (on any type that implements ILogger).
        /// </summary>
        public static bool IsLoggerCall(IInvocationOperation invocation, KnownTypes types)
        {
            var method = invocation.TargetMethod;
            if (types.LoggerExtensions is not null && method.ContainingType.IsSame(types.LoggerExtensions))
            {
                return true;
            }

            return method.Name == "Log" && types.ILogger is not null && invocation.Instance?.Type.IsOrImplements(types.ILogger) == true;
        }

        /// <summary>The <c>LoggerExtensions.Log*</c> methods only: the ones whose overloads take the exception as a parameter.</summary>
        public static bool IsLoggerExtensionCall(IInvocationOperation invocation, KnownTypes types) =>
            types.LoggerExtensions is not null && invocation.TargetMethod.ContainingType.IsSame(types.LoggerExtensions);

        /// <summary>Any write to a log or console: ILogger, <c>Console.Write*</c>, <c>Debug.Write*</c>, <c>Trace.*</c>.</summary>
        public static bool IsAnyLogWrite(IInvocationOperation invocation, KnownTypes types)
        {
            if (IsLoggerCall(invocation, types))
            {
                return true;
            }

            var type = invocation.TargetMethod.ContainingType;
            return type.IsSame(types.Console) && invocation.TargetMethod.Name.StartsWith("Write", System.StringComparison.Ordinal)
                || type.IsSame(types.Debug) || type.IsSame(types.Trace);
        }

        /// <summary>The argument bound to a parameter of type Exception (the <c>exception</c> of the Log* overloads), or null.</summary>
        public static IArgumentOperation? GetExceptionArgument(IInvocationOperation invocation, KnownTypes types)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && parameter.Type.InheritsFromOrEquals(types.Exception))
                {
                    return argument;
                }
            }

            return null;
        }
    }
}
