using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2004: inside a catch, an ILogger call (the <c>LoggerExtensions</c> Log* methods) writes the exception's text
    /// (<c>ex.Message</c>, <c>ex.ToString()</c>, <c>$"{ex}"</c>, <c>ex</c> as a template argument) but does not pass the
    /// exception as the exception argument: the log entry loses the exception type, the stack trace and the inner
    /// exceptions, and log tooling cannot group or search by exception.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ExceptionLoggedWithoutExceptionAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the name of the local or parameter holding the exception, for the fix to pass.</summary>
        public const string ExceptionProperty = "Exception";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.ExceptionLoggedWithoutException,
            title: "Exception logged without the exception",
            messageFormat: "'{0}' logs the text of '{1}' but not the exception itself; pass '{1}' as the exception argument so its type, stack trace and inner exceptions are logged",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "Logging ex.Message (or interpolating the exception into the message) drops the exception type, the stack trace and the inner exceptions, and structured-logging tools cannot attach the exception to the entry. Pass the exception as the first argument: logger.LogError(ex, \"...\").");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.LoggerExtensions is null || types.Exception is null)
                {
                    return;
                }

                var flow = new ExceptionTextFlow(types, development: null);
                start.RegisterOperationAction(c => Analyze(c, types, flow), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, KnownTypes types, ExceptionTextFlow flow)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!invocation.TargetMethod.Name.StartsWith("Log", System.StringComparison.Ordinal) || !LoggerCalls.IsLoggerExtensionCall(invocation, types))
            {
                return;
            }

            var catchClause = FindEnclosingCatch(invocation);
            if (catchClause is null)
            {
                return;
            }

            var passed = LoggerCalls.GetExceptionArgument(invocation, types);
            if (passed is not null && passed.ArgumentKind != ArgumentKind.DefaultValue && !IsNull(passed.Value))
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument == passed || argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null
                    || argument.Parameter.Name is not ("message" or "args"))
                {
                    continue;
                }

                var anchors = flow.FindAnchors(argument.Value, sourceMessagesAreSafe: false, context.CancellationToken);
                if (anchors.Count == 0)
                {
                    continue;
                }

                var exception = anchors[0].RootSymbol;
                var name = exception?.Name ?? anchors[0].Exception.Syntax.ToString();
                var properties = ImmutableDictionary<string, string?>.Empty;
                // Fixable when the exception has a name to pass, and the call either has no exception argument or passes null.
                if (exception is ILocalSymbol or IParameterSymbol && (passed is null || passed.ArgumentKind == ArgumentKind.Explicit))
                {
                    properties = properties.Add(ExceptionProperty, exception?.Name);
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), properties, invocation.TargetMethod.Name, name));
                return;
            }
        }

        private static bool IsNull(IOperation value) =>
            value.WalkDownConversion() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

        private static ICatchClauseOperation? FindEnclosingCatch(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is ICatchClauseOperation clause)
                {
                    return clause;
                }

                if (current is ILocalFunctionOperation)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
