using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Pagination
{
    /// <summary>
    /// BA4002: Take(x) on an EF Core query where x comes straight from the client (an endpoint parameter, or a
    /// property of a [FromQuery]/[AsParameters] model) and nothing bounds it: no Math.Min/Math.Clamp, no guard that
    /// compares it, no reassignment, no [Range] that validation enforces.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnboundedClientPageSizeAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.UnboundedClientPageSize,
            title: "Client-controlled page size is not bounded",
            messageFormat: "Take({0}) uses a page size the client chooses with no upper bound; clamp it (Math.Clamp) to a maximum",
            RuleCategories.Pagination,
            DiagnosticSeverity.Warning,
            description: "A page size taken from the request without an upper bound lets any client ask for the whole table in one page, undoing the paging. Clamp it, reject values above a maximum, or validate it with [Range].");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var endpoints = new EndpointModel(types);
                if (!types.HasEntityFramework || !endpoints.IsEnabled)
                {
                    return;
                }

                var queries = new QueryModel(types, new FunctionBodies(start.Compilation));
                var minimalValidation = new Lazy<bool>(() => CallsAddValidation(start.Compilation, start.CancellationToken));
                start.RegisterOperationAction(c => Analyze(c, types, endpoints, queries, minimalValidation), OperationKind.Invocation);
            });
        }

        /// <summary>.NET 10 minimal API validation (builder.Services.AddValidation()) enforces [Range] on handler parameters.</summary>
        private static bool CallsAddValidation(Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetText(cancellationToken).ToString().IndexOf("AddValidation(", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static void Analyze(OperationAnalysisContext context, KnownTypes types, EndpointModel endpoints, QueryModel queries, Lazy<bool> minimalValidation)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name != "Take" || !invocation.TargetMethod.ContainingType.IsSame(types.Queryable)
                || invocation.GetReceiverOrThisArgument() is not { } source || invocation.GetArgument(1) is not { } count)
            {
                return;
            }

            var value = count.WalkDownConversion();
            IParameterSymbol? parameter;
            IPropertySymbol? property = null;
            switch (value)
            {
                case IParameterReferenceOperation reference:
                    parameter = reference.Parameter;
                    break;
                case IPropertyReferenceOperation { Instance: IParameterReferenceOperation owner } propertyReference:
                    parameter = owner.Parameter;
                    property = propertyReference.Property;
                    break;
                default:
                    return; // a computed or local value: bounded somewhere we do not follow
            }

            var chain = queries.GetChain(source, context.CancellationToken);
            if (chain is null || !chain.IsEntityFramework)
            {
                return;
            }

            var endpoint = FindEndpoint(invocation, parameter, context.ContainingSymbol, endpoints, context.CancellationToken);
            if (endpoint is null)
            {
                return;
            }

            var bound = FindEndpointParameter(endpoint, parameter);
            if (bound is null || !IsFromClient(bound, property))
            {
                return;
            }

            var validated = endpoint.Kind == EndpointKind.ControllerAction
                ? endpoint.Handler.ContainingType is { } controller && endpoints.IsApiController(controller)
                : minimalValidation.Value;
            if (validated && (HasRange(parameter) || property is not null && HasRange(property)))
            {
                return;
            }

            var function = invocation.GetEnclosingFunction();
            if (function is null || IsBoundedInFunction(function, parameter, property))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, count.Syntax.GetLocation(), count.Syntax.ToString()));
        }

        private static Endpoint? FindEndpoint(IOperation operation, IParameterSymbol parameter, ISymbol containingSymbol, EndpointModel endpoints, CancellationToken cancellationToken)
        {
            if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } handler)
            {
                // A minimal API lambda or local function: find the Map* call it is passed to.
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation lambda && lambda.Symbol.IsSame(handler))
                    {
                        var parent = lambda.Parent;
                        while (parent is IConversionOperation or IDelegateCreationOperation or IArgumentOperation)
                        {
                            parent = parent.Parent;
                        }

                        return parent is IInvocationOperation map && EndpointModel.IsMapMethodName(map.TargetMethod.Name)
                            ? endpoints.GetMinimalApiEndpoint(map, cancellationToken)
                            : null;
                    }
                }

                return null;
            }

            return containingSymbol is IMethodSymbol method && parameter.ContainingSymbol.IsSame(method)
                ? endpoints.GetControllerAction(method, cancellationToken)
                : null;
        }

        private static EndpointParameter? FindEndpointParameter(Endpoint endpoint, IParameterSymbol parameter)
        {
            foreach (var candidate in endpoint.Parameters)
            {
                if (candidate.Parameter.Ordinal == parameter.Ordinal && candidate.Parameter.Name == parameter.Name)
                {
                    return candidate;
                }
            }

            return null;
        }

        private static bool IsFromClient(EndpointParameter bound, IPropertySymbol? property)
        {
            if (property is null)
            {
                return bound.Source is BindingSource.Query or BindingSource.Route or BindingSource.Header;
            }

            // A property of a model bound from the query string or [AsParameters] (or MVC model binding).
            return bound.Source is BindingSource.Query or BindingSource.AsParameters or BindingSource.ModelBinding or BindingSource.Body;
        }

        private static bool HasRange(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "RangeAttribute")
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Math.Min/Math.Clamp over the value, a comparison of it (a guard that rejects or caps), or a reassignment
        /// anywhere in the function counts as a bound: the rule does not try to prove the guard covers every path.
        /// </summary>
        private static bool IsBoundedInFunction(IOperation function, IParameterSymbol parameter, IPropertySymbol? property)
        {
            foreach (var operation in function.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation { TargetMethod.Name: "Min" or "Clamp" } call:
                        foreach (var argument in call.Arguments)
                        {
                            if (IsTheValue(argument.Value, parameter, property))
                            {
                                return true;
                            }
                        }

                        break;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } comparison
                        when IsTheValue(comparison.LeftOperand, parameter, property) || IsTheValue(comparison.RightOperand, parameter, property):
                        return true;
                    case IAssignmentOperation assignment when IsTheValue(assignment.Target, parameter, property):
                        return true;
                    case IIsPatternOperation pattern when IsTheValue(pattern.Value, parameter, property):
                        return true;
                }
            }

            return false;
        }

        private static bool IsTheValue(IOperation operation, IParameterSymbol parameter, IPropertySymbol? property)
        {
            operation = operation.WalkDownConversion();
            if (property is null)
            {
                return operation is IParameterReferenceOperation reference && reference.Parameter.IsSame(parameter);
            }

            return operation is IPropertyReferenceOperation { Instance: IParameterReferenceOperation owner } propertyReference
                && owner.Parameter.IsSame(parameter) && propertyReference.Property.IsSame(property);
        }
    }
}
