using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3005: Skip, Take, ElementAt or Last (or a paging helper of the compilation) on an EF Core query that has no
    /// ordering: SQL returns rows in no defined order, so pages overlap or miss rows and "the last one" is any one.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PagingWithoutOrderAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the entity's primary key properties, comma-separated, when known.</summary>
        public const string KeyProperty = "Key";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.PagingWithoutOrder,
            title: "Paging without a defined order",
            messageFormat: "'{0}' is applied to a query with no OrderBy: the database returns rows in no defined order, so the rows it picks can change from one call to the next; order the query by a unique key first",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "Without ORDER BY, a database may return rows in any order, and the order can change with the plan, the data or concurrent writes. Skip/Take pages then repeat or miss rows, and Take, ElementAt and Last pick an arbitrary row (EF Core rejects Last without OrderBy). Order by a unique key, or end the ordering with one (ThenBy(x => x.Id)).");

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
                var method = invocation.TargetMethod;
                var name = method.Name;
                bool isLast;
                string shownName;
                switch (name)
                {
                    case "Skip":
                    case "Take":
                    case "ElementAt":
                    case "ElementAtOrDefault":
                        isLast = false;
                        shownName = name;
                        if (!method.ContainingType.IsSame(_types.Queryable))
                        {
                            return;
                        }

                        break;
                    case "Last":
                    case "LastOrDefault":
                        isLast = true;
                        shownName = name;
                        if (!method.ContainingType.IsSame(_types.Queryable))
                        {
                            return;
                        }

                        break;
                    case "ElementAtAsync":
                    case "ElementAtOrDefaultAsync":
                    case "LastAsync":
                    case "LastOrDefaultAsync":
                        isLast = name.StartsWith("Last", StringComparison.Ordinal);
                        shownName = name;
                        if (!method.ContainingType.IsSame(_types.EntityFrameworkQueryableExtensions))
                        {
                            return;
                        }

                        break;
                    default:
                        // A paging helper of the compilation: query.Page(page, size), PaginatedList.CreateAsync(query, ...).
                        if (!method.IsStatic || method.Parameters.Length == 0 || !method.IsInSource() || !_queries.IsQueryableType(method.Parameters[0].Type))
                        {
                            return;
                        }

                        var effects = _queries.GetHelperEffects((method.ReducedFrom ?? method).OriginalDefinition, context.CancellationToken);
                        if (!effects.Take || effects.Order)
                        {
                            return;
                        }

                        isLast = false;
                        shownName = (method.ReducedFrom ?? method).ToDisplayName();
                        break;
                }

                var source = (invocation.Instance ?? invocation.GetArgument(0))?.WalkDownConversion();
                if (source is null || !_queries.IsQueryableType(source.Type))
                {
                    return;
                }

                var cancellationToken = context.CancellationToken;
                var chain = _queries.GetChain(source, cancellationToken);
                if (chain is null || !chain.IsEntityFramework || chain.HasOrdering || chain.HasTake
                    || chain.ContainsAny(n => n is "Skip" or "ElementAt" or "ElementAtOrDefault"
                        || n.StartsWith("FromSql", StringComparison.Ordinal) || n.StartsWith("SqlQuery", StringComparison.Ordinal)))
                {
                    // Ordered; or paged already (the earlier operator is the one reported); or raw SQL that may order.
                    return;
                }

                var key = FindKey(chain.EntityType);
                if (!isLast && HasKeyEqualityFilter(chain, key))
                {
                    return; // at most one row
                }

                if (name == "Skip" && IsRandomOffset(invocation))
                {
                    return; // Skip(random.Next(count)).Take(1): a random row, in whatever order
                }

                if (name is "Skip" or "Take" && IsOnlyCounted(invocation))
                {
                    return; // Take(100).Count(): how many, not which
                }

                if (name == "Take" && IsInBatchingLoop(invocation, cancellationToken))
                {
                    return; // while (...) { var batch = query.Take(100).ToList(); ... }: any batch will do
                }

                var properties = ImmutableDictionary<string, string?>.Empty;
                var insertAt = FindInsertionPoint(chain, invocation);
                var additional = ImmutableArray<Location>.Empty;
                if (insertAt is not null && !key.IsDefaultOrEmpty && HasProperties(chain.EntityType, key))
                {
                    properties = properties.Add(KeyProperty, string.Join(",", key));
                    additional = ImmutableArray.Create(insertAt.Syntax.GetLocation());
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, OperatorLocation(invocation), additional, properties, shownName));
            }

            /// <summary>The primary key from the EF model (HasKey, [Key], [PrimaryKey], conventions), else by convention alone.</summary>
            private ImmutableArray<string> FindKey(ITypeSymbol? entityType)
            {
                if (entityType is null)
                {
                    return ImmutableArray<string>.Empty;
                }

                var entity = _efModel.Value.GetEntity(entityType);
                if (entity is not null)
                {
                    return entity.IsKeyless ? ImmutableArray<string>.Empty : entity.PrimaryKey;
                }

                return EntityKeys.FindKey(entityType, _types) is { } property ? ImmutableArray.Create(property.Name) : ImmutableArray<string>.Empty;
            }

            private static bool HasKeyEqualityFilter(QueryChain chain, ImmutableArray<string> key)
            {
                if (key.IsDefaultOrEmpty)
                {
                    return false;
                }

                foreach (var op in chain.Operators)
                {
                    if (EntityKeys.IsKeyEqualityFilter(op, key))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool HasProperties(ITypeSymbol? type, ImmutableArray<string> names)
            {
                foreach (var name in names)
                {
                    var found = false;
                    for (var current = type; current is not null && !found; current = current.BaseType)
                    {
                        foreach (var member in current.GetMembers(name))
                        {
                            found |= member is IPropertySymbol { IsStatic: false, GetMethod: not null };
                        }
                    }

                    if (!found)
                    {
                        return false; // a shadow property: no x => x.Key to write
                    }
                }

                return true;
            }

            /// <summary><c>query.Skip(n).Take(m).Count()</c>, <c>query.Take(100).AnyAsync()</c>: only the number of rows is used.</summary>
            /// <summary>The number of rows skipped comes from System.Random, directly or through a local.</summary>
            private static bool IsRandomOffset(IInvocationOperation skip)
            {
                IOperation? count = null;
                foreach (var argument in skip.Arguments)
                {
                    if (argument.Parameter?.Name == "count")
                    {
                        count = argument.Value.WalkDownConversion();
                    }
                }

                if (count is ILocalReferenceOperation local)
                {
                    count = null;
                    foreach (var operation in local.GetRoot().Descendants())
                    {
                        if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local.Local))
                        {
                            count = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                            break;
                        }
                    }
                }

                if (count is null)
                {
                    return false;
                }

                foreach (var operation in count.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.ContainingType: { Name: "Random", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsOnlyCounted(IInvocationOperation invocation)
            {
                IOperation current = invocation;
                while (true)
                {
                    var parent = current.Parent;
                    while (parent is IConversionOperation)
                    {
                        parent = parent.Parent;
                    }

                    if (parent is not IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation next })
                    {
                        return false;
                    }

                    switch (next.TargetMethod.Name)
                    {
                        case "Skip":
                        case "Take":
                            current = next;
                            continue;
                        case "Count":
                        case "LongCount":
                        case "Any":
                        case "CountAsync":
                        case "LongCountAsync":
                        case "AnyAsync":
                            foreach (var argument in next.Arguments)
                            {
                                if (argument.Parameter?.Ordinal > 0 && argument.Parameter.Type.TypeKind != TypeKind.Struct)
                                {
                                    return false; // a predicate: which rows matters
                                }
                            }

                            return true;
                        default:
                            return false;
                    }
                }
            }

            private bool IsInBatchingLoop(IOperation operation, CancellationToken cancellationToken)
            {
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return false;
                    }

                    if (current is ILoopOperation loop)
                    {
                        return LoopShapes.IsPollingOrRetryLoop(loop, op => _queries.ReadsDatabase(op, cancellationToken));
                    }
                }

                return false;
            }

            /// <summary>
            /// Where the fix inserts the ordering: before the first operator that changes the element type
            /// (a projection keeps the order but may not keep the key), else before the paging operator. Null when
            /// that operator is not in this function (a repository method) or not written as <c>q.Op(...)</c>.
            /// </summary>
            private static IInvocationOperation? FindInsertionPoint(QueryChain chain, IInvocationOperation paging)
            {
                var target = paging;
                foreach (var op in chain.Operators)
                {
                    if (op.TargetMethod.Name is "Select" or "SelectMany" or "GroupBy" or "Join" or "GroupJoin" or "OfType" or "Cast" or "Zip" or "LeftJoin" or "RightJoin")
                    {
                        target = op;
                        break;
                    }
                }

                if (!ReferenceEquals(target, paging) && !ReferenceEquals(target.GetEnclosingFunction(), paging.GetEnclosingFunction()))
                {
                    return null;
                }

                return target.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } ? target : null;
            }

            /// <summary>From the operator's name to the end of its call: <c>Skip(20)</c>.</summary>
            private static Location OperatorLocation(IInvocationOperation invocation)
            {
                if (invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } syntax)
                {
                    return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, syntax.Span.End));
                }

                return invocation.Syntax.GetLocation();
            }
        }
    }
}
