using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Integration
{
    /// <summary>
    /// BA6005: a computed HMAC or hash (HMACSHA256.ComputeHash/HashData, SHA256.HashData, as bytes or as hex/base64
    /// text) compared with ==, !=, Equals or SequenceEqual. Those comparisons return at the first differing byte,
    /// so response times tell an attacker how much of a forged signature is right.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SignatureComparedInNonConstantTimeAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "Bytes" or "String" when the fix can rewrite the comparison; absent otherwise.</summary>
        public const string KindProperty = "Kind";

        /// <summary>Diagnostic property: "true" for != (the fix keeps the negation).</summary>
        public const string NegateProperty = "Negate";

        /// <summary>Diagnostic property: "true" when the comparison ignored case (the fix lower-cases both sides).</summary>
        public const string IgnoreCaseProperty = "IgnoreCase";

        /// <summary>Diagnostic property: where the operands are in the syntax (one of the <c>Form*</c> values).</summary>
        public const string FormProperty = "Form";

        /// <summary><c>a == b</c>, <c>a != b</c>.</summary>
        public const string FormBinary = "Binary";

        /// <summary><c>string.Equals(a, b)</c>, <c>Enumerable.SequenceEqual(a, b)</c>: the first two arguments.</summary>
        public const string FormArguments = "Arguments";

        /// <summary><c>a.Equals(b)</c>, <c>a.SequenceEqual(b)</c>: the receiver and the first argument.</summary>
        public const string FormReceiver = "Receiver";

        public const string BytesKind = "Bytes";
        public const string StringKind = "String";

        private const int MaxLocalDepth = 4;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.SignatureComparedInNonConstantTime,
            title: "Signature compared in non-constant time",
            messageFormat: "A computed hash or signature is compared with {0}, which stops at the first difference; use CryptographicOperations.FixedTimeEquals",
            RuleCategories.Integration,
            DiagnosticSeverity.Warning,
            description: "Ordinary equality returns as soon as two values differ, so the time a comparison takes reveals how many leading bytes of a forged signature are right. An attacker can forge an HMAC byte by byte that way. CryptographicOperations.FixedTimeEquals takes the same time whatever the contents.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.HashAlgorithm is null || types.CryptographicOperations is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeBinary, OperationKind.Binary);
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

            public void AnalyzeBinary(OperationAnalysisContext context)
            {
                var binary = (IBinaryOperation)context.Operation;
                if (binary.OperatorKind is not (BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals))
                {
                    return;
                }

                Check(context, binary, binary.LeftOperand, binary.RightOperand,
                    binary.OperatorKind == BinaryOperatorKind.Equals ? "==" : "!=",
                    negate: binary.OperatorKind == BinaryOperatorKind.NotEquals, ignoreCase: false);
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                switch (method.Name)
                {
                    case "Equals":
                        if (method.IsStatic)
                        {
                            // string.Equals(a, b[, comparison])
                            if (method.ContainingType?.SpecialType == SpecialType.System_String && invocation.Arguments.Length >= 2)
                            {
                                Check(context, invocation, invocation.Arguments[0].Value, invocation.Arguments[1].Value, "string.Equals", false, IgnoresCase(invocation, 2));
                            }
                        }
                        else if (invocation.Instance is { } instance && invocation.Arguments.Length >= 1)
                        {
                            Check(context, invocation, instance, invocation.Arguments[0].Value, "Equals", false, IgnoresCase(invocation, 1));
                        }

                        break;
                    case "SequenceEqual":
                        var containing = method.ContainingType;
                        if ((containing.IsSame(_types.Enumerable) || containing.IsSame(_types.MemoryExtensions))
                            && invocation.GetReceiverOrThisArgument() is { } first && invocation.GetArgument(1) is { } second)
                        {
                            Check(context, invocation, first, second, "SequenceEqual", false, false);
                        }

                        break;
                }
            }

            private static bool IgnoresCase(IInvocationOperation invocation, int ordinal)
            {
                var comparison = invocation.GetArgument(ordinal);
                return comparison?.ConstantValue is { HasValue: true, Value: int value }
                    && (value == 1 /* CurrentCultureIgnoreCase */ || value == 3 /* InvariantCultureIgnoreCase */ || value == 5 /* OrdinalIgnoreCase */);
            }

            private void Check(OperationAnalysisContext context, IOperation comparison, IOperation left, IOperation right, string how, bool negate, bool ignoreCase)
            {
                // Cheap gate first: a hash or text made from one is a string, a byte array or a byte span.
                if (!IsCandidate(left.WalkDownConversion().Type) && !IsCandidate(right.WalkDownConversion().Type) || IsConstant(left) || IsConstant(right))
                {
                    return; // hash == null, hex == "": not a signature check
                }

                var root = comparison.GetRoot();
                if (!IsHashDerived(left, root, 0) && !IsHashDerived(right, root, 0))
                {
                    return;
                }

                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                var kind = Kind(left, right);
                var form = Form(comparison, left);
                if (kind is not null && form is not null)
                {
                    properties.Add(KindProperty, kind);
                    properties.Add(FormProperty, form);
                    if (negate)
                    {
                        properties.Add(NegateProperty, "true");
                    }

                    if (ignoreCase)
                    {
                        properties.Add(IgnoreCaseProperty, "true");
                    }
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, comparison.Syntax.GetLocation(), properties.ToImmutable(), how));
            }

            /// <summary>Where the fix finds the operands, or null when the syntax is not one it rewrites (a?.Equals(b)).</summary>
            private static string? Form(IOperation comparison, IOperation left)
            {
                if (comparison is IBinaryOperation)
                {
                    return comparison.Syntax is BinaryExpressionSyntax ? FormBinary : null;
                }

                if (comparison.Syntax is not InvocationExpressionSyntax call)
                {
                    return null;
                }

                if (left.Syntax.Parent is ArgumentSyntax argument && argument.Parent?.Parent == call)
                {
                    return call.ArgumentList.Arguments.Count >= 2 ? FormArguments : null;
                }

                return call.Expression is MemberAccessExpressionSyntax && call.ArgumentList.Arguments.Count >= 1 ? FormReceiver : null;
            }

            private static bool IsCandidate(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_String || IsByteSequence(type);

            private static bool IsConstant(IOperation operation) => operation.WalkDownConversion().ConstantValue.HasValue;

            /// <summary>"String" when both sides are strings, "Bytes" when both are byte arrays or byte spans, else null (no fix).</summary>
            private static string? Kind(IOperation left, IOperation right)
            {
                var leftType = left.WalkDownConversion().Type;
                var rightType = right.WalkDownConversion().Type;
                if (leftType?.SpecialType == SpecialType.System_String && rightType?.SpecialType == SpecialType.System_String)
                {
                    return StringKind;
                }

                return IsByteSequence(leftType) && IsByteSequence(rightType) ? BytesKind : null;
            }

            private static bool IsByteSequence(ITypeSymbol? type)
            {
                switch (type)
                {
                    case IArrayTypeSymbol array:
                        return array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_Byte;
                    case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                        when named.Name is "Span" or "ReadOnlySpan" && named.ContainingNamespace?.Name == "System":
                        return named.TypeArguments[0].SpecialType == SpecialType.System_Byte;
                    default:
                        return false;
                }
            }

            /// <summary>Is the value a computed hash, or text made from one (hex, base64, prefixed, lower-cased), directly or through locals?</summary>
            private bool IsHashDerived(IOperation operation, IOperation root, int depth)
            {
                var value = operation.WalkDownConversion();
                switch (value)
                {
                    case IInvocationOperation invocation:
                        return IsHashInvocation(invocation, root, depth);
                    case IPropertyReferenceOperation { Property.Name: "Hash" } property:
                        return property.Instance?.Type.InheritsFromOrEquals(_types.Hmac) == true; // hmac.Hash after TransformFinalBlock
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when concatenation.Type?.SpecialType == SpecialType.System_String:
                        return IsHashDerived(concatenation.LeftOperand, root, depth) || IsHashDerived(concatenation.RightOperand, root, depth);
                    case IInterpolatedStringOperation interpolated:
                        foreach (var part in interpolated.Parts)
                        {
                            if (part is IInterpolationOperation hole && IsHashDerived(hole.Expression, root, depth))
                            {
                                return true;
                            }
                        }

                        return false;
                    case ILocalReferenceOperation local when depth < MaxLocalDepth:
                        return IsLocalHashDerived(local.Local, root, depth + 1);
                    default:
                        return false;
                }
            }

            private bool IsHashInvocation(IInvocationOperation invocation, IOperation root, int depth)
            {
                var method = invocation.TargetMethod;
                var containing = method.ContainingType;
                if (containing is null)
                {
                    return false;
                }

                switch (method.Name)
                {
                    case "ComputeHash":
                        // Keyed hashes only: hmac.ComputeHash(payload). A plain SHA256 instance is no signature.
                        return !method.IsStatic && invocation.Instance?.Type.InheritsFromOrEquals(_types.Hmac) == true;
                    case "HashData":
                        if (!method.IsStatic)
                        {
                            return false;
                        }

                        if (containing.InheritsFromOrEquals(_types.Hmac))
                        {
                            return true;
                        }

                        // An unkeyed SHA-2/SHA-3 hash is a signature only when a secret goes into it (a secret-prefix
                        // MAC, a hashed API key); content hashes such as ETags are compared in plain time safely.
                        return IsShaFamily(containing) && invocation.GetArgument(0) is { } input && MentionsSecret(input, root, depth);
                    case "ToHexString":
                    case "ToHexStringLower":
                    case "ToBase64String":
                        return containing.IsSame(_types.Convert) && FirstArgumentDerived(invocation, root, depth);
                    case "ToString" when method.IsStatic:
                        return containing.IsSame(_types.BitConverter) && FirstArgumentDerived(invocation, root, depth);
                    case "Base64UrlEncode":
                        return containing.IsSame(_types.WebEncoders) && FirstArgumentDerived(invocation, root, depth);
                    case "EncodeToString":
                        return containing.IsSame(_types.Base64Url) && FirstArgumentDerived(invocation, root, depth);
                    case "ToLower":
                    case "ToLowerInvariant":
                    case "ToUpper":
                    case "ToUpperInvariant":
                    case "Replace":
                    case "Trim":
                    case "TrimEnd":
                    case "TrimStart":
                        return containing.SpecialType == SpecialType.System_String && invocation.Instance is { } text && IsHashDerived(text, root, depth);
                    case "AsSpan":
                    case "AsMemory":
                    case "ToArray":
                        return invocation.GetReceiverOrThisArgument() is { } source && IsHashDerived(source, root, depth);
                    default:
                        return false;
                }
            }

            private bool FirstArgumentDerived(IInvocationOperation invocation, IOperation root, int depth) =>
                invocation.GetArgument(0) is { } argument && IsHashDerived(argument, root, depth);

            private bool IsShaFamily(INamedTypeSymbol type) =>
                type.Name is "SHA256" or "SHA384" or "SHA512" or "SHA3_256" or "SHA3_384" or "SHA3_512"
                && type.InheritsFromOrEquals(_types.HashAlgorithm);

            /// <summary>Does the value mention a secret: a variable or member named like one, or a string such as a configuration key?</summary>
            private static bool MentionsSecret(IOperation value, IOperation root, int depth)
            {
                foreach (var operation in value.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case ILocalReferenceOperation local:
                            if (IsSecretName(local.Local.Name))
                            {
                                return true;
                            }

                            if (depth < MaxLocalDepth)
                            {
                                foreach (var assigned in AssignedValues(local.Local, root))
                                {
                                    if (MentionsSecret(assigned, root, depth + 1))
                                    {
                                        return true;
                                    }
                                }
                            }

                            break;
                        case IParameterReferenceOperation parameter when IsSecretName(parameter.Parameter.Name):
                        case IFieldReferenceOperation field when IsSecretName(field.Field.Name):
                        case IPropertyReferenceOperation property when IsSecretName(property.Property.Name):
                            return true;
                        case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } when IsSecretName(text):
                            return true;
                    }
                }

                return false;
            }

            /// <summary>Names made of words such as secret, key, password, token (apiKey, _signingSecret, "Webhook:Secret").</summary>
            internal static bool IsSecretName(string name)
            {
                var start = 0;
                for (var i = 1; i <= name.Length; i++)
                {
                    var boundary = i == name.Length || !char.IsLetterOrDigit(name[i]) || char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]);
                    if (!boundary)
                    {
                        continue;
                    }

                    var word = name.Substring(start, i - start).Trim('_', ':', '-', '.', ' ');
                    if (word.Length > 0 && IsSecretWord(word))
                    {
                        return true;
                    }

                    start = i;
                }

                return false;
            }

            private static bool IsSecretWord(string word) =>
                string.Equals(word, "secret", System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(word, "key", System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(word, "password", System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(word, "token", System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(word, "pepper", System.StringComparison.OrdinalIgnoreCase);

            private static System.Collections.Generic.IEnumerable<IOperation> AssignedValues(ILocalSymbol local, IOperation root)
            {
                foreach (var operation in root.Descendants())
                {
                    var assigned = operation switch
                    {
                        IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(local) => declarator.GetVariableInitializer()?.Value,
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when target.Local.IsSame(local) => assignment.Value,
                        _ => null,
                    };
                    if (assigned is not null)
                    {
                        yield return assigned;
                    }
                }
            }

            private bool IsLocalHashDerived(ILocalSymbol local, IOperation root, int depth)
            {
                foreach (var assigned in AssignedValues(local, root))
                {
                    if (IsHashDerived(assigned, root, depth))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
