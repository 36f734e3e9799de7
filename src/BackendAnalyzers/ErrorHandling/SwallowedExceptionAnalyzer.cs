using System;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2001: a catch after which nobody can know that something failed. Every empty catch, and every catch of
    /// Exception/SystemException (or with no type) whose block neither throws, logs, uses the exception, returns a
    /// result nor records the failure in state read later. Catches of OperationCanceledException and catches with a
    /// <c>when</c> filter are deliberate and left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SwallowedExceptionAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.ExceptionSwallowed,
            title: "Exception is swallowed",
            messageFormat: "This catch of {0} {1}: the failure disappears without a trace; rethrow, log or handle the exception",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "An empty catch, or a catch of every exception that neither rethrows, logs, uses the exception, returns an error result nor records the failure, hides bugs and outages: the caller sees success and nothing is logged. Catch the specific exceptions you can handle, and log or rethrow the rest.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.Exception is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeCatch, OperationKind.CatchClause);
            });
        }

        /// <summary>The span the diagnostic covers: <c>catch</c> and its declaration, e.g. <c>catch (Exception ex)</c>.</summary>
        internal static Location GetLocation(CatchClauseSyntax clause)
        {
            var end = clause.Declaration?.Span.End ?? clause.CatchKeyword.Span.End;
            return Location.Create(clause.SyntaxTree, TextSpan.FromBounds(clause.CatchKeyword.SpanStart, end));
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;

            public Analyzer(KnownTypes types)
            {
                _types = types;
            }

            public void AnalyzeCatch(OperationAnalysisContext context)
            {
                var clause = (ICatchClauseOperation)context.Operation;
                if (clause.Filter is not null || clause.Syntax is not CatchClauseSyntax syntax || syntax.Filter is not null
                    || syntax.Block.OpenBraceToken.IsMissing || syntax.Block.CloseBraceToken.IsMissing)
                {
                    return;
                }

                var caught = clause.ExceptionType;
                var typed = syntax.Declaration is not null;
                if (typed && (caught is null || caught.TypeKind == TypeKind.Error || caught.InheritsFromOrEquals(_types.OperationCanceledException)))
                {
                    return;
                }

                var what = typed ? "'" + caught!.Name + "'" : "every exception";
                if (IsEmpty(clause.Handler))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, GetLocation(syntax), what, "is empty"));
                    return;
                }

                var broad = !typed || caught.IsSame(_types.Exception) || caught.IsSame(_types.SystemException) || caught!.SpecialType == SpecialType.System_Object;
                if (broad && !IsHandled(clause) && !IsFollowedByErrorResponse(clause))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, GetLocation(syntax), what, "neither rethrows, logs, uses the exception, returns a result nor records the failure"));
                }
            }

            private static bool IsEmpty(IBlockOperation handler)
            {
                foreach (var operation in handler.Operations)
                {
                    if (operation is not IEmptyOperation)
                    {
                        return false;
                    }
                }

                return true;
            }

            private bool IsHandled(ICatchClauseOperation clause)
            {
                var exceptionLocal = (clause.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;
                IOperation? function = null;
                foreach (var operation in clause.Handler.Descendants())
                {
                    switch (operation)
                    {
                        case IThrowOperation when IsInSameFunction(operation, clause, outsideNestedCatches: true):
                            return true;
                        case ILocalReferenceOperation reference when exceptionLocal is not null && reference.Local.IsSame(exceptionLocal):
                            return true;
                        case IInvalidOperation:
                            return true; // half-typed code: do not guess what it does
                        case IInvocationOperation invocation when LoggerCalls.IsAnyLogWrite(invocation, _types) || RecordsFailure(invocation.TargetMethod.Name):
                            return true;
                        case IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } returned } when IsInSameFunction(operation, clause, outsideNestedCatches: false) && !HidesFailure(returned):
                            return true;
                        case IAssignmentOperation assignment when SetsState(assignment.Target, clause, ref function):
                            return true;
                        case IIncrementOrDecrementOperation increment when SetsState(increment.Target, clause, ref function):
                            return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// A throw inside a lambda declared in the catch would not propagate, and a return inside one returns from it.
            /// A <c>throw;</c> in a nested catch rethrows the nested exception, not this one.
            /// </summary>
            private static bool IsInSameFunction(IOperation operation, ICatchClauseOperation clause, bool outsideNestedCatches)
            {
                for (var current = operation.Parent; current is not null && current != clause; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation || outsideNestedCatches && current is ICatchClauseOperation)
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>
            /// <c>return null;</c>, <c>return default;</c> and success responses (<c>Ok()</c>, <c>NoContent()</c>, ...) make a
            /// failure look like "nothing found" or "done". Any other value is a deliberate mapping of the failure.
            /// </summary>
            private bool HidesFailure(IOperation returned)
            {
                var value = returned.WalkDownConversion();
                switch (value)
                {
                    case IDefaultValueOperation:
                        return true;
                    case ILiteralOperation literal when literal.ConstantValue is { HasValue: true, Value: null }:
                        return true;
                    case IInvocationOperation invocation:
                        return IsSuccessResponse(invocation.TargetMethod);
                    case IObjectCreationOperation creation:
                        return creation.Type.InheritsFromOrEquals(_types.OkResult) || creation.Type.InheritsFromOrEquals(_types.OkObjectResult)
                            || creation.Type.InheritsFromOrEquals(_types.NoContentResult);
                    default:
                        return false;
                }
            }

            /// <summary>
            /// <c>try { ... return Ok(x); } catch (Exception) { rollback(); } return BadRequest("...");</c>: the catch falls
            /// through to an error response, which tells the caller the request failed.
            /// </summary>
            private bool IsFollowedByErrorResponse(ICatchClauseOperation clause)
            {
                if (clause.Parent is not ITryOperation { Parent: IBlockOperation block } tryOperation)
                {
                    return false;
                }

                var index = block.Operations.IndexOf(tryOperation);
                return index >= 0 && index + 1 < block.Operations.Length
                    && block.Operations[index + 1] is IReturnOperation { ReturnedValue: { } returned }
                    && returned.WalkDownConversion() is IInvocationOperation response && IsErrorResponse(response);
            }

            private bool IsErrorResponse(IInvocationOperation response)
            {
                var method = response.TargetMethod;
                var type = method.ContainingType;
                if (!(type.InheritsFromOrEquals(_types.ControllerBase) || type.IsSame(_types.Results) || type.IsSame(_types.TypedResults)))
                {
                    return false;
                }

                switch (method.Name)
                {
                    case "BadRequest":
                    case "Problem":
                    case "ValidationProblem":
                    case "Conflict":
                    case "UnprocessableEntity":
                    case "InternalServerError":
                        return true;
                    case "StatusCode":
                        return response.Arguments.Length > 0 && response.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int status } && status >= 400;
                    default:
                        return false;
                }
            }

            private bool IsSuccessResponse(IMethodSymbol method)
            {
                var name = method.Name;
                if (!(name is "Ok" or "NoContent" || name.StartsWith("Accepted", StringComparison.Ordinal) || name.StartsWith("Created", StringComparison.Ordinal)))
                {
                    return false;
                }

                var type = method.ContainingType;
                return type.InheritsFromOrEquals(_types.ControllerBase) || type.IsSame(_types.Results) || type.IsSame(_types.TypedResults);
            }

            /// <summary>
            /// A write to a field, property, array element or parameter, or to a local declared outside the catch and read
            /// outside it: the failure is recorded for later code (<c>failed = true;</c>, <c>Response.StatusCode = 500;</c>).
            /// </summary>
            private static bool SetsState(IOperation target, ICatchClauseOperation clause, ref IOperation? function)
            {
                switch (target.WalkDownConversion())
                {
                    case IFieldReferenceOperation:
                    case IPropertyReferenceOperation:
                    case IArrayElementReferenceOperation:
                    case IParameterReferenceOperation:
                    case IEventReferenceOperation:
                    case IDynamicMemberReferenceOperation:
                    case IDynamicIndexerAccessOperation:
                        return true;
                    case ILocalReferenceOperation local:
                        return IsReadOutside(local.Local, clause, ref function);
                    default:
                        return false;
                }
            }

            private static bool IsReadOutside(ILocalSymbol local, ICatchClauseOperation clause, ref IOperation? function)
            {
                var span = clause.Syntax.Span;
                function ??= clause.GetRoot();
                foreach (var operation in function.Descendants())
                {
                    if (operation is ILocalReferenceOperation reference && reference.Local.IsSame(local) && !span.Contains(reference.Syntax.Span))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// Calls that hand the failure to something else: <c>errors.Add(...)</c>, <c>ModelState.AddModelError(...)</c>,
            /// <c>metrics.RecordFailure()</c>, <c>tcs.TrySetException(...)</c>, <c>Environment.FailFast(...)</c>, ...
            /// </summary>
            private static bool RecordsFailure(string name)
            {
                foreach (var prefix in RecordingPrefixes)
                {
                    if (name.StartsWith(prefix, StringComparison.Ordinal)
                        && (name.Length == prefix.Length || char.IsUpper(name[prefix.Length]) || char.IsDigit(name[prefix.Length]) || name[prefix.Length] == '_'))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static readonly string[] RecordingPrefixes =
            {
                "Add", "Set", "TrySet", "Record", "Report", "Track", "Mark", "Increment", "Fail", "Enqueue", "Notify", "Publish",
                "Write", "Log", "Trace", "Warn", "Error", "Push", "Append", "Raise", "Alert", "Handle", "Signal", "Complete", "Emit", "Exit",
            };
        }
    }
}
