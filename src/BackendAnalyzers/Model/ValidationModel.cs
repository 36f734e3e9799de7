using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Model
{
    /// <summary>
    /// Which validation reaches a request model: validation metadata on the model (ValidationAttribute on the type,
    /// its properties or its constructor parameters, IValidatableObject, one level into nested models), FluentValidation
    /// validators declared in the compilation, validators and ModelState reads in the handler, endpoint filters on the
    /// Map call or its groups, and the compilation-wide conventions (.NET 10 <c>AddValidation()</c>, MVC filters that
    /// read ModelState). The compilation-wide facts are read once per compilation, when a rule first asks.
    /// </summary>
    internal sealed class ValidationModel
    {
        private const int MaxDepth = 8;

        private readonly KnownTypes _types;
        private readonly Lazy<GlobalFacts> _facts;
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _metadata = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Func<ITypeSymbol, bool> _computeMetadata;

        /// <param name="types">The compilation's known types.</param>
        /// <param name="facts">Each file's facts, from the analyzer's per-tree cache (<see cref="FileFacts.CreateProvider"/>).</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        public ValidationModel(KnownTypes types, Func<SyntaxTree, FileFacts> facts, CancellationToken cancellationToken)
        {
            _types = types;
            _facts = new Lazy<GlobalFacts>(() => GlobalFacts.Read(types, facts, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
            _computeMetadata = type => HasMetadata(type, 0);
        }

        /// <summary><c>services.AddValidation()</c> somewhere in the compilation: DataAnnotations on minimal API parameters are enforced.</summary>
        public bool AddValidationCalled => _facts.Value.AddValidationCalled;

        /// <summary>An MVC filter (or an OnActionExecuting override) reads ModelState.IsValid: controllers may enforce validation through it.</summary>
        public bool HasModelStateFilter => _facts.Value.HasModelStateFilter;

        /// <summary>A FluentValidation validator (AbstractValidator&lt;T&gt;, IValidator&lt;T&gt;) for the model or one of its base types is declared in the compilation.</summary>
        public bool HasValidatorFor(ITypeSymbol model)
        {
            var validated = _facts.Value.ValidatedTypes;
            if (validated.Count == 0)
            {
                return false;
            }

            for (var current = model; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (validated.Contains(current.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The element type a request model stands for: the type itself, or the element of an array or collection
        /// (<c>List&lt;CreatePatient&gt;</c>); nullable value types are unwrapped.
        /// </summary>
        public ITypeSymbol ModelType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                return nullable.TypeArguments[0];
            }

            if (type is IArrayTypeSymbol array)
            {
                return array.ElementType;
            }

            if (type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1 && type.SpecialType != SpecialType.System_String
                && type.GetGenericInterfaceArgument(_types.IEnumerableOfT) is { } element)
            {
                return element;
            }

            return type;
        }

        /// <summary>
        /// Does the model have C# <c>required</c> members? System.Text.Json rejects a body that lacks one, which MVC
        /// turns into a model-state error (a 400 under [ApiController]) and minimal APIs into a 400 of their own.
        /// </summary>
        public bool HasRequiredMembers(ITypeSymbol model)
        {
            for (var current = ModelType(model) as INamedTypeSymbol; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Does MVC validate the model implicitly? With nullable reference types on, MVC treats every non-nullable
        /// reference-type property as [Required] (unless the application switches that off, which the rule cannot see).
        /// </summary>
        public bool HasImplicitlyRequiredMembers(ITypeSymbol model)
        {
            for (var current = ModelType(model) as INamedTypeSymbol; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, SetMethod: not null, DeclaredAccessibility: Accessibility.Public } property
                        && property.Type.IsReferenceType && property.NullableAnnotation == NullableAnnotation.NotAnnotated)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Does validation metadata reach the model (see the class summary)?</summary>
        public bool HasValidationMetadata(ITypeSymbol model) => _metadata.GetOrAdd(ModelType(model), _computeMetadata);

        private bool HasMetadata(ITypeSymbol type, int depth)
        {
            if (type is not INamedTypeSymbol named || named.TypeKind == TypeKind.Error)
            {
                return false;
            }

            if (named.IsOrImplements(_types.IValidatableObject))
            {
                return true;
            }

            for (var current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (HasValidationAttribute(current))
                {
                    return true;
                }

                foreach (var member in current.GetMembers())
                {
                    switch (member)
                    {
                        case IPropertySymbol { IsStatic: false, IsIndexer: false } property:
                            if (HasValidationAttribute(property))
                            {
                                return true;
                            }

                            if (depth == 0 && EndpointModel.IsComplexType(property.Type) && ModelType(property.Type) is INamedTypeSymbol nested
                                && nested.IsInSource() && !nested.IsSame(named) && HasMetadata(nested, depth + 1))
                            {
                                return true;
                            }

                            break;
                        case IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false } constructor:
                            foreach (var parameter in constructor.Parameters)
                            {
                                if (HasValidationAttribute(parameter))
                                {
                                    return true;
                                }
                            }

                            break;
                    }
                }
            }

            return false;
        }

        private bool HasValidationAttribute(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass.InheritsFromOrEquals(_types.ValidationAttribute))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>How far <see cref="HandlerValidates"/> follows the model into the methods it is passed to.</summary>
        private const int MaxCallDepth = 2;

        /// <summary>
        /// Does the handler body validate <paramref name="model"/> itself: a ModelState.IsValid / ErrorCount read,
        /// TryValidateModel, a FluentValidation validator used, or a call named *Validat* that is given the model
        /// (<c>Validator.TryValidateObject(model, ...)</c>, <c>model.Validate()</c>, <c>new ValidationContext(model)</c>)?
        /// With <paramref name="callee"/>, the model is followed into the methods of the compilation it is passed to
        /// (<c>_service.Add(student)</c>, whose body calls <c>_validator.ValidatePostStudent(student)</c>), two calls deep.
        /// </summary>
        public bool HandlerValidates(IOperation body, IParameterSymbol model, Func<IMethodSymbol, (IMethodSymbol Method, IOperation Body)?>? callee = null) =>
            Validates(body, model, callee, 0);

        private bool Validates(IOperation body, IParameterSymbol model, Func<IMethodSymbol, (IMethodSymbol Method, IOperation Body)?>? callee, int depth)
        {
            foreach (var operation in body.Descendants())
            {
                switch (operation)
                {
                    case IPropertyReferenceOperation { Property.Name: "IsValid" or "ErrorCount" or "ValidationState" } property
                        when property.Property.ContainingType.IsSame(_types.ModelStateDictionary):
                        return true;
                    case IInvocationOperation invocation:
                        var name = invocation.TargetMethod.Name;
                        if (name is "TryValidateModel" or "GetValidationState")
                        {
                            return true;
                        }

                        if (IsValidatorType(invocation.TargetMethod.ContainingType) || IsValidatorType(invocation.Instance?.Type))
                        {
                            return true;
                        }

                        if (name.IndexOf("Validat", StringComparison.Ordinal) >= 0 && MentionsParameter(invocation, model))
                        {
                            return true;
                        }

                        if (callee is not null && depth < MaxCallDepth && PassedOn(invocation, model, callee, depth))
                        {
                            return true;
                        }

                        break;
                    case IObjectCreationOperation creation when creation.Type?.Name == "ValidationContext" && MentionsParameter(creation, model):
                        return true;
                    case IParameterReferenceOperation reference when IsValidatorType(reference.Type):
                    case IFieldReferenceOperation field when IsValidatorType(field.Type):
                    case IPropertyReferenceOperation validatorProperty when IsValidatorType(validatorProperty.Type):
                        return true;
                }
            }

            return false;
        }

        /// <summary>The model is passed, as it is, to a method of the compilation that validates its parameter.</summary>
        private bool PassedOn(IInvocationOperation invocation, IParameterSymbol model, Func<IMethodSymbol, (IMethodSymbol Method, IOperation Body)?> callee, int depth)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.WalkDownConversion() is not IParameterReferenceOperation reference || !reference.Parameter.IsSame(model)
                    || argument.Parameter is not { } parameter)
                {
                    continue;
                }

                if (callee(invocation.TargetMethod) is { } target && parameter.Ordinal < target.Method.Parameters.Length
                    && Validates(target.Body, target.Method.Parameters[parameter.Ordinal], callee, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsValidatorType(ITypeSymbol? type) => _types.FluentValidatorOfT is not null && type.IsOrImplements(_types.FluentValidatorOfT);

        private static bool MentionsParameter(IOperation operation, IParameterSymbol parameter)
        {
            foreach (var child in operation.Descendants())
            {
                if (child is IParameterReferenceOperation reference && reference.Parameter.IsSame(parameter))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Validation attributes or a name with "Validat" ([ValidateModel], a custom action filter) on the action, its controller or the parameter.</summary>
        public bool HasValidationFilterAttribute(IMethodSymbol action, IParameterSymbol parameter)
        {
            if (HasValidationNamedAttribute(action) || HasValidationNamedAttribute(parameter))
            {
                return true;
            }

            for (var type = action.ContainingType; type is not null; type = type.BaseType)
            {
                if (HasValidationNamedAttribute(type))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasValidationNamedAttribute(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name.IndexOf("Validat", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Does an endpoint filter (AddEndpointFilter, AddEndpointFilterFactory, or a convention named *Validation*)
        /// reach the minimal API endpoint: after the Map call, or on a group it is mapped into?
        /// </summary>
        public bool HasEndpointFilter(IInvocationOperation mapInvocation)
        {
            if (EndpointModel.HasConventionAfter(mapInvocation, IsFilterCall))
            {
                return true;
            }

            return mapInvocation.GetReceiverOrThisArgument() is { } receiver && IsFilteredBuilder(receiver, 0);
        }

        /// <summary><c>.DisableValidation()</c> on the Map call: .NET 10 validation is switched off for the endpoint.</summary>
        public bool IsValidationDisabled(IInvocationOperation mapInvocation) =>
            EndpointModel.HasConventionAfter(mapInvocation, name => name == "DisableValidation");

        private static bool IsFilterCall(string name) =>
            name is "AddEndpointFilter" or "AddEndpointFilterFactory"
            || name.IndexOf("Validat", StringComparison.Ordinal) >= 0 && name != "DisableValidation";

        private bool IsFilteredBuilder(IOperation builder, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            switch (builder.WalkDownConversion())
            {
                case IInvocationOperation invocation:
                    if (IsFilterCall(invocation.TargetMethod.Name))
                    {
                        return true;
                    }

                    return invocation.GetReceiverOrThisArgument() is { } receiver && IsFilteredBuilder(receiver, depth + 1);
                case ILocalReferenceOperation local:
                    foreach (var operation in local.GetRoot().Descendants())
                    {
                        if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local.Local) && declarator.Initializer is { } initializer
                            && IsFilteredBuilder(initializer.Value, depth + 1))
                        {
                            return true;
                        }

                        if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(local.Local)
                            && IsFilteredBuilder(assignment.Value, depth + 1))
                        {
                            return true;
                        }
                    }

                    return EndpointModel.HasConventionLater(local.Local, local, IsFilterCall);
                case IParameterReferenceOperation:
                    // MapPatientEndpoints(this RouteGroupBuilder group): the caller may have added a filter to the group.
                    return _facts.Value.HasEndpointFilter;
                default:
                    return false;
            }
        }


        /// <summary>
        /// What one file says about validation, read from its syntax alone: AddValidation and endpoint-filter calls,
        /// ModelState.IsValid read in an MVC filter, and the classes that may be FluentValidation validators (a generic
        /// base named *Validator, or a class named *Validator with a base). An analyzer keeps them per tree for its
        /// lifetime, so an edit re-reads one file; the model binds only the candidate validators' declarations.
        /// </summary>
        internal sealed class FileFacts
        {
            private static readonly FileFacts Nothing = new FileFacts(false, false, false, ImmutableArray<TextSpan>.Empty);

            private FileFacts(bool addValidation, bool endpointFilter, bool modelStateFilter, ImmutableArray<TextSpan> validatorCandidates)
            {
                AddValidationCalled = addValidation;
                HasEndpointFilter = endpointFilter;
                HasModelStateFilter = modelStateFilter;
                ValidatorCandidates = validatorCandidates;
            }

            public bool AddValidationCalled { get; }

            public bool HasEndpointFilter { get; }

            public bool HasModelStateFilter { get; }

            public ImmutableArray<TextSpan> ValidatorCandidates { get; }

            public static SyntaxTreeValueProvider<FileFacts> CreateProvider() => new SyntaxTreeValueProvider<FileFacts>(tree => Read(tree, CancellationToken.None));

            public static FileFacts Read(SyntaxTree tree, CancellationToken cancellationToken)
            {
                var text = tree.GetText(cancellationToken).ToString();
                var mentionsValidation = text.IndexOf("AddValidation", StringComparison.Ordinal) >= 0;
                var mentionsModelState = text.IndexOf("ModelState", StringComparison.Ordinal) >= 0;
                var mentionsFilter = text.IndexOf("EndpointFilter", StringComparison.Ordinal) >= 0;
                var mentionsValidator = text.IndexOf("Validator", StringComparison.Ordinal) >= 0;
                if (!mentionsValidation && !mentionsModelState && !mentionsFilter && !mentionsValidator)
                {
                    return Nothing;
                }

                bool addValidation = false, endpointFilter = false, modelStateFilter = false;
                var candidates = ImmutableArray.CreateBuilder<TextSpan>();
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                {
                    switch (node)
                    {
                        case InvocationExpressionSyntax invocation:
                            var name = SyntaxNames.LastIdentifier(invocation.Expression);
                            if (name == "AddValidation")
                            {
                                addValidation = true;
                            }
                            else if (name is "AddEndpointFilter" or "AddEndpointFilterFactory")
                            {
                                endpointFilter = true;
                            }

                            break;
                        case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsValid" } access when mentionsModelState && SyntaxNames.LastIdentifier(access.Expression) == "ModelState":
                            modelStateFilter |= GlobalFacts.IsInFilter(access);
                            break;
                        case ClassDeclarationSyntax { BaseList: { } baseList } declaration when mentionsValidator && MayBeValidator(declaration, baseList):
                            candidates.Add(declaration.Span);
                            break;
                    }
                }

                return !addValidation && !endpointFilter && !modelStateFilter && candidates.Count == 0
                    ? Nothing
                    : new FileFacts(addValidation, endpointFilter, modelStateFilter, candidates.ToImmutable());
            }

            private static bool MayBeValidator(ClassDeclarationSyntax declaration, BaseListSyntax baseList)
            {
                if (declaration.Identifier.ValueText.EndsWith("Validator", StringComparison.Ordinal))
                {
                    return true;
                }

                foreach (var baseType in baseList.Types)
                {
                    if (SyntaxNames.LastIdentifier(baseType.Type) is { } name && name.EndsWith("Validator", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private sealed class GlobalFacts
        {
            public bool AddValidationCalled { get; private set; }

            public bool HasModelStateFilter { get; private set; }

            public bool HasEndpointFilter { get; private set; }

            public HashSet<ITypeSymbol> ValidatedTypes { get; } = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);

            public static GlobalFacts Read(KnownTypes types, Func<SyntaxTree, FileFacts> read, CancellationToken cancellationToken)
            {
                var facts = new GlobalFacts();
                var compilation = types.Compilation;
                foreach (var tree in compilation.SyntaxTrees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var file = read(tree);
                    facts.AddValidationCalled |= file.AddValidationCalled;
                    facts.HasEndpointFilter |= file.HasEndpointFilter;
                    facts.HasModelStateFilter |= file.HasModelStateFilter;
                    if (types.FluentValidatorOfT is not { } validatorOfT || file.ValidatorCandidates.IsEmpty)
                    {
                        continue;
                    }

                    // Only the classes whose declaration looks like a validator are bound, and only their declarations.
#pragma warning disable RS1030 // The candidate declarations are in other files than the one analyzed; the model is made once per file.
                    var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                    var root = tree.GetRoot(cancellationToken);
                    foreach (var span in file.ValidatorCandidates)
                    {
                        if (span.End > root.FullSpan.End || root.FindNode(span).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
                            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { TypeKind: TypeKind.Class } type)
                        {
                            continue;
                        }

                        foreach (var implemented in type.AllInterfaces)
                        {
                            if (implemented.OriginalDefinition.IsSame(validatorOfT) && implemented.TypeArguments.Length == 1
                                && implemented.TypeArguments[0].TypeKind != TypeKind.TypeParameter)
                            {
                                var target = implemented.TypeArguments[0].OriginalDefinition;
                                facts.ValidatedTypes.Add(target);
                                AddWrappedModels(target, facts.ValidatedTypes);
                            }
                        }
                    }
                }

                return facts;
            }

            /// <summary>
            /// The request models a validated type wraps: with MediatR-style handlers the endpoint binds a model and sends
            /// <c>new Command(model, slug)</c>, and the validator is written for the command
            /// (<c>RuleFor(x =&gt; x.Model.Title)</c>). The source-declared types of the target's properties count as
            /// validated too, one level down.
            /// </summary>
            private static void AddWrappedModels(ITypeSymbol target, HashSet<ITypeSymbol> validated)
            {
                foreach (var member in target.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                    {
                        var type = property.Type is IArrayTypeSymbol array ? array.ElementType : property.Type;
                        if (type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named && named.Locations.Length > 0 && named.Locations[0].IsInSource)
                        {
                            validated.Add(named.OriginalDefinition);
                        }
                    }
                }
            }

            /// <summary>ModelState.IsValid read in an MVC filter class or an OnActionExecuting/OnActionExecutionAsync override.</summary>
            internal static bool IsInFilter(SyntaxNode node)
            {
                var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method is not null && method.Identifier.ValueText.StartsWith("OnAction", StringComparison.Ordinal))
                {
                    return true;
                }

                var type = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
                if (type?.BaseList is null)
                {
                    return false;
                }

                foreach (var baseType in type.BaseList.Types)
                {
                    if (SyntaxNames.LastIdentifier(baseType.Type)?.IndexOf("Filter", StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
