using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2002: an exception's text (Message, ToString(), StackTrace, the exception object) flows into an HTTP response:
    /// a ControllerBase result method (Ok, BadRequest, StatusCode, Problem, Content, ...), Results.*/TypedResults.*,
    /// an ObjectResult/ContentResult/JsonResult, HttpResponse.WriteAsync/WriteAsJsonAsync, IProblemDetailsService,
    /// or the value an endpoint returns. Followed through locals, interpolation, concatenation, string.Format,
    /// anonymous objects and initializers. Development-only branches are left alone; so is the Message of exception
    /// types the application declares (it wrote those messages for its clients) and of validation exceptions.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ExceptionDetailsReturnedAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the name of the local or parameter holding the exception, for the fix to log.</summary>
        public const string ExceptionProperty = "Exception";

        /// <summary>The message the fix puts in place of the exception's text.</summary>
        public const string GenericMessage = "An unexpected error occurred.";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.ExceptionDetailsReturned,
            title: "Exception details are returned to the client",
            messageFormat: "{0} is sent to the client by '{1}'; log the exception and return a generic message",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "Exception messages and stack traces describe the server's internals: SQL, table and column names, file paths, host names, library versions. Sent to the client they help attackers and confuse users. Log the exception and return a generic message (or ProblemDetails without the exception's text); show details only in Development.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.Exception is null || !types.HasAspNetCore)
                {
                    return;
                }

                var development = new DevelopmentBranches();
                var bodies = new FunctionBodies(start.Compilation);
                var analyzer = new Analyzer(types, new EndpointModel(types, bodies), new ExceptionTextFlow(types, development, bodies), development);
                start.RegisterOperationAction(analyzer.AnalyzeSink, OperationKind.Invocation, OperationKind.ObjectCreation);
                start.RegisterOperationAction(analyzer.AnalyzeReturn, OperationKind.Return);
            });
        }

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;
            private readonly EndpointModel _endpoints;
            private readonly ExceptionTextFlow _flow;
            private readonly DevelopmentBranches _development;

            // Resolved once: the sink test runs for every call and creation of the compilation.
            private readonly INamedTypeSymbol? _results;
            private readonly INamedTypeSymbol? _typedResults;
            private readonly INamedTypeSymbol? _controllerBase;
            private readonly INamedTypeSymbol? _responseWriting;
            private readonly INamedTypeSymbol? _responseJson;
            private readonly INamedTypeSymbol? _problemDetailsService;
            private readonly INamedTypeSymbol? _actionResult;
            private readonly INamedTypeSymbol? _objectResult;
            private readonly INamedTypeSymbol? _contentResult;
            private readonly INamedTypeSymbol? _jsonResult;

            public Analyzer(KnownTypes types, EndpointModel endpoints, ExceptionTextFlow flow, DevelopmentBranches development)
            {
                _types = types;
                _endpoints = endpoints;
                _flow = flow;
                _development = development;
                _results = types.Results;
                _typedResults = types.TypedResults;
                _controllerBase = types.ControllerBase;
                _responseWriting = types.HttpResponseWritingExtensions;
                _responseJson = types.HttpResponseJsonExtensions;
                _problemDetailsService = types.IProblemDetailsService;
                _actionResult = types.IActionResult;
                _objectResult = types.ObjectResult;
                _contentResult = types.ContentResult;
                _jsonResult = types.JsonResult;
            }

            public void AnalyzeSink(OperationAnalysisContext context)
            {
                var name = GetSinkName(context.Operation);
                if (name is null)
                {
                    return;
                }

                var values = context.Operation is IInvocationOperation invocation
                    ? GetSinkValues(invocation)
                    : ImmutableArray.Create(context.Operation);
                var anchors = new List<ExceptionTextAnchor>();
                foreach (var value in values)
                {
                    anchors.AddRange(_flow.FindAnchors(value, sourceMessagesAreSafe: true, context.CancellationToken));
                }

                Report(context, context.Operation, name, anchors);
            }

            public void AnalyzeReturn(OperationAnalysisContext context)
            {
                var ret = (IReturnOperation)context.Operation;
                if (ret.ReturnedValue is null || ret.Kind != OperationKind.Return)
                {
                    return;
                }

                // Most returns carry no exception text: find that out before asking whether this is an endpoint.
                var anchors = _flow.FindAnchors(ret.ReturnedValue, sourceMessagesAreSafe: true, context.CancellationToken);
                if (anchors.Count == 0)
                {
                    return;
                }

                var endpoint = _endpoints.GetEnclosingEndpoint(ret, context.ContainingSymbol, out var innermost, context.CancellationToken);
                if (endpoint is not null && innermost)
                {
                    Report(context, ret, "return", anchors);
                }
            }

            private void Report(OperationAnalysisContext context, IOperation sink, string sinkName, List<ExceptionTextAnchor> anchors)
            {
                // An anchor inside a nested sink (new ObjectResult(...) passed to another result, a result returned) is that sink's.
                anchors.RemoveAll(a => NearestSink(a.Anchor, sink) != sink);
                if (anchors.Count == 0 || _development.IsDevelopmentOnly(sink))
                {
                    return;
                }

                var first = anchors[0];
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (first.RootSymbol is ILocalSymbol or IParameterSymbol)
                {
                    properties = properties.Add(ExceptionProperty, first.RootSymbol.Name);
                }

                var locations = anchors.Select(a => a.Anchor.Syntax.GetLocation()).Distinct().ToList();
                // The other places the text enters the same response are additional locations: the fix replaces them all.
                context.ReportDiagnostic(Diagnostic.Create(Rule, locations[0], locations.Skip(1), properties, Describe(first), sinkName));
            }

            private static string Describe(ExceptionTextAnchor anchor)
            {
                var name = anchor.RootSymbol?.Name ?? anchor.Exception.Syntax.ToString();
                return anchor.Kind switch
                {
                    ExceptionTextKind.Message => "The message of '" + name + "'",
                    ExceptionTextKind.Details => "The details (stack trace) of '" + name + "'",
                    _ => "The exception '" + name + "'",
                };
            }

            private IOperation? NearestSink(IOperation operation, IOperation stopAt)
            {
                for (var current = operation.Parent; current is not null; current = current.Parent)
                {
                    if (current == stopAt || GetSinkName(current) is not null)
                    {
                        return current;
                    }
                }

                return null;
            }

            /// <summary>The name the message shows for a response-producing call or creation, or null when the operation is not one.</summary>
            private string? GetSinkName(IOperation operation)
            {
                switch (operation)
                {
                    case IInvocationOperation invocation:
                        var method = invocation.TargetMethod;
                        var type = method.ContainingType;
                        if (type is null)
                        {
                            return null;
                        }

                        if (SymbolEqualityComparer.Default.Equals(type, _results) || SymbolEqualityComparer.Default.Equals(type, _typedResults))
                        {
                            return type.Name + "." + method.Name;
                        }

                        switch (method.Name)
                        {
                            case "WriteAsync":
                                return SymbolEqualityComparer.Default.Equals(type, _responseWriting) || type.IsOrImplements(_problemDetailsService) ? method.Name : null;
                            case "TryWriteAsync":
                                return type.IsOrImplements(_problemDetailsService) ? method.Name : null;
                            case "WriteAsJsonAsync":
                                return SymbolEqualityComparer.Default.Equals(type, _responseJson) ? method.Name : null;
                        }

                        // ControllerBase's own result methods (Ok, BadRequest, StatusCode, Problem, Content, Json on Controller, ...).
                        if (type.TypeKind == TypeKind.Class && !method.IsStatic && type.Locations.Length > 0 && !type.Locations[0].IsInSource
                            && type.InheritsFromOrEquals(_controllerBase)
                            && (method.ReturnType.IsOrImplements(_actionResult) || method.ReturnType.InheritsFromOrEquals(_objectResult)))
                        {
                            return method.Name;
                        }

                        return null;
                    case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol created
                        && (created.InheritsFromOrEquals(_objectResult) || created.InheritsFromOrEquals(_contentResult) || created.InheritsFromOrEquals(_jsonResult)):
                        return "new " + created.Name;
                    default:
                        return null;
                }
            }

            /// <summary>The arguments that become part of the response (not the HttpResponse receiver, not cancellation tokens).</summary>
            private ImmutableArray<IOperation> GetSinkValues(IInvocationOperation invocation)
            {
                var builder = ImmutableArray.CreateBuilder<IOperation>();
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
                    {
                        continue;
                    }

                    var parameterType = argument.Parameter.Type;
                    if (parameterType.InheritsFromOrEquals(_types.HttpResponse) || parameterType.InheritsFromOrEquals(_types.HttpContext) || parameterType.IsSame(_types.CancellationToken))
                    {
                        continue;
                    }

                    builder.Add(argument.Value);
                }

                return builder.ToImmutable();
            }
        }
    }
}
