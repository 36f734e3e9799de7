using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.Model
{
    internal enum EndpointKind
    {
        ControllerAction,
        MinimalApi,
    }

    /// <summary>Where ASP.NET Core takes a handler parameter's value from.</summary>
    internal enum BindingSource
    {
        /// <summary>Could not be decided (half-typed code, unknown type).</summary>
        Unknown,

        /// <summary>The request body (explicit [FromBody], or inferred for complex types).</summary>
        Body,

        /// <summary>Form fields or files.</summary>
        Form,
        Query,
        Route,
        Header,

        /// <summary>The DI container ([FromServices], [FromKeyedServices], or inferred for services).</summary>
        Services,

        /// <summary>Values the framework supplies: CancellationToken, HttpContext, HttpRequest, ClaimsPrincipal, ...</summary>
        Special,

        /// <summary>A complex type bound from any value provider (MVC without [ApiController]).</summary>
        ModelBinding,

        /// <summary>[AsParameters]: the type's properties are bound one by one.</summary>
        AsParameters,
    }

    internal sealed class EndpointParameter
    {
        public EndpointParameter(IParameterSymbol parameter, BindingSource source, bool isExplicit, bool isComplexType)
        {
            Parameter = parameter;
            Source = source;
            IsExplicit = isExplicit;
            IsComplexType = isComplexType;
        }

        public IParameterSymbol Parameter { get; }

        public BindingSource Source { get; }

        /// <summary>True when an attribute states the source; false when ASP.NET Core infers it.</summary>
        public bool IsExplicit { get; }

        /// <summary>True for classes, records and structs that are not simple values (string, numbers, dates, enums, TryParse types).</summary>
        public bool IsComplexType { get; }

        /// <summary>A complex model read from the request body or form: what validation rules care about.</summary>
        public bool IsRequestModel => IsComplexType && Source is BindingSource.Body or BindingSource.Form or BindingSource.ModelBinding;
    }

    /// <summary>
    /// One HTTP endpoint: an MVC/Web API controller action or a minimal API handler (lambda, method group or local
    /// function passed to Map/MapGet/MapPost/MapPut/MapPatch/MapDelete/MapMethods, including inside MapGroup chains).
    /// </summary>
    internal sealed class Endpoint
    {
        public Endpoint(
            EndpointKind kind,
            IMethodSymbol handler,
            SyntaxNode? handlerSyntax,
            IOperation? mapInvocation,
            IOperation? handlerArgument,
            ImmutableArray<string> httpMethods,
            string? routeTemplate,
            ImmutableArray<EndpointParameter> parameters,
            ITypeSymbol? responseType)
        {
            Kind = kind;
            Handler = handler;
            HandlerSyntax = handlerSyntax;
            MapInvocation = mapInvocation;
            HandlerArgument = handlerArgument;
            HttpMethods = httpMethods;
            RouteTemplate = routeTemplate;
            Parameters = parameters;
            ResponseType = responseType;
        }

        public EndpointKind Kind { get; }

        /// <summary>The action method, the lambda's symbol, or the method/local function a method group names.</summary>
        public IMethodSymbol Handler { get; }

        /// <summary>The handler's declaration (method, lambda or local function), when it is in source.</summary>
        public SyntaxNode? HandlerSyntax { get; }

        /// <summary>Minimal APIs: the Map* invocation.</summary>
        public IOperation? MapInvocation { get; }

        /// <summary>Minimal APIs: the handler argument (the lambda or the method reference).</summary>
        public IOperation? HandlerArgument { get; }

        /// <summary>Upper-case HTTP verbs; empty when the endpoint answers any verb.</summary>
        public ImmutableArray<string> HttpMethods { get; }

        public string? RouteTemplate { get; }

        public ImmutableArray<EndpointParameter> Parameters { get; }

        /// <summary>The declared response type with Task/ValueTask and ActionResult&lt;T&gt; removed; null for IActionResult/IResult/void.</summary>
        public ITypeSymbol? ResponseType { get; }

        public bool IsAsync => Handler.IsAsync;

        public bool IsGet => HttpMethods.Length > 0 && HttpMethods.All(m => m == "GET" || m == "HEAD");

        /// <summary>POST, PUT, PATCH or DELETE.</summary>
        public bool IsMutating => HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE");
    }
}
