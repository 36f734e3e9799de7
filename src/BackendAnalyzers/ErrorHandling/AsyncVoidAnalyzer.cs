using System;
using System.Collections.Immutable;
using System.Linq;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendAnalyzers.ErrorHandling
{
    /// <summary>
    /// BA2006: an <c>async void</c> method or local function that is not an event handler. Its exceptions cannot be
    /// caught by the caller and crash the process; nobody can await it, so the request (or the host) moves on before
    /// it finishes. Event handlers (<c>(object sender, EventArgs e)</c>) and methods the same type passes as a delegate
    /// (<c>timer.Elapsed += OnElapsed</c>, <c>new Timer(OnTick)</c>) must be void and are left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AsyncVoidAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: "true" when the signature is the method's own to change (not an override or interface implementation).</summary>
        public const string FixableProperty = "Fixable";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.AsyncVoid,
            title: "async void method",
            messageFormat: "'{0}' is async void: callers cannot await it and its exceptions crash the process; return Task",
            RuleCategories.ErrorHandling,
            DiagnosticSeverity.Warning,
            description: "An async void method runs on after its caller has moved on, and an exception it throws cannot be caught by the caller: it is raised on the thread pool and terminates the process. Return Task (or Task<T>) and await it; only event handlers need to be async void.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.Task is null)
                {
                    return;
                }

                var eventArgs = types.EventArgs;
                var bodies = new FunctionBodies(start.Compilation);
                start.RegisterSymbolAction(c => AnalyzeMethod(c, eventArgs, bodies), SymbolKind.Method);
                start.RegisterSyntaxNodeAction(c => AnalyzeLocalFunction(c, eventArgs), SyntaxKind.LocalFunctionStatement);
            });
        }

        /// <summary><c>(object sender, EventArgs e)</c>, with any sender type and any EventArgs-derived second parameter.</summary>
        private static bool IsEventHandler(IMethodSymbol method, INamedTypeSymbol? eventArgs) =>
            method.Parameters.Length == 2 && method.Parameters[1].Type.InheritsFromOrEquals(eventArgs);

        private static bool HasUnresolvedParameter(IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.TypeKind == TypeKind.Error)
                {
                    return true; // half-typed: it may be an event handler once its types resolve
                }
            }

            return false;
        }

        private static void Report(Action<Diagnostic> report, IMethodSymbol method, bool fixable)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, fixable ? "true" : "false");
            report(Diagnostic.Create(Rule, method.Locations[0], properties, method.Name));
        }

        /// <summary>
        /// Local functions are found by syntax (<c>async void Name(...)</c>), which is cheap and rare; a reference to one as
        /// a method group inside its containing member makes it a delegate target.
        /// </summary>
        private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context, INamedTypeSymbol? eventArgs)
        {
            var declaration = (LocalFunctionStatementSyntax)context.Node;
            if (!declaration.Modifiers.Any(SyntaxKind.AsyncKeyword) || declaration.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword })
            {
                return;
            }

            if (context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not IMethodSymbol local
                || !local.IsAsync || !local.ReturnsVoid || IsEventHandler(local, eventArgs) || HasUnresolvedParameter(local))
            {
                return;
            }

            // The member that holds it; for top-level statements, the whole file (a local function is visible in all of them).
            var scope = declaration.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax or CompilationUnitSyntax);
            if (scope is not null)
            {
                foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (name.Identifier.ValueText != local.Name || IsCalled(name))
                    {
                        continue;
                    }

                    if (local.IsSame(context.SemanticModel.GetSymbolInfo(name, context.CancellationToken).Symbol))
                    {
                        return; // used as a delegate
                    }
                }
            }

            Report(context.ReportDiagnostic, local, fixable: true);
        }

        private static bool IsCalled(IdentifierNameSyntax name)
        {
            SyntaxNode expression = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            return expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression;
        }

        /// <summary>
        /// An async void method is reported unless its own type converts it to a delegate: the type's declarations are
        /// searched by name for a use that is not a call, and only such uses are bound. Async void methods are rare, so
        /// this costs nothing on the rest of the code.
        /// </summary>
        private static void AnalyzeMethod(SymbolAnalysisContext context, INamedTypeSymbol? eventArgs, FunctionBodies bodies)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.MethodKind != MethodKind.Ordinary || !method.IsAsync || !method.ReturnsVoid || method.Locations.Length == 0 || !method.Locations[0].IsInSource
                || IsEventHandler(method, eventArgs) || HasUnresolvedParameter(method) || IsUsedAsDelegateInItsType(method, bodies, context.CancellationToken))
            {
                return;
            }

            Report(context.ReportDiagnostic, method, fixable: !ImplementsContract(method));
        }

        private static bool IsUsedAsDelegateInItsType(IMethodSymbol method, FunctionBodies bodies, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var reference in method.ContainingType.DeclaringSyntaxReferences)
            {
                if (!bodies.Compilation.ContainsSyntaxTree(reference.SyntaxTree))
                {
                    continue;
                }

                SemanticModel? model = null;
                foreach (var name in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (name.Identifier.ValueText != method.Name || IsCalled(name))
                    {
                        continue;
                    }

                    model ??= bodies.GetSemanticModel(reference.SyntaxTree);
                    if (method.IsSame(model.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Overrides and interface implementations cannot change their return type on their own.</summary>
        private static bool ImplementsContract(IMethodSymbol method)
        {
            if (method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty)
            {
                return true;
            }

            var type = method.ContainingType;
            foreach (var implemented in type.AllInterfaces)
            {
                foreach (var member in implemented.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol && method.IsSame(type.FindImplementationForInterfaceMember(member)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
