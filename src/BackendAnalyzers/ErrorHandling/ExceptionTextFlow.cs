using System.Collections.Generic;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>What part of an exception reaches a value.</summary>
    internal enum ExceptionTextKind
    {
        /// <summary><c>ex.Message</c>.</summary>
        Message,

        /// <summary><c>ex.ToString()</c>, <c>ex.StackTrace</c>, <c>ex.Source</c>: text with stack frames or internals.</summary>
        Details,

        /// <summary>The exception object itself (<c>ex</c>, <c>ex.InnerException</c>, <c>feature.Error</c>), serialized or formatted whole.</summary>
        Exception,
    }

    /// <summary>One place where an exception's text enters a value.</summary>
    internal sealed class ExceptionTextAnchor
    {
        public ExceptionTextAnchor(IOperation anchor, IOperation origin, IOperation exception, ExceptionTextKind kind, ISymbol? rootSymbol)
        {
            Anchor = anchor;
            Origin = origin;
            Exception = exception;
            Kind = kind;
            RootSymbol = rootSymbol;
        }

        /// <summary>
        /// The operation inside the value that brings the text in: the origin itself, or the reference to a local whose
        /// assignment holds it.
        /// </summary>
        public IOperation Anchor { get; }

        /// <summary><c>ex.Message</c>, <c>ex.ToString()</c>, <c>ex</c>: where the text is read from the exception.</summary>
        public IOperation Origin { get; }

        /// <summary>The exception-typed operation the text is read from (<c>ex</c> in <c>ex.Message</c>).</summary>
        public IOperation Exception { get; }

        public ExceptionTextKind Kind { get; }

        /// <summary>The local or parameter at the root of <see cref="Exception"/> (<c>ex</c> in <c>ex.InnerException.Message</c>), or null.</summary>
        public ISymbol? RootSymbol { get; }
    }

    internal static class ConditionalAccessExtensions
    {
        /// <summary>The <c>a?.b</c> whose <c>a</c> the given placeholder stands for.</summary>
        public static IConditionalAccessOperation? FindConditionalAccess(IOperation instance)
        {
            var previous = instance;
            for (var current = instance.Parent; current is not null; previous = current, current = current.Parent)
            {
                if (current is IConditionalAccessOperation access && access.WhenNotNull == previous)
                {
                    return access;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Follows an exception's text (Message, ToString(), StackTrace, the exception itself) into a value: through string
    /// interpolation, concatenation, <c>string.Format</c>/<c>Concat</c>/<c>Join</c>, string methods, conditionals,
    /// anonymous objects, object creations and initializers, arrays, tuples, and the assignments of locals of the same
    /// function. With function bodies, a method of the compilation that returns a value built from the argument
    /// (<c>ApiResponse.Error(ex.Message)</c>, whose body returns <c>new ApiResponse { Messages = { message } }</c>)
    /// carries the text too; other calls are not followed.
    /// </summary>
    internal sealed class ExceptionTextFlow
    {
        private const int MaxLocalDepth = 4;
        private readonly KnownTypes _types;
        private readonly DevelopmentBranches? _development;
        private readonly FunctionBodies? _bodies;

        public ExceptionTextFlow(KnownTypes types, DevelopmentBranches? development, FunctionBodies? bodies = null)
        {
            _types = types;
            _development = development;
            _bodies = bodies;
        }

        /// <summary>
        /// The anchors of exception text in <paramref name="value"/>. When <paramref name="sourceMessagesAreSafe"/> is
        /// true, <c>Message</c> of exception types declared in the compilation and of validation exceptions does not
        /// count: those messages are written for the caller.
        /// </summary>
        public List<ExceptionTextAnchor> FindAnchors(IOperation value, bool sourceMessagesAreSafe, CancellationToken cancellationToken)
        {
            var anchors = new List<ExceptionTextAnchor>();
            if (_types.Exception is null)
            {
                return anchors;
            }

            var visitedLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            Visit(value, null, 0, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
            return anchors;
        }

        private void Visit(IOperation? operation, IOperation? anchor, int depth, bool sourceMessagesAreSafe, HashSet<ILocalSymbol> visitedLocals, List<ExceptionTextAnchor> anchors, CancellationToken cancellationToken)
        {
            if (operation is null)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            operation = operation.WalkDownConversion();
            switch (operation)
            {
                case IPropertyReferenceOperation { Instance: { } instance } property when IsException(instance.Type):
                    switch (property.Property.Name)
                    {
                        case "Message":
                            if (!(sourceMessagesAreSafe && IsClientFacing(instance.Type)))
                            {
                                anchors.Add(new ExceptionTextAnchor(anchor ?? operation, operation, instance, ExceptionTextKind.Message, GetRoot(instance)));
                            }

                            return;
                        case "StackTrace":
                        case "Source":
                            anchors.Add(new ExceptionTextAnchor(anchor ?? operation, operation, instance, ExceptionTextKind.Details, GetRoot(instance)));
                            return;
                    }

                    break;
                case IInvocationOperation { Instance: { } instance, TargetMethod.Name: "ToString" } toString when IsException(instance.Type):
                    anchors.Add(new ExceptionTextAnchor(anchor ?? operation, toString, instance, ExceptionTextKind.Details, GetRoot(instance)));
                    return;
            }

            if (IsException(operation.Type))
            {
                anchors.Add(new ExceptionTextAnchor(anchor ?? operation, operation, operation, ExceptionTextKind.Exception, GetRoot(operation)));
                return;
            }

            switch (operation)
            {
                case IInterpolatedStringOperation interpolated:
                    foreach (var part in interpolated.Parts)
                    {
                        if (part is IInterpolationOperation hole)
                        {
                            Visit(hole.Expression, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                        }
                    }

                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                    Visit(binary.LeftOperand, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    Visit(binary.RightOperand, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
                case IConditionalOperation conditional:
                    var development = _development?.ConditionMeansDevelopment(conditional.Condition);
                    if (development != true)
                    {
                        Visit(conditional.WhenTrue, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    if (development != false)
                    {
                        Visit(conditional.WhenFalse, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    break;
                case ICoalesceOperation coalesce:
                    Visit(coalesce.Value, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    Visit(coalesce.WhenNull, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
                case IInvocationOperation invocation:
                    VisitInvocation(invocation, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
                case IArrayCreationOperation { Initializer: { } initializer }:
                    foreach (var element in initializer.ElementValues)
                    {
                        Visit(element, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    break;
                case IAnonymousObjectCreationOperation anonymous:
                    foreach (var initializer in anonymous.Initializers)
                    {
                        Visit(initializer is IAssignmentOperation assignment ? assignment.Value : initializer, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    break;
                case IObjectCreationOperation creation:
                    foreach (var argument in creation.Arguments)
                    {
                        Visit(argument.Value, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    VisitInitializer(creation.Initializer, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
                case IConditionalAccessOperation access:
                    // ex.InnerException?.Message: the whole access is where the text enters.
                    Visit(access.WhenNotNull, anchor ?? access, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        Visit(element, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    }

                    break;
                case ILocalReferenceOperation local:
                    VisitLocal(local, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                    break;
            }
        }

        private void VisitInitializer(IObjectOrCollectionInitializerOperation? initializer, IOperation? anchor, int depth, bool sourceMessagesAreSafe, HashSet<ILocalSymbol> visitedLocals, List<ExceptionTextAnchor> anchors, CancellationToken cancellationToken)
        {
            if (initializer is null)
            {
                return;
            }

            foreach (var member in initializer.Initializers)
            {
                switch (member)
                {
                    case IMemberInitializerOperation nested:
                        VisitInitializer(nested.Initializer, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                        break;
                    case IAssignmentOperation assignment:
                        if (assignment.Value is IObjectOrCollectionInitializerOperation inner)
                        {
                            VisitInitializer(inner, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                        }
                        else
                        {
                            Visit(assignment.Value, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                        }

                        break;
                    case IInvocationOperation add:
                        foreach (var argument in add.Arguments)
                        {
                            Visit(argument.Value, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                        }

                        break;
                }
            }
        }

        private void VisitInvocation(IInvocationOperation invocation, IOperation? anchor, int depth, bool sourceMessagesAreSafe, HashSet<ILocalSymbol> visitedLocals, List<ExceptionTextAnchor> anchors, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod;
            if (method.ContainingType?.SpecialType != SpecialType.System_String)
            {
                VisitApplicationMethod(invocation, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                return;
            }

            if (method.IsStatic)
            {
                // string.Format, string.Concat, string.Join
                foreach (var argument in invocation.Arguments)
                {
                    Visit(argument.Value, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
                }
            }
            else
            {
                // ex.Message.Trim(), .Substring(...), .Replace(...)
                Visit(invocation.Instance, anchor, depth, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
            }
        }

        /// <summary>
        /// A method of the compilation that returns an application type (a response envelope, a problem DTO) built from
        /// one of its parameters: the text passed for that parameter is in the result. Other methods are not followed:
        /// what they return is their business.
        /// </summary>
        private void VisitApplicationMethod(IInvocationOperation invocation, IOperation? anchor, int depth, bool sourceMessagesAreSafe, HashSet<ILocalSymbol> visitedLocals, List<ExceptionTextAnchor> anchors, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
            if (_bodies is null || depth >= MaxLocalDepth || !method.IsInSource() || method.ReturnType.SpecialType == SpecialType.System_String
                || !CanCarryText(method.ReturnType) || _bodies.GetBody(method.OriginalDefinition, cancellationToken) is not { } body)
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is not { } parameter || !ReturnsValueBuiltFrom(body, method.OriginalDefinition.Parameters[parameter.Ordinal]))
                {
                    continue;
                }

                Visit(argument.Value, anchor, depth + 1, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
            }
        }

        private static bool ReturnsValueBuiltFrom(IOperation body, IParameterSymbol parameter)
        {
            foreach (var returned in body.GetOwnReturns())
            {
                foreach (var part in returned.ReturnedValue!.DescendantsAndSelf())
                {
                    if (part is IParameterReferenceOperation reference && reference.Parameter.IsSame(parameter))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private void VisitLocal(ILocalReferenceOperation reference, IOperation? anchor, int depth, bool sourceMessagesAreSafe, HashSet<ILocalSymbol> visitedLocals, List<ExceptionTextAnchor> anchors, CancellationToken cancellationToken)
        {
            if (depth >= MaxLocalDepth || !CanCarryText(reference.Local.Type) || !visitedLocals.Add(reference.Local))
            {
                return;
            }

            var root = reference.GetRoot();
            foreach (var operation in root.Descendants())
            {
                IOperation? assigned = null;
                if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(reference.Local))
                {
                    assigned = declarator.Initializer?.Value;
                }
                else if (operation is IAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(reference.Local))
                {
                    assigned = assignment.Value;
                }

                if (assigned is null || _development is not null && _development.IsDevelopmentOnly(operation))
                {
                    continue;
                }

                Visit(assigned, anchor ?? reference, depth + 1, sourceMessagesAreSafe, visitedLocals, anchors, cancellationToken);
            }
        }

        /// <summary>
        /// Can a value of this type hold text built from an exception? Strings, object, anonymous types, tuples and the
        /// application's own classes and records (DTOs, problem details); not numbers, collections, tasks or queries,
        /// whose locals are not worth reading the whole method for.
        /// </summary>
        private static bool CanCarryText(ITypeSymbol? type)
        {
            if (type is null || type.TypeKind == TypeKind.Error)
            {
                return false;
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Object:
                    return true;
                case SpecialType.None:
                    break;
                default:
                    return false;
            }

            if (type.IsAnonymousType || type.IsTupleType || type.TypeKind == TypeKind.Dynamic)
            {
                return true;
            }

            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsValueType && type.ContainingNamespace?.ToDisplayString() == "System")
            {
                return false;
            }

            // Collections, tasks and queries are not followed; ProblemDetails and the application's DTOs are.
            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.Name == "IEnumerable" && implemented.ContainingNamespace?.ToDisplayString() == "System.Collections")
                {
                    return false;
                }
            }

            return !(type.Name is "Task" or "ValueTask" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks");
        }

        /// <summary>
        /// Exceptions whose message is written for the caller: types declared in the compilation (the application wrote
        /// the message) and validation exceptions (<c>FluentValidation.ValidationException</c>,
        /// <c>System.ComponentModel.DataAnnotations.ValidationException</c>), whose message lists the failed rules.
        /// </summary>
        private static bool IsClientFacing(ITypeSymbol? type) =>
            type is not null && (type.IsInSource() || IsFromAnotherProjectOfTheApplication(type) || type.Name.EndsWith("ValidationException", System.StringComparison.Ordinal));

        /// <summary>
        /// An exception type of a project the application references (a Data or Domain project), rather than of the
        /// framework or a package: its assembly is not strong-named and not named like the framework's. Packages that
        /// are not strong-named count too, which can only hide a finding, never add one.
        /// </summary>
        private static bool IsFromAnotherProjectOfTheApplication(ITypeSymbol type)
        {
            var assembly = type.ContainingAssembly;
            if (assembly is null || assembly.Identity.HasPublicKey)
            {
                return false;
            }

            var name = assembly.Name;
            return !(name.StartsWith("System", System.StringComparison.Ordinal) || name.StartsWith("Microsoft", System.StringComparison.Ordinal)
                || name is "mscorlib" or "netstandard");
        }

        /// <summary>The local or parameter an exception expression starts from, through exception-typed properties (<c>ex.InnerException</c>) and <c>?.</c>.</summary>
        private ISymbol? GetRoot(IOperation exception)
        {
            var current = exception.WalkDownConversion();
            for (var guard = 0; guard < 16; guard++)
            {
                if (current is IPropertyReferenceOperation { Instance: { } instance } && IsException(instance.Type))
                {
                    current = instance.WalkDownConversion();
                }
                else if (current is IConditionalAccessInstanceOperation && ConditionalAccessExtensions.FindConditionalAccess(current) is { } access && IsException(access.Operation.Type))
                {
                    current = access.Operation.WalkDownConversion();
                }
                else
                {
                    break;
                }
            }

            return current switch
            {
                ILocalReferenceOperation local when IsException(local.Type) => local.Local,
                IParameterReferenceOperation parameter when IsException(parameter.Type) => parameter.Parameter,
                _ => null,
            };
        }

        private bool IsException(ITypeSymbol? type) => type is not null && type.TypeKind != TypeKind.Error && type.InheritsFromOrEquals(_types.Exception);
    }
}
