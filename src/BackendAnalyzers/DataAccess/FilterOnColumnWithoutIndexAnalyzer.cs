using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3008: an EF Core query filters or sorts on a column that no index starts with (no key, alternate key,
    /// foreign key, [Index] or HasIndex anywhere in the compilation), and nothing else in the query narrows the rows
    /// through an index. Such a query reads the whole table.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class FilterOnColumnWithoutIndexAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the entity's property that wants an index.</summary>
        public const string PropertyProperty = "Property";

        /// <summary>Diagnostic property: "Attribute" (add [Index] to the entity class), "Configuration" (HasIndex in an
        /// IEntityTypeConfiguration's Configure method) or "EntityCall" (a modelBuilder.Entity&lt;T&gt;() call).</summary>
        public const string TargetProperty = "Target";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.FilterOnColumnWithoutIndex,
            title: "Filter or sort on a column without an index",
            messageFormat: "The query {0} '{1}.{2}', which no index starts with, and nothing else in it uses an index: the database reads the whole table; add an index on {2}",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "A WHERE or ORDER BY on a column without an index makes the database scan the table (and sort it). The rule reads the EF Core model of the compilation: keys, alternate keys, foreign keys, [Index] attributes and HasIndex calls. Add an index whose first column is the one the query filters or sorts on, or list the table in backend_analyzers.small_tables when it is small by design.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        // The EF model's per-file facts, kept for the analyzer's lifetime: after an edit only the edited file is read again.
        private readonly SyntaxTreeValueProvider<EfFileFacts> _efFacts = EfFileFacts.CreateProvider();

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (!types.HasEntityFramework || types.Queryable is null)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var queries = new QueryModel(types, bodies);
                var efModel = EfFileFacts.LazyModel(start, types, bodies, _efFacts);
                var analyzer = new Analyzer(queries, efModel);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        private enum Use
        {
            Filter,
            Sort,
        }

        private sealed class Analyzer
        {
            private readonly QueryModel _queries;
            private readonly KnownTypes _types;
            private readonly Lazy<EfModel> _efModel;

            public Analyzer(QueryModel queries, Lazy<EfModel> efModel)
            {
                _queries = queries;
                _types = queries.Types;
                _efModel = efModel;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var use = OperatorUse(invocation.TargetMethod.Name);
                if (use is null || !IsQueryOperator(invocation))
                {
                    return;
                }

                var lambda = FindLambda(invocation);
                if (lambda is null || lambda.Symbol.Parameters.Length != 1)
                {
                    return;
                }

                var row = lambda.Symbol.Parameters[0];
                var columns = new List<IPropertyReferenceOperation>();
                if (use == Use.Sort)
                {
                    if (ReturnedValue(lambda) is { } key && AsRowColumn(key, row) is { } sorted)
                    {
                        columns.Add(sorted);
                    }
                }
                else if (ReturnedValue(lambda) is { } predicate)
                {
                    CollectFilteredColumns(predicate, row, columns);
                }

                if (columns.Count == 0)
                {
                    return;
                }

                var source = invocation.GetReceiverOrThisArgument()?.WalkDownConversion();
                if (source is null || !_queries.IsQueryableType(source.Type))
                {
                    return;
                }

                var cancellationToken = context.CancellationToken;
                var chain = _queries.GetChain(source, cancellationToken);
                if (chain is null || !chain.IsEntityFramework || chain.EntityType is null
                    || !SymbolEqualityComparer.Default.Equals(row.Type, chain.EntityType)
                    || chain.ContainsAny(n => n.StartsWith("FromSql", StringComparison.Ordinal) || n is "Select" or "SelectMany" or "GroupBy" or "Join" or "GroupJoin"))
                {
                    return;
                }

                var entity = _efModel.Value.GetEntity(row.Type);
                if (entity is null || entity.IsKeyless || entity.Type.Locations.Length == 0 || !entity.Type.Locations[0].IsInSource)
                {
                    return;
                }

                var smallTables = AnalyzerOptionsReader.GetNameSet(context.Options, invocation.Syntax.SyntaxTree, RuleIds.FilterOnColumnWithoutIndex, OptionNames.SmallTables);
                if (smallTables.Contains(entity.Type.Name))
                {
                    return;
                }

                // One column with an index anywhere in the query's filters lets the database seek; the other
                // conditions are then checked on the few rows it finds.
                if (UsesAnIndex(entity, chain.Operators, row.Type) || UsesAnIndex(entity, FollowingOperators(invocation), row.Type)
                    || use == Use.Filter && AnyIndexed(entity, columns))
                {
                    return;
                }

                var reported = new HashSet<string>(StringComparer.Ordinal);
                foreach (var column in columns)
                {
                    var name = column.Property.Name;
                    if (entity.HasIndexStartingWith(name) || !reported.Add(name))
                    {
                        continue;
                    }

                    var (target, location) = FixTarget(entity);
                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add(PropertyProperty, name)
                        .Add(TargetProperty, target);
                    context.ReportDiagnostic(Diagnostic.Create(
                        Rule,
                        column.Syntax.GetLocation(),
                        location is null ? null : new[] { location },
                        properties,
                        use == Use.Sort ? "sorts on" : "filters on",
                        entity.Type.Name,
                        name));
                }
            }

            private static Use? OperatorUse(string name) => name switch
            {
                "Where" or "Any" or "All" or "Count" or "LongCount"
                or "First" or "FirstOrDefault" or "Single" or "SingleOrDefault"
                or "AnyAsync" or "AllAsync" or "CountAsync" or "LongCountAsync"
                or "FirstAsync" or "FirstOrDefaultAsync" or "SingleAsync" or "SingleOrDefaultAsync" => Use.Filter,
                "OrderBy" or "OrderByDescending" => Use.Sort,
                _ => null,
            };

            private bool IsQueryOperator(IInvocationOperation invocation)
            {
                var containing = invocation.TargetMethod.ContainingType;
                return containing.IsSame(_types.Queryable) || containing.IsSame(_types.EntityFrameworkQueryableExtensions);
            }

            private static IAnonymousFunctionOperation? FindLambda(IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (EntityKeys.UnwrapLambda(argument.Value) is { } lambda)
                    {
                        return lambda;
                    }
                }

                return null;
            }

            private static IOperation? ReturnedValue(IAnonymousFunctionOperation lambda) =>
                lambda.Body.Operations.Length == 1 && lambda.Body.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value.WalkDownConversion() : null;

            /// <summary>
            /// Columns the predicate compares with a value from outside the row, in its top-level conjunction:
            /// <c>p.Email == email</c>, <c>p.CreatedAt &gt; since</c>, <c>p.Name.StartsWith(prefix)</c>,
            /// <c>p.Email.Equals(email)</c>, <c>codes.Contains(p.Code)</c>. A disjunction (||) is not followed: no single
            /// index serves it.
            /// </summary>
            private void CollectFilteredColumns(IOperation predicate, IParameterSymbol row, List<IPropertyReferenceOperation> columns)
            {
                predicate = predicate.WalkDownConversion();
                switch (predicate)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } both:
                        CollectFilteredColumns(both.LeftOperand, row, columns);
                        CollectFilteredColumns(both.RightOperand, row, columns);
                        return;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
                        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } comparison:
                        AddComparedColumn(comparison.LeftOperand, comparison.RightOperand, row, columns);
                        AddComparedColumn(comparison.RightOperand, comparison.LeftOperand, row, columns);
                        return;
                    case IInvocationOperation { TargetMethod.Name: "StartsWith" or "Equals", Instance: { } instance, Arguments.Length: >= 1 } call
                        when instance.Type?.SpecialType == SpecialType.System_String:
                        AddComparedColumn(instance, call.Arguments[0].Value, row, columns);
                        return;
                    case IInvocationOperation { TargetMethod.Name: "Contains" } contains:
                        // codes.Contains(p.Code): IN (...), which an index serves.
                        var (list, item) = contains.Instance is { } owner && contains.Arguments.Length == 1
                            ? (owner, contains.Arguments[0].Value)
                            : contains.Instance is null && contains.Arguments.Length == 2 ? (contains.Arguments[0].Value, contains.Arguments[1].Value) : (null, null);
                        if (list is not null && item is not null && list.Type?.SpecialType != SpecialType.System_String)
                        {
                            AddComparedColumn(item, list, row, columns);
                        }

                        return;
                }
            }

            private void AddComparedColumn(IOperation side, IOperation other, IParameterSymbol row, List<IPropertyReferenceOperation> columns)
            {
                if (AsRowColumn(side, row) is not { } column || ReadsParameter(other, row))
                {
                    return;
                }

                // IS NULL checks (soft deletes, optional values) are residual conditions, not lookups.
                if (other.WalkDownConversion() is { ConstantValue: { HasValue: true, Value: null } })
                {
                    return;
                }

                columns.Add(column);
            }

            /// <summary>
            /// <c>p.Column</c> read straight from the row, when it is a mapped scalar worth an index: not a navigation,
            /// not [NotMapped], not a computed get-only property (EF Core does not map those), not a bool or an enum
            /// (too few distinct values for an index to pay off).
            /// </summary>
            private IPropertyReferenceOperation? AsRowColumn(IOperation operation, IParameterSymbol row)
            {
                if (operation.WalkDownConversion() is not IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } property
                    || !SymbolEqualityComparer.Default.Equals(instance.Parameter, row) || property.Property.IsStatic)
                {
                    return null;
                }

                var type = property.Property.Type;
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    type = nullable.TypeArguments[0];
                }

                if (type.TypeKind is TypeKind.Error or TypeKind.Enum || type.SpecialType == SpecialType.System_Boolean
                    || property.Property.HasAttribute(_types.NotMappedAttribute) || property.Property.SetMethod is null
                    || !IsScalar(type))
                {
                    return null;
                }

                return property;
            }

            private static bool IsScalar(ITypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_String:
                    case SpecialType.System_Char:
                    case SpecialType.System_Byte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Decimal:
                    case SpecialType.System_Double:
                    case SpecialType.System_Single:
                    case SpecialType.System_DateTime:
                        return true;
                }

                // Guid, DateTimeOffset, DateOnly, TimeOnly, TimeSpan: value types of the BCL.
                return type.IsValueType && type.ContainingNamespace?.ToDisplayString() == "System"
                    && type.Name is "Guid" or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "TimeSpan";
            }

            private static bool ReadsParameter(IOperation operation, IParameterSymbol parameter)
            {
                foreach (var descendant in operation.DescendantsAndSelf())
                {
                    if (descendant is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool AnyIndexed(EfEntity entity, List<IPropertyReferenceOperation> columns)
            {
                foreach (var column in columns)
                {
                    if (entity.HasIndexStartingWith(column.Property.Name))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Does another filter of the query (before or after this operator) compare an indexed column?</summary>
            private bool UsesAnIndex(EfEntity entity, IEnumerable<IInvocationOperation> operators, ITypeSymbol rowType)
            {
                foreach (var op in operators)
                {
                    if (OperatorUse(op.TargetMethod.Name) != Use.Filter || FindLambda(op) is not { } lambda || lambda.Symbol.Parameters.Length != 1
                        || !SymbolEqualityComparer.Default.Equals(lambda.Symbol.Parameters[0].Type, rowType) || ReturnedValue(lambda) is not { } predicate)
                    {
                        continue;
                    }

                    var columns = new List<IPropertyReferenceOperation>();
                    CollectFilteredColumns(predicate, lambda.Symbol.Parameters[0], columns);
                    if (AnyIndexed(entity, columns) || HasIndexedNonScalarFilter(entity, predicate, lambda.Symbol.Parameters[0]))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Filters <see cref="AsRowColumn"/> leaves out (an enum or bool key part, a foreign key enum) still use an index.</summary>
            private static bool HasIndexedNonScalarFilter(EfEntity entity, IOperation predicate, IParameterSymbol row)
            {
                foreach (var operation in predicate.DescendantsAndSelf())
                {
                    if (operation is IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } property
                        && SymbolEqualityComparer.Default.Equals(instance.Parameter, row) && entity.HasIndexStartingWith(property.Property.Name))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>The operators applied to the result of this one in the same expression: <c>.Where(a).Where(b).ToList()</c>.</summary>
            private IEnumerable<IInvocationOperation> FollowingOperators(IInvocationOperation invocation)
            {
                var current = invocation;
                while (true)
                {
                    var parent = current.Parent;
                    while (parent is IConversionOperation or IArgumentOperation)
                    {
                        parent = parent.Parent;
                    }

                    if (parent is not IInvocationOperation next || !IsQueryOperator(next)
                        || !ReferenceEquals(next.GetReceiverOrThisArgument()?.WalkDownConversion(), current))
                    {
                        yield break;
                    }

                    yield return next;
                    current = next;
                }
            }

            /// <summary>Where the fix adds the index, and its location for the fix to find.</summary>
            private static (string Target, Location? Location) FixTarget(EfEntity entity)
            {
                if (entity.FluentConfiguration is { } fluent)
                {
                    return (fluent.SourceTree is not null && fluent.SourceSpan.Length > 0 && IsClassIdentifier(entity, fluent) ? "Configuration" : "EntityCall", fluent);
                }

                return ("Attribute", entity.Type.Locations[0]);
            }

            private static bool IsClassIdentifier(EfEntity entity, Location fluent)
            {
                // A configuration class is recorded by its identifier; a modelBuilder.Entity<T>() call by the invocation.
                var token = fluent.SourceTree!.GetRoot().FindToken(fluent.SourceSpan.Start);
                return token.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax;
            }
        }
    }
}
