using System;
using System.Collections.Immutable;
using System.Text;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Security
{
    /// <summary>
    /// BA5004: a string literal that is a credential: the key of a <c>SymmetricSecurityKey</c>, the password of a
    /// connection string, or the value given to a variable, field, property or parameter named like a secret
    /// (password, secret, token, API key, private key). Placeholders, empty strings, configuration key names and
    /// test projects are left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HardCodedSecretAnalyzer : DiagnosticAnalyzer
    {
        private const int MaxDepth = 4;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.HardCodedSecret,
            title: "Hard-coded secret",
            messageFormat: "{0} is hard-coded; load it from configuration, user secrets or a secret store",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "A secret written in source code is in every clone of the repository, every build output and every decompiled assembly, and it cannot be rotated without a release. Anyone who obtains it can sign tokens, reach the database or call the API as the application. Read it from configuration backed by user secrets, environment variables or a vault.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (ProjectKinds.IsTestProject(start.Compilation))
                {
                    return; // tests use throwaway keys and passwords on purpose
                }

                var analyzer = new Analyzer(new KnownTypes(start.Compilation));
                start.RegisterOperationAction(analyzer.AnalyzeLiteral, OperationKind.Literal);
                if (analyzer.HasSecurityKey)
                {
                    start.RegisterOperationAction(analyzer.AnalyzeCreation, OperationKind.ObjectCreation);
                }
            });
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;

            public Analyzer(KnownTypes types)
            {
                _types = types;
            }

            public bool HasSecurityKey => _types.SymmetricSecurityKey is not null;

            public void AnalyzeLiteral(OperationAnalysisContext context)
            {
                var literal = (ILiteralOperation)context.Operation;
                if (literal.ConstantValue is not { HasValue: true, Value: string text } || string.IsNullOrWhiteSpace(text))
                {
                    return;
                }

                if (IsConfigurationKeyArgument(literal))
                {
                    return;
                }

                if (MayHoldPasswordKey(text) && HasHardCodedConnectionPassword(literal, text))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, literal.Syntax.GetLocation(), "The password in this connection string"));
                    return;
                }

                if (literal.Parent is IInterpolatedStringTextOperation)
                {
                    return;
                }

                var name = GetReceivingName(literal);
                if (name is not null && SensitiveNames.IsSecretName(name) && LooksLikeSecretValue(text))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, literal.Syntax.GetLocation(), "'" + name + "'"));
                }
            }

            public void AnalyzeCreation(OperationAnalysisContext context)
            {
                var creation = (IObjectCreationOperation)context.Operation;
                if (!creation.Type.InheritsFromOrEquals(_types.SymmetricSecurityKey) || creation.Arguments.Length == 0)
                {
                    return;
                }

                var keyLiteral = TraceKeyLiteral(creation.Arguments[0].Value, 0);
                if (keyLiteral is null || KeyText(keyLiteral) is not { } text || !LooksLikeSecretValue(text, allowSentences: true))
                {
                    return;
                }

                // The literal may already be reported for the name it is given (const string JwtSecret = "...").
                var name = keyLiteral switch
                {
                    ILiteralOperation literal => GetReceivingName(literal),
                    IFieldReferenceOperation field => field.Field.Name,
                    ILocalReferenceOperation local => local.Local.Name,
                    _ => null,
                };
                if (name is not null && SensitiveNames.IsSecretName(name) && LooksLikeSecretValue(text))
                {
                    return;
                }

                var location = keyLiteral.Syntax.SyntaxTree == creation.Syntax.SyntaxTree ? keyLiteral.Syntax.GetLocation() : creation.Arguments[0].Syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, "The signing key"));
            }

            /// <summary>
            /// Follows the key bytes back to a string constant: <c>Encoding.UTF8.GetBytes("...")</c>,
            /// <c>Convert.FromBase64String("...")</c>, through locals initialized once and constant fields.
            /// </summary>
            private IOperation? TraceKeyLiteral(IOperation operation, int depth)
            {
                var value = operation.WalkDownConversion();
                if (depth > MaxDepth)
                {
                    return null;
                }

                switch (value)
                {
                    case IInvocationOperation { TargetMethod.Name: "ToArray", Instance: IUtf8StringOperation utf8 }:
                        // "..."u8.ToArray(): the key's bytes written as a UTF-8 string literal.
                        return utf8;
                    case IInvocationOperation invocation:
                        var method = invocation.TargetMethod;
                        var isDecoder = method.Name == "GetBytes" && method.ContainingType.InheritsFromOrEquals(_types.Encoding)
                            || method.Name is "FromBase64String" or "FromHexString" && method.ContainingType.IsSame(_types.Convert);
                        if (!isDecoder || invocation.Arguments.Length == 0)
                        {
                            return null;
                        }

                        var source = invocation.Arguments[0].Value.WalkDownConversion();
                        if (source.ConstantValue is { HasValue: true, Value: string })
                        {
                            return source is ILiteralOperation or IFieldReferenceOperation or ILocalReferenceOperation ? ConstantSource(source) : source;
                        }

                        return source is ILocalReferenceOperation stringLocal ? SingleInitializer(stringLocal) is { ConstantValue: { HasValue: true, Value: string } } initial ? initial : null : null;
                    case ILocalReferenceOperation local:
                        var initializer = SingleInitializer(local);
                        return initializer is null ? null : TraceKeyLiteral(initializer, depth + 1);
                    default:
                        return null;
                }
            }

            /// <summary>The text of a string constant, or of a UTF-8 string literal ("..."u8), which has no constant value.</summary>
            private static string? KeyText(IOperation source) => source is IUtf8StringOperation utf8 ? utf8.Value : source.ConstantValue.Value as string;

            /// <summary>The literal a constant comes from when it is declared in source, else the reference itself.</summary>
            private static IOperation ConstantSource(IOperation source)
            {
                ISymbol? symbol = source switch
                {
                    IFieldReferenceOperation field => field.Field,
                    ILocalReferenceOperation local => local.Local,
                    _ => null,
                };
                if (symbol is null || symbol.DeclaringSyntaxReferences.Length != 1)
                {
                    return source;
                }

                var declarator = symbol.DeclaringSyntaxReferences[0].GetSyntax();
                if (declarator.SyntaxTree != source.Syntax.SyntaxTree)
                {
                    return source;
                }

                var root = source.GetRoot();
                foreach (var operation in root.Descendants())
                {
                    if (operation is ILiteralOperation literal && declarator.Span.Contains(literal.Syntax.Span))
                    {
                        return literal;
                    }
                }

                return source;
            }

            /// <summary>The value a local is initialized with, when it is never assigned again in its member.</summary>
            private static IOperation? SingleInitializer(ILocalReferenceOperation reference)
            {
                IOperation? initializer = null;
                foreach (var operation in reference.GetRoot().Descendants())
                {
                    switch (operation)
                    {
                        case IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(reference.Local):
                            initializer = declarator.Initializer?.Value;
                            break;
                        case IAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && target.Local.IsSame(reference.Local):
                            return null;
                    }
                }

                return initializer;
            }

            /// <summary>The name the literal is given: the variable, field, property or parameter it initializes or is assigned or passed to.</summary>
            private static string? GetReceivingName(ILiteralOperation literal)
            {
                IOperation current = literal;
                while (current.Parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = current.Parent;
                }

                switch (current.Parent)
                {
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return declarator.Symbol.Name;
                    case IFieldInitializerOperation field when field.InitializedFields.Length > 0:
                        return field.InitializedFields[0].Name;
                    case IPropertyInitializerOperation property when property.InitializedProperties.Length > 0:
                        return property.InitializedProperties[0].Name;
                    case IParameterInitializerOperation parameter:
                        return parameter.Parameter.Name;
                    case ISimpleAssignmentOperation assignment when assignment.Value == current:
                        return assignment.Target switch
                        {
                            IFieldReferenceOperation field => field.Field.Name,
                            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property.Name,
                            ILocalReferenceOperation local => local.Local.Name,
                            _ => null,
                        };
                    case IArgumentOperation argument:
                        return argument.Parameter?.Name;
                    default:
                        return null;
                }
            }

            /// <summary>Literals given to IConfiguration (indexer, GetValue, GetSection, GetConnectionString) are key names.</summary>
            private bool IsConfigurationKeyArgument(ILiteralOperation literal)
            {
                IOperation current = literal;
                while (current.Parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = current.Parent;
                }

                if (current.Parent is not IArgumentOperation argument)
                {
                    return false;
                }

                switch (argument.Parent)
                {
                    case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                        return indexer.Instance?.Type.IsOrImplements(_types.IConfiguration) == true;
                    case IInvocationOperation invocation:
                        var method = invocation.TargetMethod;
                        if (method.Name is not ("GetValue" or "GetSection" or "GetConnectionString" or "GetRequiredSection" or "Bind" or "Get"))
                        {
                            return false;
                        }

                        var receiver = invocation.GetReceiverOrThisArgument();
                        return receiver?.Type.IsOrImplements(_types.IConfiguration) == true;
                    default:
                        return false;
                }
            }

            private static bool MayHoldPasswordKey(string text) =>
                text.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("pwd", StringComparison.OrdinalIgnoreCase) >= 0;

            /// <summary>
            /// Does the text (or, for a piece of an interpolated string, the whole string with the holes blanked) hold
            /// <c>Password=</c>/<c>Pwd=</c> with a real value, in a connection string: one with another key=value pair,
            /// or one used where a connection string goes?
            /// </summary>
            private static bool HasHardCodedConnectionPassword(ILiteralOperation literal, string text)
            {
                var whole = text;
                if (literal.Parent is IInterpolatedStringTextOperation { Parent: IInterpolatedStringOperation interpolated })
                {
                    var builder = new StringBuilder();
                    foreach (var part in interpolated.Parts)
                    {
                        if (part is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string piece } })
                        {
                            builder.Append(piece);
                        }
                        else
                        {
                            builder.Append('\u0001');
                        }
                    }

                    whole = builder.ToString();
                }

                var pairs = 0;
                var passwordFound = false;
                foreach (var segment in text.Split(';'))
                {
                    var equals = segment.IndexOf('=');
                    if (equals <= 0)
                    {
                        continue;
                    }

                    var key = segment.Substring(0, equals).Trim();
                    if (!key.Equals("password", StringComparison.OrdinalIgnoreCase) && !key.Equals("pwd", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var value = segment.Substring(equals + 1).Trim().Trim('\'', '"');
                    if (value.Length > 0 && !IsPlaceholder(value))
                    {
                        passwordFound = true;
                    }
                }

                if (!passwordFound)
                {
                    return false;
                }

                foreach (var segment in whole.Split(';'))
                {
                    var equals = segment.IndexOf('=');
                    if (equals > 0 && IsConnectionStringKey(segment.Substring(0, equals).Trim()))
                    {
                        pairs++;
                    }
                }

                return pairs >= 2 || IsConnectionStringContext(literal);
            }

            private static bool IsConnectionStringKey(string key)
            {
                if (key.Length == 0 || key.Length > 40)
                {
                    return false;
                }

                foreach (var c in key)
                {
                    if (!char.IsLetterOrDigit(c) && c is not (' ' or '_'))
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>Passed to a parameter named connectionString, or assigned to a ConnectionString property.</summary>
            private static bool IsConnectionStringContext(ILiteralOperation literal)
            {
                IOperation current = literal;
                while (current.Parent is IConversionOperation or IParenthesizedOperation or IInterpolatedStringTextOperation or IInterpolatedStringOperation)
                {
                    current = current.Parent;
                }

                switch (current.Parent)
                {
                    case IArgumentOperation argument:
                        return argument.Parameter?.Name.IndexOf("connectionString", StringComparison.OrdinalIgnoreCase) >= 0;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property }:
                        return property.Property.Name.EndsWith("ConnectionString", StringComparison.Ordinal);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return declarator.Symbol.Name.IndexOf("connectionString", StringComparison.OrdinalIgnoreCase) >= 0;
                    case IFieldInitializerOperation field when field.InitializedFields.Length > 0:
                        return field.InitializedFields[0].Name.IndexOf("connectionString", StringComparison.OrdinalIgnoreCase) >= 0;
                    default:
                        return false;
                }
            }

            /// <summary>
            /// Is the text a value someone would keep secret, rather than a placeholder, a label or key name
            /// ("Password", "X-Api-Key", "access_token", "Jwt:Key", "API_KEY"), a URL or a sentence?
            /// </summary>
            private static bool LooksLikeSecretValue(string text, bool allowSentences = false)
            {
                var value = text.Trim();
                if (value.Length == 0 || IsPlaceholder(value))
                {
                    return false;
                }

                if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                if (!allowSentences && value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Length >= 3)
                {
                    return false; // a message or a label
                }

                if (IsLabel(value) || IsEnvironmentVariableName(value) || IsConfigurationKey(value))
                {
                    return false;
                }

                return true;
            }

            /// <summary>Only letters and separators, and one of the words is the secret's own name: "Password", "X-Api-Key", "client_secret".</summary>
            private static bool IsLabel(string value)
            {
                foreach (var c in value)
                {
                    if (!char.IsLetter(c) && c is not ('-' or '_' or ':' or '.' or ' ' or '/'))
                    {
                        return false;
                    }
                }

                foreach (var word in SensitiveNames.SplitWords(value))
                {
                    if (word is "password" or "passwd" or "pwd" or "secret" or "token" or "key" or "apikey" or "passphrase" or "bearer" or "credentials")
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsEnvironmentVariableName(string value)
            {
                if (value.IndexOf('_') < 0)
                {
                    return false;
                }

                foreach (var c in value)
                {
                    if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'))
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>"Jwt:Key", "Auth:ApiKey", "ConnectionStrings:Clinic": PascalCase sections joined by ':' or "__".</summary>
            private static bool IsConfigurationKey(string value)
            {
                var sections = value.Split(new[] { ":", "__" }, StringSplitOptions.None);
                if (sections.Length < 2)
                {
                    return false;
                }

                foreach (var section in sections)
                {
                    if (section.Length == 0 || !char.IsUpper(section[0]))
                    {
                        return false;
                    }

                    foreach (var c in section)
                    {
                        if (!char.IsLetterOrDigit(c) && c != '_' && c != '.')
                        {
                            return false;
                        }
                    }
                }

                return true;
            }

            /// <summary>Values that stand for a secret to be filled in: &lt;your-key&gt;, ${JWT_KEY}, {{secret}}, {0}, %API_KEY%, xxx, ***, YOUR_API_KEY, changeme.</summary>
            public static bool IsPlaceholder(string text)
            {
                var value = text.Trim();
                if (value.Length == 0)
                {
                    return true;
                }

                if (value[0] == '<' && value[value.Length - 1] == '>'
                    || value.StartsWith("${", StringComparison.Ordinal) || value.StartsWith("$(", StringComparison.Ordinal)
                    || value.StartsWith("{{", StringComparison.Ordinal) || value.StartsWith("#{", StringComparison.Ordinal)
                    || value.Length > 1 && value[0] == '%' && value[value.Length - 1] == '%'
                    || value[0] == '[' && value[value.Length - 1] == ']'
                    || value[0] == '{' && value[value.Length - 1] == '}')
                {
                    return true;
                }

                var same = true;
                foreach (var c in value)
                {
                    if (char.ToLowerInvariant(c) != char.ToLowerInvariant(value[0]))
                    {
                        same = false;
                        break;
                    }
                }

                if (same && (value[0] is '*' or '.' or '-' or '_' or '#' or '?' or '0' or 'x' or 'X'))
                {
                    return true;
                }

                var lower = value.ToLowerInvariant();
                foreach (var marker in PlaceholderMarkers)
                {
                    if (lower.Contains(marker))
                    {
                        return true;
                    }
                }

                return lower is "secret" or "password" or "token" or "none" or "null" or "n/a" or "tbd" or "test" or "fake" or "redacted" or "changeit" or "default" or "empty";
            }

            private static readonly string[] PlaceholderMarkers =
            {
                "your", "changeme", "change-me", "change_me", "change me", "replace", "placeholder", "todo", "example", "dummy", "sample", "insert", "fill-in", "fill_in", "put-your", "set-in", "not-set", "notset",
            };
        }
    }
}
