using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3009: ToLower/ToUpper (and the Invariant forms), Trim/TrimStart/TrimEnd or string.Format applied to a column
    /// inside the predicate or ordering of an EF Core query. The database has to compute the function for every row
    /// before it can compare or sort, so an index on the column cannot be used to seek. Calls on the value side
    /// (<c>p.Email == email.ToLower()</c>) are computed once, in .NET, and are fine.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NonSargableComparisonAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.NonSargableComparison,
            title: "Non-sargable comparison in a query",
            messageFormat: "'{0}' applied to the column '{1}' in '{2}' makes the database compute it for every row, so no index on the column can be used; compare the column as stored",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "A function applied to a column in a WHERE or ORDER BY clause hides the column from its index: the database scans and computes the function row by row. Store a normalized copy of the column (with its own index), use a case-insensitive collation, or apply the function to the value you compare with instead.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

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

                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                start.RegisterOperationAction(c => Analyze(c, queries), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, QueryModel queries)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!IsPredicateOrOrdering(method.Name))
            {
                return;
            }

            var types = queries.Types;
            if (!method.ContainingType.IsSame(types.Queryable) && !method.ContainingType.IsSame(types.EntityFrameworkQueryableExtensions))
            {
                return;
            }

            // The lambda argument: predicates and key selectors are expression trees of a single row parameter.
            IAnonymousFunctionOperation? lambda = null;
            foreach (var argument in invocation.Arguments)
            {
                lambda ??= EntityKeys.UnwrapLambda(argument.Value);
            }

            if (lambda is null || lambda.Symbol.Parameters.Length != 1 || !ContainsColumnFunction(lambda.Body))
            {
                return;
            }

            var source = invocation.GetReceiverOrThisArgument()?.WalkDownConversion();
            var chain = source is null ? null : queries.GetChain(source, context.CancellationToken);
            if (chain is null || !chain.IsEntityFramework)
            {
                return;
            }

            foreach (var operation in lambda.Body.Descendants())
            {
                if (operation is IInvocationOperation call && GetColumnFunction(call) is { } column && IsInnermostOperator(call, invocation, types))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, call.Syntax.GetLocation(), call.TargetMethod.Name, column.Property.Name, method.Name));
                }
            }
        }

        /// <summary>
        /// Is <paramref name="target"/> the nearest query operator around the call? A subquery's own Where
        /// (<c>db.Doctors.Any(d =&gt; d.Name.ToLower() == ...)</c> inside another predicate) reports its calls itself.
        /// </summary>
        private static bool IsInnermostOperator(IOperation call, IInvocationOperation target, KnownTypes types)
        {
            for (var parent = call.Parent; parent is not null; parent = parent.Parent)
            {
                if (ReferenceEquals(parent, target))
                {
                    return true;
                }

                if (parent is IInvocationOperation inner && IsPredicateOrOrdering(inner.TargetMethod.Name)
                    && (inner.TargetMethod.ContainingType.IsSame(types.Queryable) || inner.TargetMethod.ContainingType.IsSame(types.EntityFrameworkQueryableExtensions)))
                {
                    return false;
                }
            }

            return false;
        }

        private static bool IsPredicateOrOrdering(string name) => name switch
        {
            "Where" or "Any" or "All" or "Count" or "LongCount"
            or "First" or "FirstOrDefault" or "Single" or "SingleOrDefault" or "Last" or "LastOrDefault"
            or "AnyAsync" or "AllAsync" or "CountAsync" or "LongCountAsync"
            or "FirstAsync" or "FirstOrDefaultAsync" or "SingleAsync" or "SingleOrDefaultAsync" or "LastAsync" or "LastOrDefaultAsync"
            or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending"
            or "ExecuteDelete" or "ExecuteDeleteAsync" => true,
            _ => false,
        };

        private static bool ContainsColumnFunction(IOperation body)
        {
            foreach (var operation in body.Descendants())
            {
                if (operation is IInvocationOperation call && GetColumnFunction(call) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The column a string function is applied to: <c>p.Email.ToLower()</c>, <c>p.Doctor.Name.Trim()</c>,
        /// <c>string.Format("{0}-{1}", p.Code, p.Year)</c>, where <c>p</c> is a parameter of a lambda of the query
        /// (the row, or the row of a nested subquery). Null when the call works on a value from outside the query.
        /// </summary>
        private static IPropertyReferenceOperation? GetColumnFunction(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (method.ContainingType?.SpecialType != SpecialType.System_String)
            {
                return null;
            }

            switch (method.Name)
            {
                case "ToLower" or "ToUpper" or "ToLowerInvariant" or "ToUpperInvariant" or "Trim" or "TrimStart" or "TrimEnd" when !method.IsStatic:
                    return call.Instance is { } instance ? GetRowProperty(instance) : null;
                case "Format" when method.IsStatic:
                    foreach (var argument in call.Arguments)
                    {
                        foreach (var value in Values(argument.Value))
                        {
                            if (GetRowProperty(value) is { } column)
                            {
                                return column;
                            }
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        /// <summary>An argument's values: itself, or the elements of a params array.</summary>
        private static ImmutableArray<IOperation> Values(IOperation argument) =>
            argument is IArrayCreationOperation { Initializer: { } initializer } ? initializer.ElementValues : ImmutableArray.Create(argument);

        private static IPropertyReferenceOperation? GetRowProperty(IOperation operation)
        {
            var current = operation.WalkDownConversion();
            if (current is not IPropertyReferenceOperation property)
            {
                return null;
            }

            // Walk down navigations (p.Doctor.Name) to the lambda parameter the path starts from.
            IOperation? instance = property.Instance?.WalkDownConversion();
            while (instance is IPropertyReferenceOperation navigation)
            {
                instance = navigation.Instance?.WalkDownConversion();
            }

            return instance is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } }
                ? property
                : null;
        }
    }
}
