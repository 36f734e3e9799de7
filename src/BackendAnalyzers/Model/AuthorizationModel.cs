using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>
    /// Which authorization applies to an endpoint: its own attributes, the RequireAuthorization/AllowAnonymous calls on
    /// its Map* call and the groups it is mapped into, and the compilation-wide conventions (a fallback policy, a
    /// global AuthorizeFilter, MapControllers().RequireAuthorization()). The compilation-wide facts are read once per
    /// compilation from the syntax trees that mention "Authoriz", when a rule first asks.
    /// </summary>
    internal sealed class AuthorizationModel
    {
        private const int MaxDepth = 8;

        private readonly KnownTypes _types;
        private readonly Lazy<FileFacts> _facts;

        /// <param name="types">The compilation's known types.</param>
        /// <param name="facts">Each file's facts, from the analyzer's per-tree cache (<see cref="FileFacts.CreateProvider"/>), so that an edit re-reads one file.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        public AuthorizationModel(KnownTypes types, Func<SyntaxTree, FileFacts> facts, CancellationToken cancellationToken)
        {
            _types = types;
            _facts = new Lazy<FileFacts>(() => FileFacts.Merge(types.Compilation, facts, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>False when the compilation references no ASP.NET Core authorization.</summary>
        public bool IsEnabled => _types.IAuthorizeData is not null;

        /// <summary>AddAuthorization, AddAuthentication, UseAuthorization, RequireAuthorization or [Authorize] somewhere in the compilation.</summary>
        public bool UsesAuthorization => _facts.Value.UsesAuthorization;

        /// <summary>A fallback policy (AddAuthorization(o =&gt; o.FallbackPolicy = ...), SetFallbackPolicy(...)) covers every endpoint without metadata.</summary>
        public bool HasFallbackPolicy => _facts.Value.HasFallbackPolicy;

        /// <summary>Controllers are covered by a global AuthorizeFilter or by MapControllers().RequireAuthorization().</summary>
        public bool ControllersRequireAuthorization => _facts.Value.HasGlobalAuthorizeFilter || _facts.Value.ControllersRequireAuthorization;

        /// <summary>[Authorize] or [AllowAnonymous] (anything implementing IAuthorizeData or IAllowAnonymous) on the symbol.</summary>
        public bool HasAuthorizationAttribute(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass.IsOrImplements(_types.IAuthorizeData) || attributeClass.IsOrImplements(_types.IAllowAnonymous))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An attribute on the action, its controller or a base class of the controller.</summary>
        public bool IsControllerActionCovered(IMethodSymbol action)
        {
            if (HasAuthorizationAttribute(action))
            {
                return true;
            }

            for (var type = action.ContainingType; type is not null; type = type.BaseType)
            {
                if (HasAuthorizationAttribute(type))
                {
                    return true;
                }
            }

            return HasFallbackPolicy || ControllersRequireAuthorization;
        }

        /// <summary>
        /// Does a requirement (or a stated AllowAnonymous) reach the minimal API endpoint mapped by
        /// <paramref name="mapInvocation"/>: on the handler, after the Map call, or on a group it is mapped into?
        /// </summary>
        public bool IsMinimalApiCovered(IInvocationOperation mapInvocation, IMethodSymbol handler)
        {
            if (HasAuthorizationAttribute(handler) || HasFallbackPolicy)
            {
                return true;
            }

            if (EndpointModel.HasConventionAfter(mapInvocation, IsRequirementCall))
            {
                return true;
            }

            return mapInvocation.GetReceiverOrThisArgument() is { } receiver && IsAuthorizedBuilder(receiver, 0);
        }

        private static bool IsRequirementCall(string name) => name is "RequireAuthorization" or "AllowAnonymous";

        /// <summary>Is the group or route builder <paramref name="builder"/> given a requirement (RequireAuthorization on it or on a group it comes from)?</summary>
        private bool IsAuthorizedBuilder(IOperation builder, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            switch (builder.WalkDownConversion())
            {
                case IInvocationOperation invocation:
                    if (IsRequirementCall(invocation.TargetMethod.Name))
                    {
                        return true;
                    }

                    // MapGroup, WithTags, AddEndpointFilter, ...: look further down the chain.
                    return invocation.GetReceiverOrThisArgument() is { } receiver && IsAuthorizedBuilder(receiver, depth + 1);
                case ILocalReferenceOperation local:
                    foreach (var operation in local.GetRoot().Descendants())
                    {
                        if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local.Local) && declarator.Initializer is { } initializer
                            && IsAuthorizedBuilder(initializer.Value, depth + 1))
                        {
                            return true;
                        }

                        if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(local.Local)
                            && IsAuthorizedBuilder(assignment.Value, depth + 1))
                        {
                            return true;
                        }
                    }

                    return EndpointModel.HasConventionLater(local.Local, local, IsRequirementCall);
                case IParameterReferenceOperation parameter:
                    // MapPatientEndpoints(this RouteGroupBuilder group): covered when some caller passes an authorized group.
                    return parameter.Parameter.ContainingSymbol is IMethodSymbol method && _facts.Value.MethodsCalledOnAuthorizedBuilders.Contains(method.Name);
                default:
                    return false;
            }
        }


        /// <summary>
        /// What one file says about authorization, read from its syntax: the facts depend on the tree alone, so an
        /// analyzer keeps them per tree for its lifetime; the model merges them per compilation.
        /// </summary>
        internal sealed class FileFacts
        {
            private static readonly FileFacts Nothing = new FileFacts();

            public static SyntaxTreeValueProvider<FileFacts> CreateProvider() => new SyntaxTreeValueProvider<FileFacts>(tree => Read(tree, CancellationToken.None));

            public static FileFacts Merge(Compilation compilation, Func<SyntaxTree, FileFacts> read, CancellationToken cancellationToken)
            {
                var merged = new FileFacts();
                var methods = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                foreach (var tree in compilation.SyntaxTrees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var file = read(tree);
                    if (ReferenceEquals(file, Nothing))
                    {
                        continue;
                    }

                    merged.UsesAuthorization |= file.UsesAuthorization;
                    merged.HasFallbackPolicy |= file.HasFallbackPolicy;
                    merged.HasGlobalAuthorizeFilter |= file.HasGlobalAuthorizeFilter;
                    merged.ControllersRequireAuthorization |= file.ControllersRequireAuthorization;
                    methods.UnionWith(file.MethodsCalledOnAuthorizedBuilders);
                }

                merged.MethodsCalledOnAuthorizedBuilders = methods.ToImmutable();
                return merged;
            }

            public bool UsesAuthorization { get; private set; }

            public bool HasFallbackPolicy { get; private set; }

            public bool HasGlobalAuthorizeFilter { get; private set; }

            public bool ControllersRequireAuthorization { get; private set; }

            /// <summary>Names of methods called on a builder that has RequireAuthorization: <c>app.MapGroup("/api").RequireAuthorization().MapPatients()</c>.</summary>
            public ImmutableHashSet<string> MethodsCalledOnAuthorizedBuilders { get; private set; } = ImmutableHashSet<string>.Empty;

            public static FileFacts Read(SyntaxTree tree, CancellationToken cancellationToken)
            {
                if (tree.GetText(cancellationToken).ToString().IndexOf("Authoriz", StringComparison.Ordinal) < 0)
                {
                    return Nothing;
                }

                var facts = new FileFacts();
                var methods = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                {
                    foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                    {
                        switch (node)
                        {
                            case AttributeSyntax attribute when SyntaxNames.LastIdentifier(attribute.Name) is "Authorize" or "AuthorizeAttribute":
                                facts.UsesAuthorization = true;
                                break;
                            case InvocationExpressionSyntax invocation:
                                facts.ReadInvocation(invocation, methods);
                                break;
                            case AssignmentExpressionSyntax { Left: var left, Right: var right } when SyntaxNames.LastIdentifier(left) == "FallbackPolicy" && !right.IsKind(SyntaxKind.NullLiteralExpression):
                                facts.HasFallbackPolicy = true;
                                break;
                            case ObjectCreationExpressionSyntax creation when SyntaxNames.LastIdentifier(creation.Type) == "AuthorizeFilter" && IsFiltersAdd(creation):
                                facts.HasGlobalAuthorizeFilter = true;
                                break;
                        }
                    }
                }

                facts.MethodsCalledOnAuthorizedBuilders = methods.ToImmutable();
                return facts;
            }

            private void ReadInvocation(InvocationExpressionSyntax invocation, ImmutableHashSet<string>.Builder methods)
            {
                var name = SyntaxNames.LastIdentifier(invocation.Expression);
                switch (name)
                {
                    case "AddAuthorization":
                    case "AddAuthorizationBuilder":
                    case "AddAuthentication":
                    case "UseAuthorization":
                        UsesAuthorization = true;
                        return;
                    case "SetFallbackPolicy":
                        UsesAuthorization = true;
                        if (invocation.ArgumentList.Arguments.Count > 0 && !invocation.ArgumentList.Arguments[0].Expression.IsKind(SyntaxKind.NullLiteralExpression))
                        {
                            HasFallbackPolicy = true;
                        }

                        return;
                    case "AddFilter" when invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic } && generic.TypeArgumentList.Arguments.Count == 1
                        && SyntaxNames.LastIdentifier(generic.TypeArgumentList.Arguments[0]) == "AuthorizeFilter":
                        HasGlobalAuthorizeFilter = true;
                        return;
                    case "Add" when invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic, Expression: var filters }
                        && SyntaxNames.LastIdentifier(filters) == "Filters" && generic.TypeArgumentList.Arguments.Count == 1 && SyntaxNames.LastIdentifier(generic.TypeArgumentList.Arguments[0]) == "AuthorizeFilter":
                        HasGlobalAuthorizeFilter = true;
                        return;
                    case "RequireAuthorization":
                        UsesAuthorization = true;
                        if (ChainContains(invocation.Expression, "MapControllers", "MapControllerRoute", "MapDefaultControllerRoute"))
                        {
                            ControllersRequireAuthorization = true;
                        }

                        // The method this builder is passed on to: app.MapGroup("/api").RequireAuthorization().MapPatients()
                        for (SyntaxNode? parent = invocation.Parent; parent is MemberAccessExpressionSyntax access && access.Parent is InvocationExpressionSyntax next; parent = next.Parent)
                        {
                            methods.Add(access.Name.Identifier.ValueText);
                        }

                        AddMethodsCalledOnLocal(invocation, methods);
                        return;
                }
            }

            /// <summary>var api = app.MapGroup("/api").RequireAuthorization(); api.MapPatients(); (or api.RequireAuthorization(); later)</summary>
            private static void AddMethodsCalledOnLocal(InvocationExpressionSyntax requirement, ImmutableHashSet<string>.Builder methods)
            {
                string? local = null;
                var outer = requirement.Parent;
                while (outer is InvocationExpressionSyntax or MemberAccessExpressionSyntax or ArgumentSyntax or ArgumentListSyntax)
                {
                    outer = outer.Parent;
                }

                if (outer is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator })
                {
                    local = declarator.Identifier.ValueText;
                }
                else if (requirement.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax identifier })
                {
                    local = identifier.Identifier.ValueText;
                }

                var body = requirement.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax or AnonymousFunctionExpressionSyntax);
                if (local is null || body is null)
                {
                    return;
                }

                foreach (var node in body.DescendantNodes())
                {
                    if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name: var called } }
                        && receiver.Identifier.ValueText == local)
                    {
                        methods.Add(called.Identifier.ValueText);
                    }
                }
            }

            private static bool ChainContains(ExpressionSyntax expression, params string[] names)
            {
                var current = expression;
                for (var guard = 0; guard < 32; guard++)
                {
                    switch (current)
                    {
                        case MemberAccessExpressionSyntax access:
                            current = access.Expression;
                            continue;
                        case InvocationExpressionSyntax invocation:
                            if (Array.IndexOf(names, SyntaxNames.LastIdentifier(invocation.Expression)) >= 0)
                            {
                                return true;
                            }

                            current = invocation.Expression;
                            continue;
                        default:
                            return false;
                    }
                }

                return false;
            }

            private static bool IsFiltersAdd(ObjectCreationExpressionSyntax creation) =>
                creation.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add", Expression: var target } } } }
                && SyntaxNames.LastIdentifier(target) == "Filters";
        }
    }
}
