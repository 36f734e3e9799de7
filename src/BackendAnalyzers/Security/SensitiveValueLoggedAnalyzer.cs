using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5007: an ILogger call (LogInformation, LogWarning, ..., Log) that
    /// writes a password, secret, token, API key, card number, CVV or SSN: an argument named like one, an argument
    /// filling a placeholder named like one, an interpolation hole, or an object whose ToString or destructuring
    /// prints such a property (records, anonymous objects, <c>{@Model}</c>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SensitiveValueLoggedAnalyzer : DiagnosticAnalyzer
    {
        private const int MaxNameLength = 48;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.SensitiveValueLogged,
            title: "Sensitive value written to a log",
            messageFormat: "{0} is written to the log; leave it out or log a redacted form",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "Logs are copied to files, log services, dashboards and support tickets, kept for months and read by many more people than the database. A password, token, API key or card number written there is a leaked credential and, for card data and national identifiers, a compliance breach. Log that the value was present, its length, or a masked form.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.LoggerExtensions is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;

            public Analyzer(KnownTypes types)
            {
                _types = types;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                if (!method.Name.StartsWith("Log", StringComparison.Ordinal) || !method.ContainingType.IsSame(_types.LoggerExtensions))
                {
                    return;
                }

                IOperation? message = null;
                IOperation? args = null;
                foreach (var argument in invocation.Arguments)
                {
                    switch (argument.Parameter?.Name)
                    {
                        case "message":
                            message = argument.Value;
                            break;
                        case "args":
                            args = argument.Value;
                            break;
                    }
                }

                if (message is null)
                {
                    return;
                }

                var placeholders = message.ConstantValue is { HasValue: true, Value: string template } ? ReadPlaceholders(template) : new List<Placeholder>();
                CheckMessage(context, message.WalkDownConversion());

                if (args?.WalkDownConversion() is IArrayCreationOperation { Initializer: { } initializer })
                {
                    var values = initializer.ElementValues;
                    for (var i = 0; i < values.Length; i++)
                    {
                        var placeholder = i < placeholders.Count ? placeholders[i] : null;
                        CheckValue(context, values[i], placeholder);
                    }
                }
                else if (args is not null && !args.WalkDownConversion().ConstantValue.HasValue)
                {
                    // One argument that converts to object[] itself (a string[] or StringValues): it fills the first hole.
                    CheckValue(context, args, placeholders.Count > 0 ? placeholders[0] : null);
                }
            }

            /// <summary>Interpolated or concatenated messages: every hole and operand is written as text.</summary>
            private void CheckMessage(OperationAnalysisContext context, IOperation message)
            {
                switch (message)
                {
                    case IInterpolatedStringOperation interpolated:
                        foreach (var part in interpolated.Parts)
                        {
                            if (part is IInterpolationOperation hole)
                            {
                                CheckValue(context, hole.Expression, null);
                            }
                        }

                        break;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                        CheckMessage(context, concatenation.LeftOperand.WalkDownConversion());
                        CheckMessage(context, concatenation.RightOperand.WalkDownConversion());
                        break;
                    default:
                        if (!message.ConstantValue.HasValue && message.Type?.SpecialType == SpecialType.System_String && message.Parent is IBinaryOperation)
                        {
                            CheckValue(context, message, null);
                        }

                        break;
                }
            }

            private void CheckValue(OperationAnalysisContext context, IOperation operation, Placeholder? placeholder)
            {
                var value = operation.WalkDownConversion();
                if (value.ConstantValue.HasValue || !CanCarrySecret(value.Type) || value.Type.IsSame(_types.CancellationToken))
                {
                    return; // "***", lengths, flags, counts
                }

                var name = SensitiveName(value, 0);
                if (name is not null)
                {
                    Report(context, operation, "'" + name + "'");
                    return;
                }

                if (placeholder is not null && SensitiveNames.IsSensitiveName(placeholder.Name) && IsPlainValue(value))
                {
                    Report(context, operation, "The value of {" + placeholder.Name + "}");
                    return;
                }

                var property = ExposedSensitiveProperty(value.Type, placeholder?.Destructure == true);
                if (property is not null)
                {
                    Report(context, operation, "'" + Shorten(value.Syntax.ToString()) + "' (with its " + property + " property)");
                }
            }

            private static void Report(OperationAnalysisContext context, IOperation operation, string what) =>
                context.ReportDiagnostic(Diagnostic.Create(Rule, operation.Syntax.GetLocation(), what));

            /// <summary>The name under which the value is sensitive (request.Password, apiKey, Headers["Authorization"]), or null.</summary>
            private string? SensitiveName(IOperation value, int depth)
            {
                if (depth > 3)
                {
                    return null;
                }

                switch (value.WalkDownConversion())
                {
                    case IParameterReferenceOperation parameter:
                        return IsSensitive(parameter.Parameter.Name, parameter.Type) ? parameter.Parameter.Name : null;
                    case ILocalReferenceOperation local:
                        return IsSensitive(local.Local.Name, local.Type) ? local.Local.Name : null;
                    case IFieldReferenceOperation field:
                        return IsSensitive(field.Field.Name, field.Type) ? Shorten(field.Syntax.ToString()) : null;
                    case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                        if (indexer.Arguments.Length == 1 && indexer.Arguments[0].Value.ConstantValue.Value is string key
                            && (SensitiveNames.IsSensitiveName(key) || key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)))
                        {
                            return Shorten(indexer.Syntax.ToString());
                        }

                        return null;
                    case IPropertyReferenceOperation property:
                        // Request.Headers.Authorization and .Cookie carry bearer tokens and session cookies.
                        return IsSensitive(property.Property.Name, property.Type) || property.Property.Name is "Authorization" or "Cookie"
                            ? Shorten(property.Syntax.ToString())
                            : null;
                    case IConditionalAccessOperation conditional:
                        return SensitiveName(conditional.WhenNotNull, depth + 1);
                    case ICoalesceOperation coalesce:
                        return SensitiveName(coalesce.Value, depth + 1);
                    case IConditionalOperation conditional:
                        return (conditional.WhenTrue is null ? null : SensitiveName(conditional.WhenTrue, depth + 1))
                            ?? (conditional.WhenFalse is null ? null : SensitiveName(conditional.WhenFalse, depth + 1));
                    case IInvocationOperation { Instance: { } receiver, TargetMethod.Name: "ToString" or "Trim" or "ToUpper" or "ToLower" or "ToUpperInvariant" or "ToLowerInvariant" }:
                        return SensitiveName(receiver, depth + 1);
                    default:
                        return null; // other calls (Redact, Mask, a hash) make something else
                }
            }

            private bool IsSensitive(string name, ITypeSymbol? type) =>
                SensitiveNames.IsSensitiveName(name) && !type.IsSame(_types.CancellationToken) && CanCarrySecret(type);

            /// <summary>A reference or a plain pass-through of one (not a call that transforms it).</summary>
            private static bool IsPlainValue(IOperation value) =>
                value is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                    or ICoalesceOperation or IConditionalAccessOperation;

            /// <summary>
            /// A public property named like a secret that the logger prints: records and anonymous objects print
            /// their properties in ToString; with <c>{@Name}</c> structured loggers print every public property.
            /// Only types of the compilation (and anonymous ones) are looked into, one level deep.
            /// </summary>
            private static string? ExposedSensitiveProperty(ITypeSymbol? type, bool destructure)
            {
                if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                {
                    return null;
                }

                if (!named.IsAnonymousType && !(named.IsInSource() && (destructure || named.IsRecord)))
                {
                    return null;
                }

                if (!named.IsAnonymousType && !destructure && OverridesToString(named))
                {
                    return null; // a hand-written ToString decides what is printed
                }

                foreach (var member in named.GetMembers())
                {
                    if (member is IPropertySymbol { DeclaredAccessibility: Accessibility.Public, IsStatic: false, IsIndexer: false } property
                        && property.Name != "EqualityContract" && SensitiveNames.IsSensitiveName(property.Name) && CanCarrySecret(property.Type))
                    {
                        return property.Name;
                    }
                }

                return null;
            }

            private static bool OverridesToString(INamedTypeSymbol type)
            {
                foreach (var member in type.GetMembers("ToString"))
                {
                    if (member is IMethodSymbol { IsOverride: true, Parameters.Length: 0, IsImplicitlyDeclared: false })
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Numbers, booleans, dates and enums are not credentials (password.Length, token is null).</summary>
            private static bool CanCarrySecret(ITypeSymbol? type)
            {
                if (type is null)
                {
                    return true;
                }

                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    type = nullable.TypeArguments[0];
                }

                if (type.TypeKind is TypeKind.Enum or TypeKind.Error)
                {
                    return false;
                }

                switch (type.SpecialType)
                {
                    case SpecialType.System_Boolean:
                    case SpecialType.System_Byte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Single:
                    case SpecialType.System_Double:
                    case SpecialType.System_Decimal:
                    case SpecialType.System_DateTime:
                        return false;
                }

                return !(type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
                    && type.Name is "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly");
            }

            private static string Shorten(string text)
            {
                text = text.Replace("\r", string.Empty).Replace("\n", " ");
                return text.Length <= MaxNameLength ? text : text.Substring(0, MaxNameLength - 3) + "...";
            }

            private sealed class Placeholder
            {
                public Placeholder(string name, bool destructure)
                {
                    Name = name;
                    Destructure = destructure;
                }

                public string Name { get; }

                public bool Destructure { get; }
            }

            /// <summary>The named holes of a message template, in order: <c>{Name}</c>, <c>{@Name}</c>, <c>{Name:format}</c>; <c>{{</c> is text.</summary>
            private static List<Placeholder> ReadPlaceholders(string template)
            {
                var result = new List<Placeholder>();
                for (var i = 0; i < template.Length; i++)
                {
                    if (template[i] != '{')
                    {
                        continue;
                    }

                    if (i + 1 < template.Length && template[i + 1] == '{')
                    {
                        i++;
                        continue;
                    }

                    var end = template.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        break;
                    }

                    var body = template.Substring(i + 1, end - i - 1);
                    var destructure = body.StartsWith("@", StringComparison.Ordinal);
                    body = body.TrimStart('@', '$');
                    var cut = body.IndexOfAny(new[] { ':', ',' });
                    if (cut >= 0)
                    {
                        body = body.Substring(0, cut);
                    }

                    result.Add(new Placeholder(body.Trim(), destructure));
                    i = end;
                }

                return result;
            }
        }
    }
}
