using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5006: MD5, SHA-1 or SHA-2 (<c>X.HashData</c>, <c>ComputeHash</c> on an unkeyed hash algorithm) applied to a
    /// value named like a password: a variable, parameter, field or property called password/passwd/pwd/passphrase,
    /// directly or through Encoding.GetBytes, concatenation with a salt, interpolation and locals.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PasswordHashedWithFastHashAnalyzer : DiagnosticAnalyzer
    {
        private const int MaxDepth = 5;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.PasswordHashedWithFastHash,
            title: "Password hashed with a fast hash",
            messageFormat: "{0} hashes a password with {1}, a fast hash made for checksums; use PasswordHasher<T> or Rfc2898DeriveBytes.Pbkdf2 with a random salt",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "MD5, SHA-1 and SHA-2 are designed to be fast: a graphics card computes billions of them per second, so a leaked table of such password hashes is cracked in hours, and without a per-user salt identical passwords share a hash. Password hashing needs a slow, salted function: ASP.NET Core Identity's PasswordHasher<T>, PBKDF2 (Rfc2898DeriveBytes.Pbkdf2) with a high iteration count, bcrypt or Argon2.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.HashAlgorithm is null)
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
                if (method.Name is not ("HashData" or "TryHashData" or "ComputeHash"))
                {
                    return;
                }

                string? algorithm;
                string display;
                if (method.IsStatic)
                {
                    algorithm = FastHashName(method.ContainingType, exact: true);
                    display = method.ContainingType?.Name + "." + method.Name;
                }
                else
                {
                    var receiverType = invocation.Instance?.Type;
                    if (method.Name != "ComputeHash" || !receiverType.InheritsFromOrEquals(_types.HashAlgorithm) || receiverType.InheritsFromOrEquals(_types.KeyedHashAlgorithm))
                    {
                        return;
                    }

                    algorithm = FastHashName(receiverType as INamedTypeSymbol, exact: false) ?? "a general-purpose hash algorithm";
                    display = "ComputeHash";
                }

                if (algorithm is null || invocation.Arguments.Length == 0)
                {
                    return;
                }

                var input = invocation.Arguments[0];
                if (input.Parameter is null || input.Parameter.Type.InheritsFromOrEquals(_types.Stream))
                {
                    return; // a checksum of a file or a stream
                }

                if (IsPasswordValue(input.Value, 0))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), display, algorithm));
                }
            }

            /// <summary>MD5, SHA1, SHA256, SHA384 or SHA512 for the type or (when not exact) its nearest such base type.</summary>
            private string? FastHashName(INamedTypeSymbol? type, bool exact)
            {
                for (var current = type; current is not null; current = exact ? null : current.BaseType)
                {
                    if (current.IsSame(_types.MD5) || current.IsSame(_types.SHA1) || current.IsSame(_types.SHA256)
                        || current.IsSame(_types.SHA384) || current.IsSame(_types.SHA512))
                    {
                        return current.Name;
                    }
                }

                return null;
            }

            /// <summary>Does the value carry a password: a symbol named like one, through encoding, concatenation, interpolation and locals?</summary>
            private bool IsPasswordValue(IOperation operation, int depth)
            {
                var value = operation.WalkDownConversion();
                if (depth > MaxDepth || value.ConstantValue.HasValue)
                {
                    return false;
                }

                switch (value)
                {
                    case IParameterReferenceOperation parameter:
                        return SensitiveNames.IsPasswordName(parameter.Parameter.Name);
                    case IFieldReferenceOperation field:
                        return SensitiveNames.IsPasswordName(field.Field.Name);
                    case IPropertyReferenceOperation property:
                        return SensitiveNames.IsPasswordName(property.Property.Name);
                    case ILocalReferenceOperation local:
                        if (SensitiveNames.IsPasswordName(local.Local.Name))
                        {
                            return true;
                        }

                        foreach (var assigned in AssignedValues(local))
                        {
                            if (IsPasswordValue(assigned, depth + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                        return IsPasswordValue(concatenation.LeftOperand, depth + 1) || IsPasswordValue(concatenation.RightOperand, depth + 1);
                    case IInterpolatedStringOperation interpolated:
                        foreach (var part in interpolated.Parts)
                        {
                            if (part is IInterpolationOperation hole && IsPasswordValue(hole.Expression, depth + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    case IInvocationOperation invocation when CarriesItsInput(invocation.TargetMethod):
                        if (invocation.Instance is { } instance && IsPasswordValue(instance, depth + 1))
                        {
                            return true;
                        }

                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.ArgumentKind != ArgumentKind.DefaultValue && IsPasswordValue(argument.Value, depth + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    default:
                        return false; // other calls (Pbkdf2, a key derivation, a lookup) make something new
                }
            }

            /// <summary>Calls whose result is the input in another shape: encodings, string and span helpers, Concat/ToArray.</summary>
            private bool CarriesItsInput(IMethodSymbol method)
            {
                var containing = method.ContainingType;
                if (containing is null)
                {
                    return false;
                }

                if (method.Name is "GetBytes" && containing.InheritsFromOrEquals(_types.Encoding))
                {
                    return true;
                }

                if (containing.SpecialType == SpecialType.System_String)
                {
                    return method.Name is "Concat" or "Format" or "Join" or "Trim" or "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant" or "Normalize";
                }

                if (containing.IsSame(_types.Enumerable))
                {
                    return method.Name is "Concat" or "ToArray" or "Append" or "Prepend";
                }

                return containing.IsSame(_types.MemoryExtensions) && method.Name is "AsSpan" or "AsMemory";
            }

            private static ImmutableArray<IOperation> AssignedValues(ILocalReferenceOperation reference)
            {
                var builder = ImmutableArray.CreateBuilder<IOperation>();
                foreach (var operation in reference.GetRoot().Descendants())
                {
                    switch (operation)
                    {
                        case IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(reference.Local) && declarator.Initializer is { } initializer:
                            builder.Add(initializer.Value);
                            break;
                        case IAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && target.Local.IsSame(reference.Local):
                            builder.Add(assignment.Value);
                            break;
                    }
                }

                return builder.ToImmutable();
            }
        }
    }
}
