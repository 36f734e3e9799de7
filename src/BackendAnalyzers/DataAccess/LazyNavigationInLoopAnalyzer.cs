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
    /// BA3002: with lazy loading on, a navigation of the entities an EF Core query returned is read inside the loop
    /// over them, and the query did not Include it: every iteration runs a query of its own (N+1), hidden behind a
    /// property getter.
    /// </summary>
    /// <remarks>
    /// Lazy loading is on when UseLazyLoadingProxies is called anywhere in the compilation (then virtual navigations
    /// load lazily) or the entity takes an ILazyLoader. The loop is a foreach over the query, or over a local or
    /// expression holding its materialized results (ToList, ToArray, ... and in-memory LINQ over them). Quiet when
    /// the query Includes the navigation (lambda or string), projects with Select, when the function loads it
    /// explicitly (Entry(x).Reference/Collection/Navigation(...)), or queries the navigation's entity type before the
    /// loop (the change tracker then has the rows).
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LazyNavigationInLoopAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the navigation's name, for the fix's <c>Include(x =&gt; x.Nav)</c>.</summary>
        public const string NavigationProperty = "Navigation";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.LazyNavigationInLoop,
            title: "Lazy-loaded navigation accessed in a loop",
            messageFormat: "'{0}' is lazy-loaded for each '{1}' in this loop, one query per element; Include it in the query that loads them",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "With lazy loading, reading a navigation that was not loaded runs a query. Inside a loop over a query's results that is one query per element (N+1), invisible in the code. Include the navigation in the query, so it is loaded with the rest, or project the values the loop needs with Select.");

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
                if (!types.HasEntityFramework || types.EntityFrameworkQueryableExtensions is null)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var queries = new QueryModel(types, bodies);
                var efModel = EfFileFacts.LazyModel(start, types, bodies, _efFacts);
                var analyzer = new Analyzer(queries, efModel);
                start.RegisterOperationAction(analyzer.AnalyzeLoop, OperationKind.Loop);
            });
        }

        private sealed class Analyzer
        {
            private readonly QueryModel _queries;
            private readonly Lazy<EfModel> _efModel;

            public Analyzer(QueryModel queries, Lazy<EfModel> efModel)
            {
                _queries = queries;
                _efModel = efModel;
            }

            public void AnalyzeLoop(OperationAnalysisContext context)
            {
                if (context.Operation is not IForEachLoopOperation loop || loop.Locals.Length != 1)
                {
                    return;
                }

                var efModel = _efModel.Value;
                if (!efModel.LazyLoadingEnabled)
                {
                    return;
                }

                var element = loop.Locals[0];
                if (efModel.GetEntity(element.Type) is null)
                {
                    return;
                }

                var cancellationToken = context.CancellationToken;
                var chain = _queries.GetChainThroughMaterializers(loop.Collection.WalkDownConversion(), cancellationToken);
                if (chain is null || !chain.IsEntityFramework || chain.RootKind == QueryRootKind.Navigation
                    || !SymbolEqualityComparer.Default.Equals(chain.EntityType?.OriginalDefinition, element.Type.OriginalDefinition)
                    || chain.ContainsAny(n => n is "Select" or "SelectMany" or "GroupBy" or "Join" or "GroupJoin" or "Cast" or "OfType"))
                {
                    return;
                }

                var function = loop.GetEnclosingFunction();
                if (function is null)
                {
                    return;
                }

                var includes = chain.GetIncludes();
                var reported = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
                foreach (var operation in loop.Body.DescendantsAndSelf())
                {
                    if (operation is not IPropertyReferenceOperation { Instance: ILocalReferenceOperation instance } access
                        || !instance.Local.IsSame(element) || IsWritten(access))
                    {
                        continue;
                    }

                    var navigation = access.Property;
                    if (reported.Contains(navigation) || !efModel.LoadsLazily(navigation) || IsIncluded(includes, navigation)
                        || IsLoadedBeforehand(function, loop, navigation, efModel, cancellationToken))
                    {
                        continue;
                    }

                    reported.Add(navigation);
                    var insertAfter = FindInsertionPoint(chain, function);
                    var additional = insertAfter is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(insertAfter.GetLocation());
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(NavigationProperty, navigation.Name);
                    context.ReportDiagnostic(Diagnostic.Create(Rule, access.Syntax.GetLocation(), additional, properties, navigation.Name, element.Type.Name));
                }
            }

            private static bool IsWritten(IPropertyReferenceOperation access) =>
                access.Parent is IAssignmentOperation assignment && assignment.Target == access;

            private static bool IsIncluded(ImmutableArray<IncludedPath> includes, IPropertySymbol navigation)
            {
                foreach (var include in includes)
                {
                    if (include.Navigations.Length > 0 && include.Navigations[0] is { } first
                        && (first.IsSame(navigation) || first.Name == navigation.Name))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// The function loads the navigation explicitly (<c>Entry(x).Reference(e =&gt; e.Nav).Load()</c>,
            /// <c>.Collection("Nav")</c>, <c>.Navigation("Nav")</c>), or queries the navigation's entity type before the
            /// loop (tracked rows fix the navigations up).
            /// </summary>
            private bool IsLoadedBeforehand(IOperation function, IForEachLoopOperation loop, IPropertySymbol navigation, EfModel efModel, CancellationToken cancellationToken)
            {
                var target = efModel.GetNavigationTarget(navigation, out _);
                foreach (var operation in function.DescendantsAndSelf())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (operation is not IInvocationOperation invocation)
                    {
                        continue;
                    }

                    var name = invocation.TargetMethod.Name;
                    if (name is "Reference" or "Collection" or "Navigation" && invocation.TargetMethod.ContainingType.InheritsFromOrEquals(_queries.Types.EntityEntry))
                    {
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Value.ConstantValue is { HasValue: true, Value: string text } && text == navigation.Name)
                            {
                                return true;
                            }

                            if (EntityKeys.UnwrapLambda(argument.Value) is { } lambda && IncludedPath.ReadMemberPath(lambda) is { Length: 1 } path
                                && path[0] is { } member && member.Name == navigation.Name)
                            {
                                return true;
                            }
                        }

                        continue;
                    }

                    if (target is not null && invocation.Syntax.SpanStart < loop.Syntax.SpanStart && !loop.Collection.Syntax.Span.Contains(invocation.Syntax.Span)
                        && _queries.GetRoundTrip(invocation, cancellationToken) is { Kind: RoundTripKind.EfQuery }
                        && invocation.GetReceiverOrThisArgument() is { } source
                        && _queries.GetChain(source, cancellationToken) is { } other
                        && SymbolEqualityComparer.Default.Equals(other.EntityType?.OriginalDefinition, target.Type))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// Where the fix adds the Include: right after the DbSet when the query starts in this function
            /// (<c>db.Patients.Include(p =&gt; p.Doctor).Where(...)</c>), else right before the materializing call made
            /// here. Null when neither is in this function (a repository builds and runs the query).
            /// </summary>
            private SyntaxNode? FindInsertionPoint(QueryChain chain, IOperation function)
            {
                var root = chain.Root;
                if (root is not null && ReferenceEquals(root.GetEnclosingFunction(), function) && root.Syntax.Parent is MemberAccessExpressionSyntax rootAccess
                    && rootAccess.Expression == root.Syntax)
                {
                    // After FromSql*, which needs the DbSet itself.
                    var after = root.Syntax;
                    foreach (var op in chain.Operators)
                    {
                        if (!op.TargetMethod.Name.StartsWith("FromSql", StringComparison.Ordinal)
                            || op.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax next } || next.Expression != after)
                        {
                            break;
                        }

                        after = op.Syntax;
                    }

                    if (after.Parent is MemberAccessExpressionSyntax access && access.Expression == after)
                    {
                        return after;
                    }
                }

                var materializer = chain.MaterializedBy;
                if (materializer is not null && materializer.Instance is null && ReferenceEquals(materializer.GetEnclosingFunction(), function)
                    && materializer.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                    && materializer.GetReceiverOrThisArgument() is { } receiver && receiver.WalkDownConversion().Type is { } receiverType
                    && _queries.IsQueryableType(receiverType))
                {
                    return member.Expression;
                }

                return null;
            }
        }
    }
}
