using System;
using System.Collections.Generic;
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
    /// BA3006: an EF Core query that Includes two or more collection navigations in one SQL statement: the JOINs
    /// multiply the rows (a cartesian explosion), so the database sends every parent row once per combination of
    /// children. AsSplitQuery() loads each collection with its own statement.
    /// </summary>
    /// <remarks>
    /// The query is judged where it runs (ToList, First, ... and their Async forms), with its whole chain: across
    /// locals and through methods of the compilation that return it. Quiet when the chain states AsSplitQuery or
    /// AsSingleQuery, when the model splits queries by default (UseQuerySplittingBehavior(SplitQuery)), and when the
    /// query projects with Select (EF Core ignores Include then).
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CollectionIncludesWithoutSplitQueryAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.CollectionIncludesWithoutSplitQuery,
            title: "Several collection Includes without split query",
            messageFormat: "This query loads {0} collection navigations ({1}) in one SQL statement, which returns every combination of their rows; add AsSplitQuery()",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "EF Core loads Included navigations with JOINs in a single statement by default. With two or more collection navigations, the result has one row per combination of their elements (a cartesian explosion): a patient with 20 appointments and 10 prescriptions comes back as 200 rows. AsSplitQuery() loads each collection with a statement of its own; state AsSingleQuery() when one statement is what you want.");

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
                if (!types.HasEntityFramework || types.Queryable is null || types.RelationalQueryableExtensions is null || types.EntityFrameworkQueryableExtensions is null)
                {
                    return; // AsSplitQuery is relational: without it there is nothing to suggest
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

            private static bool IsLoadingOperator(string name) => name switch
            {
                "ToList" or "ToListAsync" or "ToArray" or "ToArrayAsync" or "ToHashSet" or "ToHashSetAsync" or "ToDictionary" or "ToDictionaryAsync"
                    or "First" or "FirstAsync" or "FirstOrDefault" or "FirstOrDefaultAsync"
                    or "Single" or "SingleAsync" or "SingleOrDefault" or "SingleOrDefaultAsync"
                    or "Last" or "LastAsync" or "LastOrDefault" or "LastOrDefaultAsync" or "Load" or "LoadAsync" => true,
                _ => false,
            };

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                if (!IsLoadingOperator(method.Name))
                {
                    return;
                }

                var containing = method.ContainingType;
                if (containing is null || !(containing.IsSame(_types.Queryable) || containing.IsSame(_types.Enumerable) || containing.IsSame(_types.EntityFrameworkQueryableExtensions)))
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
                if (chain is null || !chain.IsEntityFramework
                    || chain.ContainsAny(n => n is "AsSplitQuery" or "AsSingleQuery" or "Select" or "SelectMany" or "GroupBy")
                    || HelpersStateSplitting(chain, cancellationToken))
                {
                    return;
                }

                var includes = chain.GetIncludes();
                if (includes.IsEmpty)
                {
                    return;
                }

                var efModel = _efModel.Value;
                if (efModel.SplitQueryByDefault)
                {
                    return;
                }

                var collections = new List<string>();
                foreach (var include in includes)
                {
                    var path = new List<string>();
                    foreach (var navigation in include.Navigations)
                    {
                        if (navigation is null)
                        {
                            break;
                        }

                        path.Add(navigation.Name);
                        var text = string.Join(".", path);
                        if (IsCollectionNavigation(efModel, navigation) && !collections.Contains(text))
                        {
                            collections.Add(text);
                        }
                    }
                }

                if (collections.Count < 2)
                {
                    return;
                }

                var additional = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } && invocation.Instance is null
                    ? ImmutableArray.Create(member.Expression.GetLocation())
                    : ImmutableArray<Location>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(Rule, OperatorLocation(invocation), additional, collections.Count, string.Join(", ", collections)));
            }

            private static bool IsCollectionNavigation(EfModel efModel, IPropertySymbol navigation)
            {
                if (efModel.GetNavigationTarget(navigation, out var isCollection) is not null)
                {
                    return isCollection;
                }

                // An entity the model does not list (configured in another assembly): any collection type.
                return navigation.Type.SpecialType != SpecialType.System_String && EfModel.CollectionElementType(navigation.Type) is { IsReferenceType: true, SpecialType: SpecialType.None };
            }

            private bool HelpersStateSplitting(QueryChain chain, CancellationToken cancellationToken)
            {
                foreach (var helper in chain.Helpers)
                {
                    var body = _queries.Bodies.GetBody(helper, cancellationToken);
                    if (body is null)
                    {
                        return true;
                    }

                    foreach (var operation in body.DescendantsAndSelf())
                    {
                        if (operation is IInvocationOperation { TargetMethod.Name: "AsSplitQuery" or "AsSingleQuery" })
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

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
