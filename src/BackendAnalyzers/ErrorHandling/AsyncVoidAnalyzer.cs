using System.Collections.Concurrent;
using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

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

                start.RegisterSymbolStartAction(symbolStart => new TypeScope(types).Register(symbolStart), SymbolKind.NamedType);
            });
        }

        /// <summary>What one type's bodies reveal: its async void local functions and the methods it passes as delegates.</summary>
        private sealed class TypeScope
        {
            private readonly KnownTypes _types;
            private readonly ConcurrentDictionary<IMethodSymbol, bool> _usedAsDelegate = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
            private readonly ConcurrentBag<IMethodSymbol> _localFunctions = new ConcurrentBag<IMethodSymbol>();

            public TypeScope(KnownTypes types)
            {
                _types = types;
            }

            public void Register(SymbolStartAnalysisContext context)
            {
                if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface })
                {
                    return;
                }

                context.RegisterOperationAction(
                    c =>
                    {
                        var method = ((IMethodReferenceOperation)c.Operation).Method;
                        _usedAsDelegate.TryAdd(method.OriginalDefinition, true);
                    },
                    OperationKind.MethodReference);
                context.RegisterOperationAction(
                    c =>
                    {
                        var local = ((ILocalFunctionOperation)c.Operation).Symbol;
                        if (local.IsAsync && local.ReturnsVoid)
                        {
                            _localFunctions.Add(local);
                        }
                    },
                    OperationKind.LocalFunction);
                context.RegisterSymbolEndAction(ReportAtEnd);
            }

            private void ReportAtEnd(SymbolAnalysisContext context)
            {
                var type = (INamedTypeSymbol)context.Symbol;
                foreach (var member in type.GetMembers())
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsAsync: true, ReturnsVoid: true } method)
                    {
                        Report(context, method);
                    }
                }

                foreach (var local in _localFunctions)
                {
                    Report(context, local);
                }
            }

            private void Report(SymbolAnalysisContext context, IMethodSymbol method)
            {
                if (method.Locations.Length == 0 || !method.Locations[0].IsInSource || IsEventHandler(method) || _usedAsDelegate.ContainsKey(method.OriginalDefinition))
                {
                    return;
                }

                foreach (var parameter in method.Parameters)
                {
                    if (parameter.Type.TypeKind == TypeKind.Error)
                    {
                        return; // half-typed: it may be an event handler once its types resolve
                    }
                }

                var fixable = !ImplementsContract(method);
                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, fixable ? "true" : "false");
                context.ReportDiagnostic(Diagnostic.Create(Rule, method.Locations[0], properties, method.Name));
            }

            /// <summary><c>(object sender, EventArgs e)</c>, with any sender type and any EventArgs-derived second parameter.</summary>
            private bool IsEventHandler(IMethodSymbol method) =>
                method.Parameters.Length == 2 && method.Parameters[1].Type.InheritsFromOrEquals(_types.EventArgs);

            /// <summary>Overrides and interface implementations cannot change their return type on their own.</summary>
            private static bool ImplementsContract(IMethodSymbol method)
            {
                if (method.MethodKind == MethodKind.LocalFunction)
                {
                    return false;
                }

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
}
