using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.DataAccess
{
    /// <summary>
    /// BA3010: Count()/LongCount()/CountAsync()/LongCountAsync() of an EF Core query compared with zero
    /// (<c>&gt; 0</c>, <c>!= 0</c>, <c>&gt;= 1</c>, <c>== 0</c>, <c>&lt; 1</c>, <c>&lt;= 0</c>, either side): the
    /// database counts every matching row to answer a yes/no question that Any() answers at the first row.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CountComparedToZeroAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "true" when the comparison asks whether there is none (the fix negates Any).</summary>
        public const string NegateProperty = "Negate";

        /// <summary>Diagnostic property: "Left" or "Right", the side of the comparison the count is on.</summary>
        public const string SideProperty = "Side";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.CountComparedToZero,
            title: "Count compared to zero",
            messageFormat: "'{0}' compared with zero counts every matching row to tell whether there is one; use '{1}', which stops at the first",
            RuleCategories.DataAccess,
            DiagnosticSeverity.Info,
            description: "COUNT(*) has to visit every matching row; EXISTS stops at the first one. To test whether a query has rows, use Any()/AnyAsync() (negated for 'none') instead of comparing Count() with zero.");

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
                start.RegisterOperationAction(context => Analyze(context, queries), OperationKind.Binary);
            });
        }

        private static void Analyze(OperationAnalysisContext context, QueryModel queries)
        {
            var binary = (IBinaryOperation)context.Operation;
            if (binary.OperatorMethod is not null || !IsComparison(binary.OperatorKind))
            {
                return;
            }

            bool countOnLeft;
            long constant;
            if (TryGetSmallConstant(binary.RightOperand, out constant))
            {
                countOnLeft = true;
            }
            else if (TryGetSmallConstant(binary.LeftOperand, out constant))
            {
                countOnLeft = false;
            }
            else
            {
                return;
            }

            var countSide = countOnLeft ? binary.LeftOperand : binary.RightOperand;
            if (countSide.WalkDownConversionAndAwait() is not IInvocationOperation count
                || count.TargetMethod.Name is not ("Count" or "LongCount" or "CountAsync" or "LongCountAsync"))
            {
                return;
            }

            // Read the comparison as "count OP constant".
            var kind = countOnLeft ? binary.OperatorKind : Mirror(binary.OperatorKind);
            bool? any = (kind, constant) switch
            {
                (BinaryOperatorKind.GreaterThan, 0) => true,
                (BinaryOperatorKind.NotEquals, 0) => true,
                (BinaryOperatorKind.GreaterThanOrEqual, 1) => true,
                (BinaryOperatorKind.Equals, 0) => false,
                (BinaryOperatorKind.LessThan, 1) => false,
                (BinaryOperatorKind.LessThanOrEqual, 0) => false,
                _ => null,
            };

            if (any is null)
            {
                return;
            }

            var types = queries.Types;
            var containing = count.TargetMethod.ContainingType;
            if (!containing.IsSame(types.Queryable) && !containing.IsSame(types.EntityFrameworkQueryableExtensions))
            {
                return;
            }

            var source = count.GetReceiverOrThisArgument()?.WalkDownConversion();
            var chain = source is null ? null : queries.GetChain(source, context.CancellationToken);
            if (chain is null || !chain.IsEntityFramework || chain.Contains("GroupBy"))
            {
                return;
            }

            var isAsync = count.TargetMethod.Name.EndsWith("Async", System.StringComparison.Ordinal);
            var replacement = (any.Value ? "" : "!") + (isAsync ? "AnyAsync()" : "Any()");
            var properties = ImmutableDictionary<string, string?>.Empty.Add(SideProperty, countOnLeft ? "Left" : "Right");
            if (!any.Value)
            {
                properties = properties.Add(NegateProperty, "true");
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, binary.Syntax.GetLocation(), properties, count.TargetMethod.Name + "()", replacement));
        }

        private static bool IsComparison(BinaryOperatorKind kind) =>
            kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

        private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
            BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
            BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
            _ => kind,
        };

        private static bool TryGetSmallConstant(IOperation operand, out long value)
        {
            value = -1;
            var constant = operand.WalkDownConversion().ConstantValue;
            if (!constant.HasValue)
            {
                constant = operand.ConstantValue;
            }

            switch (constant.HasValue ? constant.Value : null)
            {
                case int i when i is 0 or 1:
                    value = i;
                    return true;
                case long l when l is 0 or 1:
                    value = l;
                    return true;
                default:
                    return false;
            }
        }
    }
}
