using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3004: an EF Core query is loaded (ToList, ToArray, AsEnumerable and their async forms) and then filtered,
    /// ordered, paged, projected, counted or searched in memory, in the same chain or through a local used only for
    /// that. Only operators EF Core can translate are reported (see <see cref="EfTranslation"/>): moving them before
    /// the materialization must keep the query working.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MaterializedBeforeFilteringAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: how many in-memory operators, from the first, the fix moves into the query.</summary>
        public const string MovedProperty = "Moved";

        /// <summary>Diagnostic property: "chain" or "local" when the code fix applies; absent otherwise.</summary>
        public const string FixProperty = "Fix";

        /// <summary>Diagnostic property: "true" when the last moved operator executes the query (First, Count, Any, ...).</summary>
        public const string TerminalProperty = "Terminal";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.MaterializedBeforeFiltering,
            title: "Query materialized before filtering",
            messageFormat: "'{0}' runs in memory after '{1}' has loaded every row of the query; move it before '{1}' so the database does it",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Warning,
            description: "ToList, ToArray and AsEnumerable end the database part of a query. Where, OrderBy, Skip/Take, Select, First, Count or Any after them run in memory over every row the query returned, so the database sends rows (and columns) that are thrown away. Apply them to the query before it is materialized.");

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
                if (!types.HasEntityFramework || types.Enumerable is null)
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

        private enum OperatorKind
        {
            None,

            /// <summary>Where, Select, OrderBy, ThenBy, Skip, Take: the result is still a sequence.</summary>
            Sequence,

            /// <summary>First, Single, Count, Any (and their variants): the result is a value; the query ends there.</summary>
            Terminal,
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

            /// <summary>Starts from the first in-memory operator and looks back at what it runs on.</summary>
            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var first = (IInvocationOperation)context.Operation;
                if (ClassifyOperator(first) == OperatorKind.None || !first.TargetMethod.IsExtensionMethod)
                {
                    return;
                }

                var operatorType = first.TargetMethod.ContainingType;
                var overAsyncStream = operatorType.IsSame(_types.AsyncEnumerable);
                if (!overAsyncStream && !operatorType.IsSame(_types.Enumerable)
                    || first.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax })
                {
                    return;
                }

                var received = first.GetReceiverOrThisArgument()?.WalkDownConversion();
                var fix = "chain";
                IVariableDeclaratorOperation? declarator = null;
                if (received is ILocalReferenceOperation reference)
                {
                    // var rows = await query.ToListAsync(); ... rows.Where(...) : a local used only so.
                    declarator = GetDeclaratorOfOnlyUse(reference);
                    received = declarator?.Initializer?.Value.WalkDownConversion();
                    fix = "local";
                }

                var materializer = received is null ? null : GetMaterializer(received);
                if (materializer is null || overAsyncStream != (materializer.TargetMethod.Name == "AsAsyncEnumerable"))
                {
                    return;
                }

                var source = materializer.GetReceiverOrThisArgument()?.WalkDownConversion();
                if (source is null || !_queries.IsQueryableType(source.Type) || !IsMaterializerType(materializer.TargetMethod))
                {
                    return;
                }

                var cancellationToken = context.CancellationToken;
                var chain = _queries.GetChain(source, cancellationToken);
                if (chain is null || !chain.IsEntityFramework)
                {
                    return;
                }

                var translation = new EfTranslation(_types, _efModel.Value);
                if (!IsComposable(chain, translation))
                {
                    return;
                }

                var moved = CollectMovable(first, operatorType, translation);
                if (moved.Count == 0 || materializer.IsInsideExpressionTree(_types.ExpressionOfT))
                {
                    return;
                }

                var last = moved[moved.Count - 1];
                var terminal = ClassifyOperator(last) == OperatorKind.Terminal;
                var applicable = FixKind(fix, materializer, moved, terminal, declarator);

                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties.Add(MovedProperty, moved.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (terminal)
                {
                    properties.Add(TerminalProperty, "true");
                }

                if (applicable is not null)
                {
                    properties.Add(FixProperty, applicable);
                }

                var additional = new List<Location> { materializer.Syntax.GetLocation(), last.Syntax.GetLocation() };
                if (applicable == "local" && declarator?.Initializer?.Value.Syntax is { } initializer)
                {
                    additional.Add(initializer.GetLocation());
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, OperatorLocation(first), additional, properties.ToImmutable(), first.TargetMethod.Name, materializer.TargetMethod.Name));
            }

            private bool IsMaterializerType(IMethodSymbol method)
            {
                var containing = method.ContainingType;
                return containing.IsSame(_types.Enumerable) || containing.IsSame(_types.Queryable) || containing.IsSame(_types.EntityFrameworkQueryableExtensions)
                    || method.Name == "AsAsyncEnumerable" && containing.OriginalDefinition.InheritsFromOrEquals(_types.DbSetOfT);
            }

            /// <summary>
            /// The materializing call a value comes from: <c>query.ToList()</c>, <c>query.AsEnumerable()</c>,
            /// <c>query.AsAsyncEnumerable()</c>, or the awaited <c>query.ToListAsync()</c> (with or without ConfigureAwait).
            /// </summary>
            private static IInvocationOperation? GetMaterializer(IOperation value)
            {
                if (value is IAwaitOperation awaited)
                {
                    var task = awaited.Operation.WalkDownConversion();
                    if (task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
                    {
                        task = configured.WalkDownConversion();
                    }

                    return task is IInvocationOperation { TargetMethod.Name: "ToListAsync" or "ToArrayAsync" } asyncMaterializer ? asyncMaterializer : null;
                }

                return value is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" or "AsEnumerable" or "AsAsyncEnumerable" } materializer ? materializer : null;
            }

            private static IOperation? SkipConversions(IOperation? operation)
            {
                while (operation is IConversionOperation conversion)
                {
                    operation = conversion.Parent;
                }

                return operation;
            }

            /// <summary>The LINQ operator of <paramref name="operatorType"/> that takes <paramref name="value"/> as its source, or null.</summary>
            private static IInvocationOperation? NextOperator(IOperation value, INamedTypeSymbol operatorType)
            {
                var parent = SkipConversions(value.Parent);
                return parent is IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation invocation }
                    && invocation.TargetMethod.IsExtensionMethod
                    && invocation.TargetMethod.ContainingType.IsSame(operatorType)
                    && invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax }
                    ? invocation
                    : null;
            }

            /// <summary>
            /// The declaration of the local <paramref name="reference"/> reads, when that reference is the local's
            /// only one: the local is read nowhere else and never assigned again, and the reference runs once per
            /// declaration (not in a loop or a lambda the declaration is outside of, where filtering in the query
            /// would run one query per iteration).
            /// </summary>
            private static IVariableDeclaratorOperation? GetDeclaratorOfOnlyUse(ILocalReferenceOperation reference)
            {
                var local = reference.Local;
                var function = reference.GetEnclosingFunction();
                if (function is null)
                {
                    return null;
                }

                IVariableDeclaratorOperation? declarator = null;
                foreach (var operation in function.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case ILocalReferenceOperation other when other.Local.IsSame(local) && !ReferenceEquals(other, reference):
                            return null;
                        case IVariableDeclaratorOperation candidate when candidate.Symbol.IsSame(local):
                            declarator = candidate;
                            break;
                    }
                }

                if (declarator?.Initializer is null || declarator.Parent is not IVariableDeclarationOperation { Declarators.Length: 1 }
                    || reference.Syntax.SpanStart < declarator.Syntax.SpanStart)
                {
                    return null;
                }

                for (var current = reference.Parent; current is not null && !current.Syntax.Span.Contains(declarator.Syntax.Span); current = current.Parent)
                {
                    if (current is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return null;
                    }
                }

                return declarator;
            }

            private static OperatorKind ClassifyOperator(IInvocationOperation invocation) => invocation.TargetMethod.Name switch
            {
                "Where" or "Select" or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Skip" or "Take" => OperatorKind.Sequence,
                "First" or "FirstOrDefault" or "Single" or "SingleOrDefault" or "Count" or "LongCount" or "Any" => OperatorKind.Terminal,
                _ => OperatorKind.None,
            };

            /// <summary>
            /// The operators, from <paramref name="first"/> outwards, that can move into the query: reported ones,
            /// with overloads and lambdas EF Core translates, up to the first one that ends the query. A projection
            /// into a constructor is moved only as the last operator; an ordering is not split from its ThenBy.
            /// </summary>
            private static List<IInvocationOperation> CollectMovable(IInvocationOperation first, INamedTypeSymbol operatorType, EfTranslation translation)
            {
                var moved = new List<IInvocationOperation>();
                for (var current = first; current is not null; current = NextOperator(current, operatorType))
                {
                    var kind = ClassifyOperator(current);
                    if (kind == OperatorKind.None || !IsTranslatableOperator(current, translation, constructorProjection: false))
                    {
                        if (kind != OperatorKind.None && current.TargetMethod.Name == "Select" && IsTranslatableOperator(current, translation, constructorProjection: true))
                        {
                            moved.Add(current); // new Dto(...) stays translatable as the final projection
                        }

                        break;
                    }

                    moved.Add(current);
                    if (kind == OperatorKind.Terminal)
                    {
                        break;
                    }
                }

                // An ordering must move with the ThenBy that follows it (ThenBy needs an ordered sequence).
                if (moved.Count > 0 && NextOperator(moved[moved.Count - 1], operatorType) is { TargetMethod.Name: "ThenBy" or "ThenByDescending" })
                {
                    while (moved.Count > 0 && moved[moved.Count - 1].TargetMethod.Name is "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending")
                    {
                        moved.RemoveAt(moved.Count - 1);
                    }
                }

                return moved;
            }

            /// <summary>An overload EF Core translates (lambdas of one parameter, counts), with lambdas it translates.</summary>
            private static bool IsTranslatableOperator(IInvocationOperation invocation, EfTranslation translation, bool constructorProjection)
            {
                var name = invocation.TargetMethod.Name;
                foreach (var argument in invocation.Arguments)
                {
                    var parameter = argument.Parameter;
                    if (parameter is null)
                    {
                        return false;
                    }

                    if (parameter.Ordinal == 0)
                    {
                        continue;
                    }

                    if (parameter.Type.TypeKind == TypeKind.Delegate)
                    {
                        var lambda = EntityKeys.UnwrapLambda(argument.Value);
                        if (lambda is null || !translation.IsTranslatable(lambda, constructorProjection))
                        {
                            return false;
                        }

                        if (name is "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" && translation.IsUnorderableInSql(lambda.Symbol.ReturnType))
                        {
                            return false;
                        }

                        continue;
                    }

                    if (name is "Skip" or "Take" && parameter.Type.SpecialType == SpecialType.System_Int32)
                    {
                        continue;
                    }

                    return false; // comparers, Range, default values, cancellation tokens of async overloads
                }

                return true;
            }

            /// <summary>
            /// The query before the materialization can be composed further: no raw SQL (which may not be
            /// composable), no grouping, and projections EF Core translates into columns (not into constructors or
            /// methods, which it evaluates on the client as the final projection only).
            /// </summary>
            private static bool IsComposable(QueryChain chain, EfTranslation translation)
            {
                foreach (var op in chain.Operators)
                {
                    var name = op.TargetMethod.Name;
                    if (name.StartsWith("FromSql", StringComparison.Ordinal) || name.StartsWith("SqlQuery", StringComparison.Ordinal)
                        || name is "GroupBy" or "GroupJoin" or "Zip" or "Chunk" or "Append" or "Prepend" or "Reverse")
                    {
                        return false;
                    }

                    if (name is "Select" or "SelectMany")
                    {
                        foreach (var argument in op.Arguments)
                        {
                            if (EntityKeys.UnwrapLambda(argument.Value) is { } lambda && !translation.IsTranslatable(lambda, constructorProjection: false))
                            {
                                return false;
                            }
                        }
                    }
                }

                return true;
            }

            /// <summary>
            /// Which fix applies: "chain" for operators in the materialization's own chain (any materializer;
            /// terminal operators of ToListAsync/ToArrayAsync become their Async form); "local" for a local declared
            /// with <c>var</c> (or without a Select moved, whose type would change) and operators that keep a
            /// sequence. Null when the code has a shape the fix does not rewrite.
            /// </summary>
            private static string? FixKind(string fix, IInvocationOperation materializer, List<IInvocationOperation> moved, bool terminal, IVariableDeclaratorOperation? declarator)
            {
                if (materializer.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax })
                {
                    return null;
                }

                if (terminal && materializer.TargetMethod.Name is "AsAsyncEnumerable")
                {
                    return null;
                }

                if (fix == "chain")
                {
                    return fix;
                }

                if (terminal || declarator?.Syntax.Parent is not VariableDeclarationSyntax declaration)
                {
                    return null;
                }

                if (!declaration.Type.IsVar)
                {
                    foreach (var op in moved)
                    {
                        if (op.TargetMethod.Name == "Select")
                        {
                            return null;
                        }
                    }
                }

                return fix;
            }

            /// <summary>From the operator's name to the end of its call: <c>Where(p =&gt; p.Active)</c>.</summary>
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
