using System.Collections.Generic;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5005: a CORS policy that accepts every origin (AllowAnyOrigin(), SetIsOriginAllowed(_ => true),
    /// WithOrigins("*")) and also AllowCredentials(), in one builder chain or in one policy lambda.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CorsAnyOriginWithCredentialsAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.CorsAnyOriginWithCredentials,
            title: "CORS allows any origin with credentials",
            messageFormat: "{0}",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "A CORS policy with credentials tells browsers that the listed origins may send requests with the user's cookies or client certificate and read the responses. Accepting every origin with credentials lets any website the user visits act as the user against the API. List the origins the front ends are served from.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var builderType = types.CorsPolicyBuilder;
                if (builderType is null)
                {
                    return;
                }

                start.RegisterOperationAction(c => AnalyzeInvocation(c, builderType), OperationKind.Invocation);
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol builderType)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name != "AllowCredentials" || !invocation.TargetMethod.ContainingType.IsSame(builderType))
            {
                return;
            }

            // The calls of the same policy: this chain, and the other chains on the same builder variable in the function.
            var calls = new List<IInvocationOperation>();
            var root = CollectChain(invocation, builderType, calls);
            ISymbol? builderSymbol = root switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter,
                ILocalReferenceOperation local => local.Local,
                _ => null,
            };
            if (builderSymbol is not null)
            {
                var scope = invocation.GetEnclosingFunction() ?? invocation.GetRoot();
                foreach (var operation in scope.Descendants())
                {
                    if (operation is not IInvocationOperation chainEnd || !chainEnd.TargetMethod.ContainingType.IsSame(builderType) || !IsChainEnd(chainEnd, builderType))
                    {
                        continue;
                    }

                    var otherCalls = new List<IInvocationOperation>();
                    var otherRoot = CollectChain(chainEnd, builderType, otherCalls);
                    var otherSymbol = otherRoot switch
                    {
                        IParameterReferenceOperation parameter => (ISymbol)parameter.Parameter,
                        ILocalReferenceOperation local => local.Local,
                        _ => null,
                    };
                    if (otherSymbol.IsSame(builderSymbol))
                    {
                        foreach (var call in otherCalls)
                        {
                            if (!calls.Contains(call))
                            {
                                calls.Add(call);
                            }
                        }
                    }
                }
            }

            foreach (var call in calls)
            {
                var message = AnyOriginMessage(call);
                if (message is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, CallLocation(call), message));
                }
            }
        }

        /// <summary>Is the call the last of its chain (its result is not the receiver of another builder call)?</summary>
        private static bool IsChainEnd(IInvocationOperation call, INamedTypeSymbol builderType)
        {
            return !(call.Parent is IInvocationOperation next && next.Instance == call && next.TargetMethod.ContainingType.IsSame(builderType));
        }

        /// <summary>Adds the builder calls of the chain ending at <paramref name="end"/> and returns what the chain starts from.</summary>
        private static IOperation? CollectChain(IInvocationOperation end, INamedTypeSymbol builderType, List<IInvocationOperation> calls)
        {
            IOperation? current = end;
            while (current is IInvocationOperation call && call.TargetMethod.ContainingType.IsSame(builderType))
            {
                calls.Add(call);
                current = call.Instance?.WalkDownConversion();
            }

            return current;
        }

        private static string? AnyOriginMessage(IInvocationOperation call)
        {
            switch (call.TargetMethod.Name)
            {
                case "AllowAnyOrigin":
                    return "AllowAnyOrigin() together with AllowCredentials() is a policy ASP.NET Core rejects at run time; list the allowed origins with WithOrigins(...)";
                case "WithOrigins":
                    foreach (var argument in call.Arguments)
                    {
                        foreach (var value in argument.Value.DescendantsAndSelf())
                        {
                            if (value.ConstantValue is { HasValue: true, Value: "*" })
                            {
                                return "WithOrigins(\"*\") together with AllowCredentials() is a policy ASP.NET Core rejects at run time; list the allowed origins";
                            }
                        }
                    }

                    return null;
                case "SetIsOriginAllowed":
                    return call.Arguments.Length > 0 && AlwaysTrue(call.Arguments[0].Value)
                        ? "SetIsOriginAllowed that accepts every origin, together with AllowCredentials(), lets any website call the API with the user's credentials and read the answers; list the allowed origins"
                        : null;
                default:
                    return null;
            }
        }

        /// <summary>A predicate lambda whose every return is the constant true: <c>_ =&gt; true</c>, <c>origin =&gt; { return true; }</c>.</summary>
        private static bool AlwaysTrue(IOperation argument)
        {
            var value = argument.WalkDownConversion();
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target.WalkDownConversion();
            }

            if (value is not IAnonymousFunctionOperation lambda)
            {
                return false;
            }

            var returns = 0;
            foreach (var ret in lambda.Body.GetOwnReturns())
            {
                if (ret.ReturnedValue?.ConstantValue is not { HasValue: true, Value: true })
                {
                    return false;
                }

                returns++;
            }

            return returns > 0;
        }

        /// <summary>From the method name to the closing parenthesis: <c>AllowAnyOrigin()</c> in <c>policy.AllowAnyOrigin()</c>.</summary>
        private static Location CallLocation(IInvocationOperation call)
        {
            if (call.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax)
            {
                return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End));
            }

            return call.Syntax.GetLocation();
        }
    }
}
