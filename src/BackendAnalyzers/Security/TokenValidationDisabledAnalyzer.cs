using System;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5003: a check of incoming tokens turned off: a TokenValidationParameters flag (ValidateIssuer,
    /// ValidateAudience, ValidateLifetime, ValidateIssuerSigningKey, RequireSignedTokens, RequireExpirationTime) set
    /// to false, a SignatureValidator that returns the token without checking it, or RequireHttpsMetadata = false,
    /// outside a branch that only runs in development.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TokenValidationDisabledAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property present when the fix can set the flag to true.</summary>
        public const string SetTrueProperty = "SetTrue";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.TokenValidationDisabled,
            title: "Token validation is disabled",
            messageFormat: "{0}",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "Each validation flag of TokenValidationParameters closes a way to forge or replay a token: without issuer or audience checks a token issued for another application is accepted, without lifetime checks a stolen token works forever, and without signature checks anyone can write their own token. Keep them on; turn them off only in a branch that runs in development.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.TokenValidationParameters is null && types.JwtBearerOptions is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeAssignment, OperationKind.SimpleAssignment);
            });
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;

            public Analyzer(KnownTypes types)
            {
                _types = types;
            }

            public void AnalyzeAssignment(OperationAnalysisContext context)
            {
                var assignment = (ISimpleAssignmentOperation)context.Operation;
                if (assignment.Target is not IPropertyReferenceOperation target)
                {
                    return;
                }

                var property = target.Property;
                string? message;
                switch (property.Name)
                {
                    case "ValidateIssuer":
                        message = "ValidateIssuer = false accepts tokens from any issuer";
                        break;
                    case "ValidateAudience":
                        message = "ValidateAudience = false accepts tokens issued for other applications";
                        break;
                    case "ValidateLifetime":
                        message = "ValidateLifetime = false accepts expired tokens";
                        break;
                    case "ValidateIssuerSigningKey":
                        message = "ValidateIssuerSigningKey = false skips the checks of the key that signed the token";
                        break;
                    case "RequireSignedTokens":
                        message = "RequireSignedTokens = false accepts tokens without a signature";
                        break;
                    case "RequireExpirationTime":
                        message = "RequireExpirationTime = false accepts tokens that never expire";
                        break;
                    case "RequireHttpsMetadata":
                        message = "RequireHttpsMetadata = false lets the signing keys be fetched over plain HTTP; set it only in development";
                        break;
                    case "SignatureValidator":
                        AnalyzeSignatureValidator(context, assignment, property);
                        return;
                    default:
                        return;
                }

                var owner = property.ContainingType;
                var applies = property.Name == "RequireHttpsMetadata"
                    ? IsAuthenticationOptions(owner)
                    : owner.InheritsFromOrEquals(_types.TokenValidationParameters);
                if (!applies || assignment.Value.ConstantValue is not { HasValue: true, Value: false } || IsInDevelopmentOnlyBranch(assignment))
                {
                    return;
                }

                var properties = ImmutableDictionary<string, string?>.Empty.Add(SetTrueProperty, "true");
                context.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Syntax.GetLocation(), properties, message));
            }

            /// <summary>JwtBearerOptions, OpenIdConnectOptions and the other options of ASP.NET Core's remote authentication handlers.</summary>
            private bool IsAuthenticationOptions(INamedTypeSymbol? type)
            {
                if (type is null)
                {
                    return false;
                }

                if (type.InheritsFromOrEquals(_types.JwtBearerOptions))
                {
                    return true;
                }

                var ns = type.ContainingNamespace?.ToDisplayString();
                return ns is not null && ns.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal);
            }

            private void AnalyzeSignatureValidator(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, IPropertySymbol property)
            {
                if (!property.ContainingType.InheritsFromOrEquals(_types.TokenValidationParameters))
                {
                    return;
                }

                var value = assignment.Value.WalkDownConversion();
                if (value is IDelegateCreationOperation creation)
                {
                    value = creation.Target.WalkDownConversion();
                }

                if (value is not IAnonymousFunctionOperation lambda || lambda.Symbol.Parameters.Length == 0 || !SkipsValidation(lambda) || IsInDevelopmentOnlyBranch(assignment))
                {
                    return;
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Syntax.GetLocation(),
                    "This SignatureValidator returns the token without checking its signature, so anyone can write a token that is accepted"));
            }

            /// <summary>Every return hands back <c>new JwtSecurityToken(token)</c>/<c>new JsonWebToken(token)</c> (or the parameter) and nothing is called.</summary>
            private bool SkipsValidation(IAnonymousFunctionOperation lambda)
            {
                var token = lambda.Symbol.Parameters[0];
                var returns = 0;
                foreach (var operation in lambda.Body.Descendants())
                {
                    switch (operation)
                    {
                        case IInvocationOperation:
                        case IThrowOperation:
                        case IConditionalOperation:
                            return false; // something is checked or computed
                        case IReturnOperation { ReturnedValue: { } returned }:
                            if (!IsUncheckedToken(returned.WalkDownConversion(), token))
                            {
                                return false;
                            }

                            returns++;
                            break;
                    }
                }

                return returns > 0;
            }

            private bool IsUncheckedToken(IOperation value, IParameterSymbol token)
            {
                switch (value)
                {
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter.IsSame(token);
                    case IObjectCreationOperation creation when creation.Type.InheritsFromOrEquals(_types.SecurityToken)
                        || creation.Type?.Name is "JwtSecurityToken" or "JsonWebToken":
                        foreach (var argument in creation.Arguments)
                        {
                            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                                && !(argument.Value.WalkDownConversion() is IParameterReferenceOperation reference && reference.Parameter.IsSame(token)))
                            {
                                return false;
                            }
                        }

                        return creation.Arguments.Length > 0;
                    default:
                        return false;
                }
            }

            /// <summary>
            /// Is the operation inside <c>if (env.IsDevelopment())</c> (or <c>IsEnvironment("Development")</c>,
            /// <c>EnvironmentName == "Development"</c>, <c>!IsProduction()</c>, a local holding one of these), or in the
            /// else branch of <c>if (env.IsProduction())</c>/<c>if (!env.IsDevelopment())</c>? Lambdas inside such a
            /// branch count too.
            /// </summary>
            private static bool IsInDevelopmentOnlyBranch(IOperation operation)
            {
                var child = operation;
                for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
                {
                    if (current is not IConditionalOperation conditional)
                    {
                        continue;
                    }

                    if (conditional.WhenTrue == child && IsEnvironmentCheck(conditional.Condition, development: true, depth: 0)
                        || conditional.WhenFalse == child && IsEnvironmentCheck(conditional.Condition, development: false, depth: 0))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// With <paramref name="development"/> true: is the condition true only in development? With false: is it
            /// true in every environment but development (IsProduction(), !IsDevelopment())?
            /// </summary>
            private static bool IsEnvironmentCheck(IOperation condition, bool development, int depth)
            {
                var value = condition.WalkDownConversion();
                if (depth > 3)
                {
                    return false;
                }

                switch (value)
                {
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                        return IsEnvironmentCheck(negation.Operand, !development, depth + 1);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when development:
                        return IsEnvironmentCheck(both.LeftOperand, true, depth + 1) || IsEnvironmentCheck(both.RightOperand, true, depth + 1);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !development:
                        return IsEnvironmentCheck(either.LeftOperand, false, depth + 1) || IsEnvironmentCheck(either.RightOperand, false, depth + 1);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality:
                        var constant = equality.RightOperand.ConstantValue.HasValue ? equality.RightOperand : equality.LeftOperand;
                        if (constant.ConstantValue.Value is string name && IsDevelopmentName(name))
                        {
                            return (equality.OperatorKind == BinaryOperatorKind.Equals) == development;
                        }

                        return false;
                    case IInvocationOperation invocation:
                        switch (invocation.TargetMethod.Name)
                        {
                            case "IsDevelopment":
                                return development;
                            case "IsProduction":
                                return !development;
                            case "IsEnvironment":
                                foreach (var argument in invocation.Arguments)
                                {
                                    if (argument.Value.ConstantValue.Value is string environment && IsDevelopmentName(environment))
                                    {
                                        return development;
                                    }
                                }

                                return false;
                            case "Equals" when invocation.Arguments.Length > 0:
                                foreach (var argument in invocation.Arguments)
                                {
                                    if (argument.Value.ConstantValue.Value is string environment && IsDevelopmentName(environment))
                                    {
                                        return development;
                                    }
                                }

                                return false;
                            default:
                                return false;
                        }

                    case IInvalidOperation { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsDevelopment" } } }:
                        return development; // half-typed code: env.IsDevelopment() on an unresolved receiver
                    case ILocalReferenceOperation local:
                        foreach (var operation in local.GetRoot().Descendants())
                        {
                            if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local.Local) && declarator.Initializer is { } initializer)
                            {
                                return IsEnvironmentCheck(initializer.Value, development, depth + 1);
                            }
                        }

                        return false;
                    default:
                        return false;
                }
            }

            private static bool IsDevelopmentName(string name) => string.Equals(name, "Development", StringComparison.OrdinalIgnoreCase);
        }
    }
}
