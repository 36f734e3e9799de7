using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Validation
{
    /// <summary>
    /// BA1001: an endpoint binds a complex model from the body or form and no validation path reaches it. Controllers:
    /// validation metadata enforced by [ApiController], a ModelState read or a filter; minimal APIs: metadata enforced by
    /// .NET 10 <c>AddValidation()</c>, or an endpoint filter. Either kind: a FluentValidation validator for the model in
    /// the compilation, or a validator the handler calls.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RequestModelNotValidatedAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "true" when the code fix can insert a ModelState check at the start of the action.</summary>
        public const string FixableProperty = "Fixable";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.RequestModelNotValidated,
            title: "Request model is never validated",
            messageFormat: "Request model '{0}' is never validated: {1}",
            RuleCategories.Validation,
            DiagnosticSeverity.Warning,
            description: "A model read from the request body or form reaches the handler unchecked when nothing validates it. Put validation attributes on the model and let [ApiController], a ModelState check, AddValidation() or an endpoint filter enforce them, or validate it with a FluentValidation validator.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        // Each file's validation facts, kept for the analyzer's lifetime: after an edit only the edited file is read again.
        private readonly SyntaxTreeValueProvider<ValidationModel.FileFacts> _validationFacts = ValidationModel.FileFacts.CreateProvider();

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var endpoints = new EndpointModel(types);
                if (!endpoints.IsEnabled)
                {
                    return;
                }

                var bodies = new FunctionBodies(start.Compilation);
                var analyzer = new Analyzer(endpoints, new QueryModel(types, bodies), new ValidationModel(types, tree => start.TryGetValue(tree, _validationFacts, out var facts) ? facts : ValidationModel.FileFacts.Read(tree, start.CancellationToken), start.CancellationToken), bodies);
                if (types.ControllerBase is not null)
                {
                    start.RegisterSymbolStartAction(
                        symbolStart =>
                        {
                            if (endpoints.IsControllerType((INamedTypeSymbol)symbolStart.Symbol))
                            {
                                symbolStart.RegisterOperationBlockAction(analyzer.AnalyzeAction);
                            }
                        },
                        SymbolKind.NamedType);
                }

                if (types.EndpointRouteBuilderExtensions is not null)
                {
                    start.RegisterOperationAction(analyzer.AnalyzeMapInvocation, OperationKind.Invocation);
                }
            });
        }

        private sealed class Analyzer
        {
            private readonly EndpointModel _endpoints;
            private readonly ValidationModel _validation;
            private readonly FunctionBodies _bodies;
            private readonly KnownTypes _types;

            // The implementation and body of a method the model is passed to (through single-implementation interfaces).
            private readonly Func<IMethodSymbol, (IMethodSymbol Method, IOperation Body)?> _callee;

            public Analyzer(EndpointModel endpoints, QueryModel queries, ValidationModel validation, FunctionBodies bodies)
            {
                _endpoints = endpoints;
                _callee = method => queries.ResolveImplementation(method) is { } implementation && bodies.GetBody(implementation, CancellationToken.None) is { } body
                    ? (implementation, body)
                    : null;
                _validation = validation;
                _bodies = bodies;
                _types = endpoints.Types;
            }

            public void AnalyzeAction(OperationBlockAnalysisContext context)
            {
                if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || method.Parameters.Length == 0)
                {
                    return;
                }

                var endpoint = _endpoints.GetControllerAction(method, context.CancellationToken);
                if (endpoint is null)
                {
                    return;
                }

                IOperation? body = null;
                foreach (var block in context.OperationBlocks)
                {
                    if (block.Kind is OperationKind.Block or OperationKind.MethodBody)
                    {
                        body = block;
                    }
                }

                if (body is null)
                {
                    return;
                }

                var apiController = _endpoints.IsApiController(method.ContainingType);
                foreach (var parameter in endpoint.Parameters)
                {
                    var model = Candidate(parameter);
                    if (model is null || _validation.HasValidatorFor(model) || _validation.HandlerValidates(body, parameter.Parameter, _callee)
                        || _validation.HasValidationFilterAttribute(method, parameter.Parameter))
                    {
                        continue;
                    }

                    // Under [ApiController], required members and (with nullable reference types) non-nullable
                    // reference properties are checked by MVC itself and answered with a 400.
                    if ((apiController || _validation.HasModelStateFilter)
                        && (_validation.HasRequiredMembers(model) || _validation.HasImplicitlyRequiredMembers(model)))
                    {
                        continue;
                    }

                    var hasMetadata = _validation.HasValidationMetadata(model);
                    string reason;
                    var fixable = false;
                    if (hasMetadata)
                    {
                        if (apiController || _validation.HasModelStateFilter)
                        {
                            continue;
                        }

                        reason = "the controller has no [ApiController] and the action never checks ModelState.IsValid, so its validation attributes are not enforced";
                        fixable = IsFixableAction(method, endpoint.HandlerSyntax);
                    }
                    else
                    {
                        reason = "it has no validation attributes, is not IValidatableObject and no validator exists for it";
                    }

                    Report(context.ReportDiagnostic, parameter.Parameter, model, reason, fixable);
                }
            }

            public void AnalyzeMapInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                if (!EndpointModel.IsMapMethodName(invocation.TargetMethod.Name))
                {
                    return;
                }

                var endpoint = _endpoints.GetMinimalApiEndpoint(invocation, context.CancellationToken);
                if (endpoint is null || endpoint.HandlerArgument is null)
                {
                    return;
                }

                var handler = endpoint.HandlerArgument.WalkDownConversion();
                if (handler is IDelegateCreationOperation creation)
                {
                    handler = creation.Target.WalkDownConversion();
                }

                var body = handler switch
                {
                    IAnonymousFunctionOperation lambda => lambda.Body,
                    IMethodReferenceOperation => _bodies.GetBody(endpoint.Handler, context.CancellationToken),
                    _ => null,
                };
                if (body is null)
                {
                    return;
                }

                bool? filtered = null;
                foreach (var parameter in endpoint.Parameters)
                {
                    var model = Candidate(parameter);
                    if (model is null || _validation.HasValidatorFor(model) || _validation.HandlerValidates(body, parameter.Parameter, _callee)
                        || _validation.HasRequiredMembers(model))
                    {
                        continue;
                    }

                    filtered ??= _validation.HasEndpointFilter(invocation);
                    if (filtered.Value)
                    {
                        return;
                    }

                    string reason;
                    if (_validation.HasValidationMetadata(model))
                    {
                        if (_validation.AddValidationCalled && !_validation.IsValidationDisabled(invocation))
                        {
                            continue;
                        }

                        reason = "minimal APIs enforce its validation attributes only with builder.Services.AddValidation() or an endpoint filter";
                    }
                    else
                    {
                        reason = "it has no validation attributes, is not IValidatableObject and no validator or endpoint filter checks it";
                    }

                    Report(context.ReportDiagnostic, parameter.Parameter, model, reason, fixable: false);
                }
            }

            private static void Report(System.Action<Diagnostic> report, IParameterSymbol parameter, ITypeSymbol model, string reason, bool fixable)
            {
                if (parameter.Locations.Length == 0 || !parameter.Locations[0].IsInSource)
                {
                    return;
                }

                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, fixable ? "true" : "false");
                report(Diagnostic.Create(Rule, parameter.Locations[0], properties, model.Name, reason));
            }

            /// <summary>The model type when the parameter is a body/form-bound model declared in source with something to validate.</summary>
            private ITypeSymbol? Candidate(EndpointParameter parameter)
            {
                if (!parameter.IsRequestModel)
                {
                    return null;
                }

                var model = _validation.ModelType(parameter.Parameter.Type);
                if (model is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named || !named.IsInSource()
                    || named.IsOrImplements(_types.IFormFile) || named.InheritsFromOrEquals(_types.HttpContext) || named.IsSame(_types.CancellationToken))
                {
                    return null;
                }

                return HasValuesToValidate(named) ? named : null;
            }

            /// <summary>A model with nothing but flags (or no properties) has nothing a validator could check.</summary>
            private static bool HasValuesToValidate(INamedTypeSymbol type)
            {
                for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
                {
                    foreach (var member in current.GetMembers())
                    {
                        if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property)
                        {
                            var propertyType = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                                ? nullable.TypeArguments[0]
                                : property.Type;
                            if (propertyType.SpecialType != SpecialType.System_Boolean)
                            {
                                return true;
                            }
                        }
                    }
                }

                return false;
            }

            /// <summary>A ControllerBase action with a block body returning IActionResult/ActionResult/ActionResult&lt;T&gt; (or a Task of one): ValidationProblem(ModelState) can be returned.</summary>
            private bool IsFixableAction(IMethodSymbol method, SyntaxNode? syntax)
            {
                if (!method.ContainingType.InheritsFromOrEquals(_types.ControllerBase) || syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { Body: not null })
                {
                    return false;
                }

                var returned = method.ReturnType.UnwrapTask(_types);
                if (returned is null)
                {
                    return false;
                }

                // Task<IActionResult> without async: a bare `return ValidationProblem(...)` would not compile.
                if (method.ReturnType.IsTaskLike(_types) && !method.IsAsync)
                {
                    return false;
                }

                return returned.IsSame(_types.IActionResult) || returned.IsSame(_types.ActionResult)
                    || returned is INamedTypeSymbol { IsGenericType: true } generic && generic.OriginalDefinition.IsSame(_types.ActionResultOfT);
            }
        }
    }
}
