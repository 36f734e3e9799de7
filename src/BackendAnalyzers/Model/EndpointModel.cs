using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>
    /// Answers "is this an HTTP endpoint, and what does it bind and return?" for controller actions and minimal API
    /// handlers. One instance per compilation (created in a compilation-start action); thread-safe.
    /// </summary>
    internal sealed class EndpointModel
    {
        private readonly KnownTypes _types;
        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _controllerTypes = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Func<INamedTypeSymbol, bool> _computeIsController;
        private readonly FunctionBodies? _bodies;
        private ImmutableDictionary<IMethodSymbol, Endpoint>? _methodGroupHandlers;

        public EndpointModel(KnownTypes types)
            : this(types, bodies: null)
        {
        }

        /// <summary>
        /// With <paramref name="bodies"/>, the model can also tell which methods and local functions are minimal API
        /// handlers passed as method groups (<c>app.MapGet("/x", GetPatient)</c>), by reading the Map* calls of the
        /// whole compilation once (see <see cref="GetMethodGroupEndpoint"/>).
        /// </summary>
        public EndpointModel(KnownTypes types, FunctionBodies? bodies)
        {
            _types = types;
            _bodies = bodies;
            _computeIsController = ComputeIsController;
        }

        public KnownTypes Types => _types;

        /// <summary>False when the compilation references neither MVC nor minimal APIs: rules then register nothing.</summary>
        public bool IsEnabled => _types.ControllerBase is not null || _types.EndpointRouteBuilderExtensions is not null;

        /// <summary>The Map* methods whose delegate becomes a minimal API endpoint, checked by name before any symbol work.</summary>
        public static bool IsMapMethodName(string name) => name switch
        {
            "Map" or "MapGet" or "MapPost" or "MapPut" or "MapPatch" or "MapDelete" or "MapMethods" or "MapFallback" => true,
            _ => false,
        };

        public bool IsControllerType(INamedTypeSymbol? type)
        {
            if (type is null || type.TypeKind != TypeKind.Class)
            {
                return false;
            }

            return _controllerTypes.GetOrAdd(type, _computeIsController);
        }

        private bool ComputeIsController(INamedTypeSymbol type)
        {
            if (type.IsAbstract || type.IsStatic || type.DeclaredAccessibility != Accessibility.Public || type.IsGenericType && type.IsUnboundGenericType)
            {
                return false;
            }

            if (type.HasAttributeInHierarchy(_types.NonControllerAttribute))
            {
                return false;
            }

            return type.InheritsFromOrEquals(_types.ControllerBase)
                || type.HasAttributeInHierarchy(_types.ApiControllerAttribute)
                || type.HasAttributeInHierarchy(_types.ControllerAttribute)
                || IsPocoController(type);
        }

        /// <summary>
        /// MVC also takes a public top-level class whose name ends in "Controller" as a controller, with no base class.
        /// Such a class is counted only when it routes its own actions ([Route] on it, or [HttpGet]-style attributes on
        /// a public method), so a service that happens to be named *Controller is not taken for one.
        /// </summary>
        private bool IsPocoController(INamedTypeSymbol type)
        {
            if (type.ContainingType is not null || type.TypeKind != TypeKind.Class || !type.Name.EndsWith("Controller", StringComparison.Ordinal)
                || _types.RouteAttribute is null)
            {
                return false;
            }

            if (type.HasAttributeInHierarchy(_types.RouteAttribute))
            {
                return true;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public } method)
                {
                    foreach (var attribute in method.GetAttributes())
                    {
                        if (attribute.AttributeClass.InheritsFromOrEquals(_types.HttpMethodAttribute))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>True when [ApiController] applies to the controller (on it, a base class, or the assembly).</summary>
        public bool IsApiController(INamedTypeSymbol controller)
        {
            if (controller.HasAttributeInHierarchy(_types.ApiControllerAttribute))
            {
                return true;
            }

            return controller.ContainingAssembly.HasAttribute(_types.ApiControllerAttribute);
        }

        /// <summary>Is the method an action of a controller: public, not static, not [NonAction], not a special member.</summary>
        public bool IsControllerAction(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.IsAbstract || method.IsGenericMethod
                || method.DeclaredAccessibility != Accessibility.Public || method.IsOverride && IsFrameworkOverride(method))
            {
                return false;
            }

            if (!IsControllerType(method.ContainingType) || method.HasAttribute(_types.NonActionAttribute))
            {
                return false;
            }

            // Dispose and the IActionFilter/IAsyncActionFilter members of Controller are not actions.
            return method.Name is not ("Dispose" or "OnActionExecuting" or "OnActionExecuted" or "OnActionExecutionAsync");
        }

        private static bool IsFrameworkOverride(IMethodSymbol method)
        {
            var overridden = method.OverriddenMethod;
            return overridden is not null && !overridden.IsInSource();
        }

        public Endpoint? GetControllerAction(IMethodSymbol method, CancellationToken cancellationToken)
        {
            if (!IsControllerAction(method))
            {
                return null;
            }

            var controller = method.ContainingType;
            var apiController = IsApiController(controller);
            var verbs = GetActionVerbs(method);
            var route = GetActionRoute(method);
            // Route parameters can come from the action's template or the controller's [Route].
            var routeTemplates = route + " " + GetControllerRoute(controller);
            var builder = ImmutableArray.CreateBuilder<EndpointParameter>(method.Parameters.Length);
            foreach (var parameter in method.Parameters)
            {
                builder.Add(ClassifyParameter(parameter, EndpointKind.ControllerAction, apiController, routeTemplates));
            }

            var syntax = method.DeclaringSyntaxReferences.Length > 0 ? method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) : null;
            return new Endpoint(EndpointKind.ControllerAction, method, syntax, null, null, verbs, route, builder.MoveToImmutable(), GetResponseType(method.ReturnType));
        }

        private ImmutableArray<string> GetActionVerbs(IMethodSymbol method)
        {
            var verbs = ImmutableArray.CreateBuilder<string>();
            foreach (var attribute in method.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass is null)
                {
                    continue;
                }

                if (attributeClass.InheritsFromOrEquals(_types.AcceptVerbsAttribute))
                {
                    foreach (var argument in attribute.ConstructorArguments)
                    {
                        if (argument.Kind == TypedConstantKind.Array)
                        {
                            foreach (var value in argument.Values)
                            {
                                if (value.Value is string verb)
                                {
                                    verbs.Add(verb.ToUpperInvariant());
                                }
                            }
                        }
                        else if (argument.Value is string single)
                        {
                            verbs.Add(single.ToUpperInvariant());
                        }
                    }
                }
                else if (attributeClass.InheritsFromOrEquals(_types.HttpMethodAttribute))
                {
                    var verb = VerbFromAttributeName(attributeClass);
                    if (verb is not null)
                    {
                        verbs.Add(verb);
                    }
                }
            }

            return verbs.ToImmutable();
        }

        private static string? VerbFromAttributeName(INamedTypeSymbol attributeClass)
        {
            // HttpGetAttribute, HttpPostAttribute, ... and user-defined subclasses named the same way.
            for (var current = attributeClass; current is not null; current = current.BaseType)
            {
                var name = current.Name;
                if (name.StartsWith("Http", StringComparison.Ordinal) && name.EndsWith("Attribute", StringComparison.Ordinal) && name.Length > "HttpAttribute".Length)
                {
                    var verb = name.Substring(4, name.Length - 4 - "Attribute".Length).ToUpperInvariant();
                    if (verb is "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS")
                    {
                        return verb;
                    }
                }
            }

            return null;
        }

        private string? GetActionRoute(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if ((attribute.AttributeClass.InheritsFromOrEquals(_types.HttpMethodAttribute) || attribute.AttributeClass.InheritsFromOrEquals(_types.RouteAttribute))
                    && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string template)
                {
                    return template;
                }
            }

            return null;
        }

        private string? GetControllerRoute(INamedTypeSymbol controller)
        {
            for (var current = controller; current is not null; current = current.BaseType)
            {
                foreach (var attribute in current.GetAttributes())
                {
                    if (attribute.AttributeClass.InheritsFromOrEquals(_types.RouteAttribute)
                        && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string template)
                    {
                        return template;
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// Reads a Map*(pattern, handler) call. Returns null when the invocation is not a minimal API mapping or the
        /// handler cannot be resolved (half-typed code).
        /// </summary>
        public Endpoint? GetMinimalApiEndpoint(IInvocationOperation invocation, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod;
            if (!IsMapMethodName(method.Name) || _types.EndpointRouteBuilderExtensions is null
                || !method.ContainingType.IsSame(_types.EndpointRouteBuilderExtensions))
            {
                return null;
            }

            IOperation? handlerArgument = null;
            string? pattern = null;
            var verbs = ImmutableArray<string>.Empty;
            foreach (var argument in invocation.Arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null)
                {
                    continue;
                }

                if (parameter.Name == "handler" || parameter.Type.Name == "Delegate")
                {
                    handlerArgument = argument.Value;
                }
                else if (parameter.Name == "pattern" && argument.Value.ConstantValue is { HasValue: true, Value: string p })
                {
                    pattern = p;
                }
                else if (parameter.Name == "httpMethods")
                {
                    verbs = ReadConstantStrings(argument.Value);
                }
            }

            if (handlerArgument is null)
            {
                return null;
            }

            verbs = method.Name switch
            {
                "MapGet" => ImmutableArray.Create("GET"),
                "MapPost" => ImmutableArray.Create("POST"),
                "MapPut" => ImmutableArray.Create("PUT"),
                "MapPatch" => ImmutableArray.Create("PATCH"),
                "MapDelete" => ImmutableArray.Create("DELETE"),
                _ => verbs,
            };

            var (handler, handlerSyntax) = ResolveHandler(handlerArgument, cancellationToken);
            if (handler is null)
            {
                return null;
            }

            var builder = ImmutableArray.CreateBuilder<EndpointParameter>(handler.Parameters.Length);
            foreach (var parameter in handler.Parameters)
            {
                builder.Add(ClassifyParameter(parameter, EndpointKind.MinimalApi, apiController: false, pattern));
            }

            return new Endpoint(EndpointKind.MinimalApi, handler, handlerSyntax, invocation, handlerArgument, verbs, pattern, builder.MoveToImmutable(), GetResponseType(handler.ReturnType));
        }

        /// <summary>
        /// The minimal API endpoint whose handler is this lambda (<c>app.MapGet("/x", (...) => ...)</c>, also inside
        /// MapGroup chains), or null when the lambda is not passed as the handler of a Map* call.
        /// </summary>
        public Endpoint? GetMinimalApiEndpointForLambda(IAnonymousFunctionOperation lambda, CancellationToken cancellationToken)
        {
            IOperation current = lambda;
            while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
            {
                current = current.Parent;
            }

            if (current.Parent is not IArgumentOperation { Parent: IInvocationOperation invocation } || !IsMapMethodName(invocation.TargetMethod.Name))
            {
                return null;
            }

            var endpoint = GetMinimalApiEndpoint(invocation, cancellationToken);
            return endpoint is not null && endpoint.HandlerSyntax == lambda.Syntax ? endpoint : null;
        }

        /// <summary>
        /// The minimal API endpoint that maps this method or local function as a method group, or null. The Map* calls of
        /// the whole compilation are read on the first call (a syntactic filter, then binding of the Map* calls that pass
        /// a method group) and kept for the compilation. Null when the model was created without function bodies.
        /// </summary>
        public Endpoint? GetMethodGroupEndpoint(IMethodSymbol method, CancellationToken cancellationToken)
        {
            if (_bodies is null || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
            {
                return null;
            }

            var index = _methodGroupHandlers ?? BuildMethodGroupIndex(cancellationToken);
            return index.TryGetValue(method.OriginalDefinition, out var endpoint) ? endpoint : null;
        }

        private ImmutableDictionary<IMethodSymbol, Endpoint> BuildMethodGroupIndex(CancellationToken cancellationToken)
        {
            var builder = ImmutableDictionary.CreateBuilder<IMethodSymbol, Endpoint>(SymbolEqualityComparer.Default);
            if (_types.EndpointRouteBuilderExtensions is not null)
            {
                foreach (var tree in _types.Compilation.SyntaxTrees)
                {
                    SemanticModel? model = null;
                    foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                    {
                        if (node is not InvocationExpressionSyntax call || !IsMapMethodName(GetCalledName(call.Expression)) || !PassesMethodGroup(call))
                        {
                            continue;
                        }

                        model ??= _bodies!.GetSemanticModel(tree);
                        if (model.GetOperation(call, cancellationToken) is IInvocationOperation invocation
                            && GetMinimalApiEndpoint(invocation, cancellationToken) is { } endpoint
                            && endpoint.Handler.MethodKind != MethodKind.AnonymousFunction
                            && !builder.ContainsKey(endpoint.Handler.OriginalDefinition))
                        {
                            builder.Add(endpoint.Handler.OriginalDefinition, endpoint);
                        }
                    }
                }
            }

            Interlocked.CompareExchange(ref _methodGroupHandlers, builder.ToImmutable(), null);
            return _methodGroupHandlers!;
        }

        private static string GetCalledName(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax name => name.Identifier.ValueText,
            _ => string.Empty,
        };

        private static bool PassesMethodGroup(InvocationExpressionSyntax call)
        {
            foreach (var argument in call.ArgumentList.Arguments)
            {
                if (argument.Expression is SimpleNameSyntax or MemberAccessExpressionSyntax)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The endpoint an operation belongs to: the controller action whose body holds it, the minimal API handler
        /// lambda around it (the nearest enclosing one that is a handler), or (when the model has function bodies) the
        /// method or local function mapped as a method group. <paramref name="isInnermost"/> tells whether the operation
        /// runs in the handler's own body rather than in a lambda or local function nested in it.
        /// </summary>
        public Endpoint? GetEnclosingEndpoint(IOperation operation, ISymbol containingSymbol, out bool isInnermost, CancellationToken cancellationToken)
        {
            isInnermost = true;
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    if (GetMinimalApiEndpointForLambda(lambda, cancellationToken) is { } endpoint)
                    {
                        return endpoint;
                    }

                    isInnermost = false;
                }
                else if (current is ILocalFunctionOperation local)
                {
                    if (GetMethodGroupEndpoint(local.Symbol, cancellationToken) is { } mapped)
                    {
                        return mapped;
                    }

                    isInnermost = false;
                }
            }

            var member = containingSymbol;
            while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested)
            {
                member = nested.ContainingSymbol;
            }

            if (member is not IMethodSymbol method)
            {
                return null;
            }

            return GetControllerAction(method, cancellationToken) ?? GetMethodGroupEndpoint(method, cancellationToken);
        }

        /// <summary>The lambda, method or local function a handler argument stands for.</summary>
        public static (IMethodSymbol? Method, SyntaxNode? Syntax) ResolveHandler(IOperation handlerArgument, CancellationToken cancellationToken)
        {
            var value = handlerArgument.WalkDownConversion();
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target.WalkDownConversion();
            }

            switch (value)
            {
                case IAnonymousFunctionOperation lambda:
                    return (lambda.Symbol, lambda.Syntax);
                case IMethodReferenceOperation reference:
                    var target = reference.Method.PartialImplementationPart ?? reference.Method;
                    var syntax = target.DeclaringSyntaxReferences.Length > 0 ? target.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) : null;
                    return (target, syntax);
                default:
                    return (null, null);
            }
        }

        private static ImmutableArray<string> ReadConstantStrings(IOperation value)
        {
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var operation in value.DescendantsAndSelf())
            {
                if (operation.ConstantValue is { HasValue: true, Value: string text })
                {
                    builder.Add(text.ToUpperInvariant());
                }
            }

            return builder.ToImmutable();
        }

        /// <summary>
        /// The payload of a success response: <c>Ok(x)</c>, <c>Json(x)</c>, <c>Created*(.., x)</c>, <c>Accepted*(.., x)</c> on
        /// controllers, <c>Results.*</c> and <c>TypedResults.*</c>, <c>new OkObjectResult(x)</c>/<c>ObjectResult</c>/<c>JsonResult</c>.
        /// Conversions and awaits are skipped; anything else comes back unchanged.
        /// </summary>
        public IOperation UnwrapResponseValue(IOperation value)
        {
            for (var guard = 0; guard < 8; guard++)
            {
                value = value.WalkDownConversionAndAwait();
                IOperation? payload = null;
                switch (value)
                {
                    case IInvocationOperation invocation when IsSuccessResultFactory(invocation.TargetMethod):
                        payload = FindPayloadArgument(invocation.Arguments);
                        break;
                    case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol created
                        && (created.InheritsFromOrEquals(_types.ObjectResult) || created.InheritsFromOrEquals(_types.JsonResult)):
                        payload = FindPayloadArgument(creation.Arguments);
                        break;
                }

                if (payload is null)
                {
                    return value;
                }

                value = payload;
            }

            return value;
        }

        private bool IsSuccessResultFactory(IMethodSymbol method)
        {
            switch (method.Name)
            {
                case "Ok":
                case "Json":
                case "Accepted":
                case "AcceptedAtAction":
                case "AcceptedAtRoute":
                case "Created":
                case "CreatedAtAction":
                case "CreatedAtRoute":
                    break;
                default:
                    return false;
            }

            var type = method.ContainingType;
            return type.InheritsFromOrEquals(_types.ControllerBase) || type.IsSame(_types.Results) || type.IsSame(_types.TypedResults);
        }

        private static IOperation? FindPayloadArgument(ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Name is "value" or "data" && argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        /// <summary>Strips Task/ValueTask and ActionResult&lt;T&gt;; IActionResult, IResult and void give null.</summary>
        public ITypeSymbol? GetResponseType(ITypeSymbol returnType)
        {
            var type = returnType.UnwrapTask(_types);
            if (type is null || type.SpecialType == SpecialType.System_Void || type.IsTaskLike(_types))
            {
                return null;
            }

            if (type is INamedTypeSymbol named && named.IsGenericType && named.OriginalDefinition.IsSame(_types.ActionResultOfT))
            {
                return named.TypeArguments[0];
            }

            if (type.IsOrImplements(_types.IActionResult) || type.IsOrImplements(_types.IResult))
            {
                return null;
            }

            return type;
        }

        public EndpointParameter ClassifyParameter(IParameterSymbol parameter, EndpointKind kind, bool apiController, string? routePattern)
        {
            var type = parameter.Type;
            var complex = IsComplexType(type);
            foreach (var attribute in parameter.GetAttributes())
            {
                var source = SourceFromAttribute(attribute.AttributeClass);
                if (source != BindingSource.Unknown)
                {
                    return new EndpointParameter(parameter, source, isExplicit: true, complex);
                }
            }

            if (type.TypeKind == TypeKind.Error)
            {
                return new EndpointParameter(parameter, BindingSource.Unknown, false, complex);
            }

            if (IsSpecialType(type))
            {
                return new EndpointParameter(parameter, BindingSource.Special, false, false);
            }

            if (type.IsOrImplements(_types.IFormFile) || type.IsOrImplements(_types.IFormFileCollection) || type.IsOrImplements(_types.IFormCollection))
            {
                return new EndpointParameter(parameter, BindingSource.Form, false, false);
            }

            if (!complex)
            {
                var inRoute = routePattern is not null && routePattern.IndexOf("{" + parameter.Name, StringComparison.OrdinalIgnoreCase) >= 0;
                return new EndpointParameter(parameter, inRoute ? BindingSource.Route : BindingSource.Query, false, false);
            }

            if (LooksLikeService(type))
            {
                return new EndpointParameter(parameter, BindingSource.Services, false, complex);
            }

            if (kind == EndpointKind.ControllerAction && !apiController)
            {
                return new EndpointParameter(parameter, BindingSource.ModelBinding, false, complex);
            }

            return new EndpointParameter(parameter, BindingSource.Body, false, complex);
        }

        private static BindingSource SourceFromAttribute(INamedTypeSymbol? attributeClass)
        {
            if (attributeClass is null)
            {
                return BindingSource.Unknown;
            }

            if (attributeClass.Name == "AsParametersAttribute")
            {
                return BindingSource.AsParameters;
            }

            if (attributeClass.Name == "FromKeyedServicesAttribute")
            {
                return BindingSource.Services;
            }

            // ASP.NET Core's binding attributes all implement these metadata interfaces; custom ones may too.
            foreach (var implemented in attributeClass.AllInterfaces)
            {
                if (implemented.ContainingNamespace?.ToDisplayString() != "Microsoft.AspNetCore.Http.Metadata")
                {
                    continue;
                }

                switch (implemented.Name)
                {
                    case "IFromBodyMetadata": return BindingSource.Body;
                    case "IFromFormMetadata": return BindingSource.Form;
                    case "IFromQueryMetadata": return BindingSource.Query;
                    case "IFromRouteMetadata": return BindingSource.Route;
                    case "IFromHeaderMetadata": return BindingSource.Header;
                    case "IFromServiceMetadata": return BindingSource.Services;
                }
            }

            return BindingSource.Unknown;
        }

        private bool IsSpecialType(ITypeSymbol type)
        {
            return type.IsSame(_types.CancellationToken)
                || type.InheritsFromOrEquals(_types.HttpContext)
                || type.InheritsFromOrEquals(_types.HttpRequest)
                || type.InheritsFromOrEquals(_types.HttpResponse)
                || type.InheritsFromOrEquals(_types.ClaimsPrincipal)
                || type.InheritsFromOrEquals(_types.Stream)
                || type.InheritsFromOrEquals(_types.PipeReader);
        }

        /// <summary>
        /// Types ASP.NET Core resolves from DI when it finds them registered. Registrations are not visible here, so
        /// interfaces, abstract classes, DbContexts and the usual service-shaped names count as services.
        /// </summary>
        private bool LooksLikeService(ITypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Interface || type.IsAbstract || type.InheritsFromOrEquals(_types.DbContext))
            {
                return true;
            }

            var name = type.Name;
            return name.EndsWith("Service", StringComparison.Ordinal) || name.EndsWith("Repository", StringComparison.Ordinal)
                || name.EndsWith("Context", StringComparison.Ordinal) || name.EndsWith("Factory", StringComparison.Ordinal)
                || name.EndsWith("Client", StringComparison.Ordinal) || name.EndsWith("Handler", StringComparison.Ordinal)
                || name.EndsWith("Provider", StringComparison.Ordinal) || name.EndsWith("Store", StringComparison.Ordinal)
                || name.EndsWith("Cache", StringComparison.Ordinal) || name.EndsWith("Logger", StringComparison.Ordinal)
                || name.EndsWith("Manager", StringComparison.Ordinal) || name.EndsWith("Options", StringComparison.Ordinal);
        }

        /// <summary>Simple types bind from route, query or header; everything else is a complex model.</summary>
        public static bool IsComplexType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            if (type is IArrayTypeSymbol array)
            {
                return IsComplexType(array.ElementType);
            }

            switch (type.SpecialType)
            {
                case SpecialType.None:
                    break;
                case SpecialType.System_Object:
                    return true;
                default:
                    return false; // primitives, string, decimal, DateTime
            }

            if (type.TypeKind is TypeKind.Enum or TypeKind.Error or TypeKind.TypeParameter)
            {
                return false;
            }

            // Guid, DateOnly, TimeSpan, Uri and user types with a static TryParse or BindAsync bind as simple values.
            foreach (var member in type.GetMembers("TryParse"))
            {
                if (member.IsStatic)
                {
                    return false;
                }
            }

            if (type.GetMembers("BindAsync").Length > 0 || type.Name is "Uri" or "Guid")
            {
                return false;
            }

            return type.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface;
        }
        /// <summary>
        /// Is an endpoint convention (<paramref name="isConvention"/> by method name) applied to what
        /// <paramref name="builderCall"/> returns: chained on it (<c>app.MapPost(...).RequireAuthorization()</c>,
        /// through extension and instance calls), or on the local it is kept in (<c>var group = ...; group.X();</c>)?
        /// Authorization and validation read their conventions this way.
        /// </summary>
        public static bool HasConventionAfter(IOperation builderCall, Func<string, bool> isConvention)
        {
            IOperation current = builderCall;
            for (var guard = 0; guard < 16; guard++)
            {
                var parent = current.Parent;
                while (parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = parent;
                    parent = current.Parent;
                }

                IInvocationOperation? next = null;
                if (parent is IArgumentOperation { Parent: IInvocationOperation extension } argument && argument.Parameter?.Ordinal == 0 && extension.TargetMethod.IsExtensionMethod)
                {
                    next = extension;
                }
                else if (parent is IInvocationOperation instanceCall && instanceCall.Instance == current)
                {
                    next = instanceCall;
                }

                if (next is not null)
                {
                    if (isConvention(next.TargetMethod.Name))
                    {
                        return true;
                    }

                    current = next;
                    continue;
                }

                if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
                {
                    return HasConventionLater(declarator.Symbol, builderCall, isConvention);
                }

                return false;
            }

            return false;
        }

        /// <summary>A statement such as <c>group.RequireAuthorization();</c> on the local, in the same member.</summary>
        public static bool HasConventionLater(ILocalSymbol local, IOperation anywhereInMember, Func<string, bool> isConvention)
        {
            foreach (var operation in anywhereInMember.GetRoot().Descendants())
            {
                if (operation is IInvocationOperation call && isConvention(call.TargetMethod.Name)
                    && call.GetReceiverOrThisArgument()?.WalkDownConversion() is ILocalReferenceOperation reference && reference.Local.IsSame(local))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
