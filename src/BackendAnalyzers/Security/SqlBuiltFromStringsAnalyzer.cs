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
    /// BA5002: SQL text that reaches EF Core's raw SQL APIs, Dapper or an ADO.NET command after being built by
    /// concatenation, interpolation, string.Format or a StringBuilder from values that are not constants. The text is
    /// followed through locals (their initializers and every later assignment in the same member).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SqlBuiltFromStringsAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: which fix applies, <see cref="FixEf"/> or <see cref="FixDapper"/>; absent when none does.</summary>
        public const string FixProperty = "Fix";

        /// <summary>Diagnostic property for <see cref="FixEf"/>: the FormattableString method that replaces the raw one.</summary>
        public const string ReplacementProperty = "Replacement";

        /// <summary>Diagnostic property for <see cref="FixDapper"/>: "named" when the parameter object must be passed as <c>param:</c>.</summary>
        public const string ParamStyleProperty = "ParamStyle";

        public const string FixEf = "Ef";
        public const string FixDapper = "Dapper";

        private const int MaxDepth = 6;

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.SqlBuiltFromStrings,
            title: "SQL built from strings",
            messageFormat: "{0} receives SQL built by {1} from values that are not constants; pass the values as parameters",
            RuleCategories.Security,
            DiagnosticSeverity.Warning,
            description: "SQL text assembled from request data lets a caller change the statement (SQL injection): read other rows, bypass filters, or drop tables. Keep the SQL constant and pass values as parameters: EF Core's FromSql/ExecuteSql/SqlQuery turn an interpolated string into parameters, Dapper takes a parameter object, and ADO.NET commands take DbParameters.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var hasEf = types.RelationalQueryableExtensions is not null || types.RelationalDatabaseFacadeExtensions is not null;
                var hasAdo = types.DbCommand is not null || types.IDbCommand is not null;
                if (!hasEf && !hasAdo && types.DapperSqlMapper is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
                if (hasAdo || types.DapperCommandDefinition is not null)
                {
                    start.RegisterOperationAction(analyzer.AnalyzeCreation, OperationKind.ObjectCreation);
                    start.RegisterOperationAction(analyzer.AnalyzeAssignment, OperationKind.SimpleAssignment);
                }
            });
        }

        /// <summary>How the text was built, for the message; <see cref="None"/> when it is constant or unknown.</summary>
        private enum Building
        {
            None,
            Concatenation,
            Interpolation,
            Format,
            StringBuilder,
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
                var name = method.Name;
                var containing = method.ContainingType;
                if (containing is null)
                {
                    return;
                }

                string display;
                string? efReplacement = null;
                var dapper = false;
                switch (name)
                {
                    case "FromSqlRaw":
                        if (!containing.IsSame(_types.RelationalQueryableExtensions))
                        {
                            return;
                        }

                        efReplacement = "FromSql";
                        display = name;
                        break;
                    case "ExecuteSqlRaw":
                    case "ExecuteSqlRawAsync":
                    case "SqlQueryRaw":
                        if (!containing.IsSame(_types.RelationalDatabaseFacadeExtensions))
                        {
                            return;
                        }

                        efReplacement = name.Replace("Raw", string.Empty);
                        display = name;
                        break;
                    default:
                        if (!(name.StartsWith("Query", StringComparison.Ordinal) || name.StartsWith("Execute", StringComparison.Ordinal))
                            || !containing.IsSame(_types.DapperSqlMapper))
                        {
                            return;
                        }

                        dapper = true;
                        display = "Dapper's " + name;
                        break;
                }

                IArgumentOperation? sqlArgument = null;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { Name: "sql", Type.SpecialType: SpecialType.System_String })
                    {
                        sqlArgument = argument;
                        break;
                    }
                }

                if (sqlArgument is null || sqlArgument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    return;
                }

                var building = FindBuilding(sqlArgument.Value, 0);
                if (building == Building.None)
                {
                    return;
                }

                var properties = ImmutableDictionary<string, string?>.Empty;
                if (sqlArgument.Value.WalkDownConversion().Syntax is InterpolatedStringExpressionSyntax)
                {
                    if (efReplacement is not null && CanUseFormattableOverload(invocation, efReplacement))
                    {
                        properties = properties.Add(FixProperty, FixEf).Add(ReplacementProperty, efReplacement);
                    }
                    else if (dapper && DapperParamStyle(invocation, sqlArgument) is { } style)
                    {
                        properties = properties.Add(FixProperty, FixDapper).Add(ParamStyleProperty, style);
                    }
                }

                Report(context, sqlArgument.Value, display, building, properties);
            }

            public void AnalyzeCreation(OperationAnalysisContext context)
            {
                var creation = (IObjectCreationOperation)context.Operation;
                var type = creation.Type;
                var constructor = creation.Constructor;
                if (type is null || constructor is null || creation.Arguments.IsDefaultOrEmpty)
                {
                    return;
                }

                foreach (var argument in creation.Arguments)
                {
                    var parameter = argument.Parameter;
                    if (parameter?.Type.SpecialType != SpecialType.System_String || argument.ArgumentKind == ArgumentKind.DefaultValue)
                    {
                        continue;
                    }

                    var isSqlParameter = parameter.Name switch
                    {
                        "cmdText" or "commandText" => IsCommandType(type) || type.IsSame(_types.DapperCommandDefinition),
                        "selectCommandText" => type.InheritsFromOrEquals(_types.DbDataAdapter),
                        _ => false,
                    };
                    if (!isSqlParameter)
                    {
                        continue;
                    }

                    var building = FindBuilding(argument.Value, 0);
                    if (building != Building.None)
                    {
                        Report(context, argument.Value, "new " + type.Name, building, ImmutableDictionary<string, string?>.Empty);
                    }
                }
            }

            public void AnalyzeAssignment(OperationAnalysisContext context)
            {
                var assignment = (ISimpleAssignmentOperation)context.Operation;
                if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "CommandText" } property
                    || !IsCommandType(property.Property.ContainingType))
                {
                    return;
                }

                var building = FindBuilding(assignment.Value, 0);
                if (building != Building.None)
                {
                    Report(context, assignment.Value, "CommandText", building, ImmutableDictionary<string, string?>.Empty);
                }
            }

            private bool IsCommandType(ITypeSymbol? type) =>
                type.InheritsFromOrEquals(_types.DbCommand) || type.IsOrImplements(_types.IDbCommand);

            private static void Report(OperationAnalysisContext context, IOperation value, string sink, Building building, ImmutableDictionary<string, string?> properties)
            {
                var how = building switch
                {
                    Building.Interpolation => "interpolation",
                    Building.Format => "string.Format",
                    Building.StringBuilder => "a StringBuilder",
                    _ => "concatenation",
                };
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), properties, sink, how));
            }

            /// <summary>
            /// EF Core: the raw call can become its FormattableString twin when it passes nothing but the SQL (and a
            /// CancellationToken for ExecuteSqlRawAsync) and the twin exists in the referenced EF Core.
            /// </summary>
            private static bool CanUseFormattableOverload(IInvocationOperation invocation, string replacement)
            {
                foreach (var argument in invocation.Arguments)
                {
                    var parameter = argument.Parameter;
                    if (parameter is null)
                    {
                        return false;
                    }

                    if (parameter.Ordinal == 0 && invocation.TargetMethod.IsExtensionMethod || parameter.Name == "sql")
                    {
                        continue;
                    }

                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 })
                    {
                        continue;
                    }

                    if (argument.ArgumentKind == ArgumentKind.DefaultValue || parameter.Type.Name == "CancellationToken")
                    {
                        continue;
                    }

                    return false;
                }

                var original = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
                foreach (var member in original.ContainingType.GetMembers(replacement))
                {
                    if (member is IMethodSymbol { Parameters.Length: >= 2 } candidate && candidate.Parameters[1].Type.Name == "FormattableString")
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Dapper: the fix adds a parameter object when the call passes none yet. "positional" or "named", or null.</summary>
            private static string? DapperParamStyle(IInvocationOperation invocation, IArgumentOperation sqlArgument)
            {
                var hasParamParameter = false;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name != "param")
                    {
                        continue;
                    }

                    if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        return null;
                    }

                    hasParamParameter = true;
                }

                if (!hasParamParameter)
                {
                    return null;
                }

                return sqlArgument.Syntax is ArgumentSyntax { NameColon: null } ? "positional" : "named";
            }

            /// <summary>How the SQL text given to a sink was built, following locals; None for constants and for values of unknown origin.</summary>
            private Building FindBuilding(IOperation operation, int depth)
            {
                var value = operation.WalkDownConversion();
                if (value.ConstantValue.HasValue || depth > MaxDepth)
                {
                    return Building.None;
                }

                switch (value)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                        if (FindBuilding(concatenation.LeftOperand, depth + 1) is var left && left != Building.None)
                        {
                            return left;
                        }

                        if (FindBuilding(concatenation.RightOperand, depth + 1) is var right && right != Building.None)
                        {
                            return right;
                        }

                        return IsUnsafe(concatenation.LeftOperand, depth + 1) || IsUnsafe(concatenation.RightOperand, depth + 1) ? Building.Concatenation : Building.None;
                    case IInterpolatedStringOperation interpolated:
                        return HasUnsafeHole(interpolated, depth + 1) ? Building.Interpolation : Building.None;
                    case IInterpolatedStringHandlerCreationOperation handler:
                        return FindBuilding(handler.Content, depth + 1);
                    case IConditionalOperation conditional:
                        var whenTrue = conditional.WhenTrue is null ? Building.None : FindBuilding(conditional.WhenTrue, depth + 1);
                        return whenTrue != Building.None || conditional.WhenFalse is null ? whenTrue : FindBuilding(conditional.WhenFalse, depth + 1);
                    case ICoalesceOperation coalesce:
                        var first = FindBuilding(coalesce.Value, depth + 1);
                        return first != Building.None ? first : FindBuilding(coalesce.WhenNull, depth + 1);
                    case IInvocationOperation invocation:
                        return FindInvocationBuilding(invocation, depth);
                    case ILocalReferenceOperation local:
                        var found = Building.None;
                        ForEachAssignedValue(local, (assigned, isCompound) =>
                        {
                            if (found != Building.None)
                            {
                                return;
                            }

                            found = isCompound
                                ? (FindBuilding(assigned, depth + 1) is var inner && inner != Building.None ? inner : IsUnsafe(assigned, depth + 1) ? Building.Concatenation : Building.None)
                                : FindBuilding(assigned, depth + 1);
                        });
                        return found;
                    default:
                        return Building.None; // parameters, fields, properties, calls of other methods: their origin is not known here
                }
            }

            private Building FindInvocationBuilding(IInvocationOperation invocation, int depth)
            {
                var method = invocation.TargetMethod;
                if (method.ContainingType?.SpecialType == SpecialType.System_String && method.IsStatic)
                {
                    switch (method.Name)
                    {
                        case "Format":
                            return AnyArgumentUnsafe(invocation, depth, skipFormatProvider: true) ? Building.Format : Building.None;
                        case "Concat":
                        case "Join":
                            return AnyArgumentUnsafe(invocation, depth, skipFormatProvider: false) ? Building.Concatenation : Building.None;
                    }

                    return Building.None;
                }

                if (method.Name == "ToString" && !method.IsStatic && invocation.Instance is { } instance && instance.Type.IsSame(_types.StringBuilder))
                {
                    return IsStringBuilderUnsafe(instance, depth + 1) ? Building.StringBuilder : Building.None;
                }

                if (method.ContainingType?.SpecialType == SpecialType.System_String && !method.IsStatic && invocation.Instance is { } receiver
                    && method.ReturnType.SpecialType == SpecialType.System_String)
                {
                    // sql.Trim(), sql.Replace("a", "b"): the text keeps its origin.
                    return FindBuilding(receiver, depth + 1);
                }

                return Building.None;
            }

            /// <summary>Is the value a piece of SQL text that is not a constant and could carry SQL (a string, not a number or a date)?</summary>
            private bool IsUnsafe(IOperation operation, int depth)
            {
                var value = operation.WalkDownConversion();
                if (value.ConstantValue.HasValue || depth > MaxDepth || !IsInjectableType(value.Type))
                {
                    return false;
                }

                switch (value)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                        return IsUnsafe(concatenation.LeftOperand, depth + 1) || IsUnsafe(concatenation.RightOperand, depth + 1);
                    case IInterpolatedStringOperation interpolated:
                        return HasUnsafeHole(interpolated, depth + 1);
                    case IInterpolatedStringHandlerCreationOperation handler:
                        return IsUnsafe(handler.Content, depth + 1);
                    case IConditionalOperation conditional:
                        return conditional.WhenTrue is not null && IsUnsafe(conditional.WhenTrue, depth + 1)
                            || conditional.WhenFalse is not null && IsUnsafe(conditional.WhenFalse, depth + 1);
                    case ICoalesceOperation coalesce:
                        return IsUnsafe(coalesce.Value, depth + 1) || IsUnsafe(coalesce.WhenNull, depth + 1);
                    case ILocalReferenceOperation local:
                        // A foreach variable, an out variable or a pattern variable has no assigned value to read: unknown text.
                        var unsafeValue = false;
                        var assignments = ForEachAssignedValue(local, (assigned, _) => unsafeValue = unsafeValue || IsUnsafe(assigned, depth + 1));
                        return unsafeValue || assignments == 0;
                    case IFieldReferenceOperation field when IsReadOnlyLiteralField(field.Field):
                        return false;
                    case IInvocationOperation invocation:
                        return IsInvocationUnsafe(invocation, depth);
                    case IInvalidOperation:
                        return false;
                    default:
                        return true;
                }
            }

            private bool IsInvocationUnsafe(IInvocationOperation invocation, int depth)
            {
                var method = invocation.TargetMethod;
                if (method.ContainingType?.SpecialType == SpecialType.System_String)
                {
                    if (method.IsStatic && method.Name is "Format" or "Concat" or "Join")
                    {
                        return AnyArgumentUnsafe(invocation, depth, skipFormatProvider: method.Name == "Format");
                    }

                    if (!method.IsStatic && invocation.Instance is { } receiver && method.Name is "Trim" or "TrimStart" or "TrimEnd" or "ToUpper" or "ToLower"
                        or "ToUpperInvariant" or "ToLowerInvariant" or "Replace" or "Substring" or "ToString" or "PadLeft" or "PadRight")
                    {
                        return IsUnsafe(receiver, depth + 1)
                            || method.Name == "Replace" && invocation.Arguments.Length > 1 && IsUnsafe(invocation.Arguments[1].Value, depth + 1);
                    }
                }

                if (method.Name == "ToString" && invocation.Instance is { } instance)
                {
                    if (instance.Type.IsSame(_types.StringBuilder))
                    {
                        return IsStringBuilderUnsafe(instance, depth + 1);
                    }

                    return IsInjectableType(instance.WalkDownConversion().Type) && instance.Type?.SpecialType != SpecialType.System_Object
                        ? !instance.WalkDownConversion().ConstantValue.HasValue
                        : false;
                }

                return true; // the result of another method: unknown text
            }

            private bool AnyArgumentUnsafe(IInvocationOperation invocation, int depth, bool skipFormatProvider)
            {
                foreach (var argument in invocation.Arguments)
                {
                    var parameter = argument.Parameter;
                    if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
                    {
                        continue;
                    }

                    if (skipFormatProvider && parameter.Type.Name == "IFormatProvider")
                    {
                        continue;
                    }

                    if (parameter.Name == "separator")
                    {
                        if (IsUnsafe(argument.Value, depth + 1))
                        {
                            return true;
                        }

                        continue;
                    }

                    if (IsUnsafeSequenceOrValue(argument.Value, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>An argument that is a params array, a collection (string.Join) or a single value.</summary>
            private bool IsUnsafeSequenceOrValue(IOperation operation, int depth)
            {
                var value = operation.WalkDownConversion();
                if (value is IArrayCreationOperation { Initializer: { } initializer })
                {
                    foreach (var element in initializer.ElementValues)
                    {
                        if (IsUnsafe(element, depth))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                var elementType = ElementType(value.Type);
                if (elementType is not null)
                {
                    return IsInjectableType(elementType) && !value.ConstantValue.HasValue && value is not ILiteralOperation;
                }

                return IsUnsafe(value, depth);
            }

            private ITypeSymbol? ElementType(ITypeSymbol? type)
            {
                if (type is null || type.SpecialType == SpecialType.System_String)
                {
                    return null;
                }

                if (type is IArrayTypeSymbol array)
                {
                    return array.ElementType;
                }

                return type.GetGenericInterfaceArgument(_types.IEnumerableOfT);
            }

            private bool HasUnsafeHole(IInterpolatedStringOperation interpolated, int depth)
            {
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolationOperation hole when IsUnsafe(hole.Expression, depth):
                            return true;
                        case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { Arguments.Length: > 0 } append }
                            when part.Kind == OperationKind.InterpolatedStringAppendFormatted && IsUnsafe(append.Arguments[0].Value, depth):
                            return true;
                    }
                }

                return false;
            }

            /// <summary>Every Append/AppendLine/AppendFormat/Insert on the builder local, and its constructor argument.</summary>
            private bool IsStringBuilderUnsafe(IOperation builder, int depth)
            {
                if (builder.WalkDownConversion() is not ILocalReferenceOperation local)
                {
                    return false; // a builder passed in or held in a field: its content is not known here
                }

                var symbol = local.Local;
                var result = false;
                ForEachAssignedValue(local, (assigned, _) =>
                {
                    if (!result && assigned.WalkDownConversion() is IObjectCreationOperation creation)
                    {
                        foreach (var argument in creation.Arguments)
                        {
                            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && IsUnsafe(argument.Value, depth + 1))
                            {
                                result = true;
                            }
                        }
                    }
                });
                if (result)
                {
                    return true;
                }

                foreach (var operation in local.GetRoot().Descendants())
                {
                    if (operation is not IInvocationOperation call || call.TargetMethod.Name is not ("Append" or "AppendLine" or "AppendFormat" or "Insert" or "AppendJoin")
                        || !call.TargetMethod.ContainingType.IsSame(_types.StringBuilder))
                    {
                        continue;
                    }

                    var receiver = call.Instance;
                    while (receiver is IInvocationOperation chained && chained.Instance is not null && chained.Type.IsSame(_types.StringBuilder))
                    {
                        receiver = chained.Instance;
                    }

                    if (receiver?.WalkDownConversion() is not ILocalReferenceOperation { Local: var target } || !target.IsSame(symbol))
                    {
                        continue;
                    }

                    foreach (var argument in call.Arguments)
                    {
                        var parameter = argument.Parameter;
                        if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue || parameter.Type.Name == "IFormatProvider"
                            || parameter.Name is "index" or "repeatCount" or "startIndex" or "count")
                        {
                            continue;
                        }

                        if (IsUnsafeSequenceOrValue(argument.Value, depth + 1))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary>Calls <paramref name="visit"/> with the initializer and every value assigned to the local in its member; returns how many there were.</summary>
            private static int ForEachAssignedValue(ILocalReferenceOperation reference, Action<IOperation, bool> visit)
            {
                var local = reference.Local;
                var count = 0;
                if (local.IsConst || local.IsRef)
                {
                    return count;
                }

                foreach (var operation in reference.GetRoot().Descendants())
                {
                    switch (operation)
                    {
                        case IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(local):
                            var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                            if (initializer is not null)
                            {
                                count++;
                                visit(initializer.Value, false);
                            }

                            break;
                        case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && target.Local.IsSame(local):
                            count++;
                            visit(assignment.Value, false);
                            break;
                        case ICompoundAssignmentOperation compound when compound.Target is ILocalReferenceOperation target && target.Local.IsSame(local):
                            count++;
                            visit(compound.Value, true);
                            break;
                    }
                }

                return count;
            }

            private static bool IsReadOnlyLiteralField(IFieldSymbol field)
            {
                if (!field.IsReadOnly || field.DeclaringSyntaxReferences.Length != 1)
                {
                    return false;
                }

                return field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax };
            }

            /// <summary>Numbers, booleans, dates, GUIDs and enums cannot carry SQL; strings, chars and objects can. Error types cannot be judged.</summary>
            private static bool IsInjectableType(ITypeSymbol? type)
            {
                if (type is null)
                {
                    return true; // null literal, lambdas: no type
                }

                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    type = nullable.TypeArguments[0];
                }

                if (type.TypeKind is TypeKind.Error or TypeKind.Enum)
                {
                    return false;
                }

                switch (type.SpecialType)
                {
                    case SpecialType.System_Boolean:
                    case SpecialType.System_SByte:
                    case SpecialType.System_Byte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Single:
                    case SpecialType.System_Double:
                    case SpecialType.System_Decimal:
                    case SpecialType.System_DateTime:
                    case SpecialType.System_IntPtr:
                    case SpecialType.System_UIntPtr:
                        return false;
                }

                if (type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
                    && type.Name is "Guid" or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "TimeSpan" or "Half" or "Int128" or "UInt128")
                {
                    return false;
                }

                return true;
            }
        }
    }
}
