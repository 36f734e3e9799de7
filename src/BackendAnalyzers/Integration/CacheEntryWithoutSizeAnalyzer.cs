using System;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Integration
{
    /// <summary>
    /// BA6003: once <c>MemoryCacheOptions.SizeLimit</c> is set anywhere in the compilation, every IMemoryCache entry
    /// must declare a Size, or adding it throws InvalidOperationException. Whether a limit is set is a fact about
    /// the whole compilation: it is computed once, lazily, when the first cache write is seen (a cheap text search
    /// for "SizeLimit", then a semantic check of each hit), so the IDE sees it live.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CacheEntryWithoutSizeAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: which fix applies (one of the <c>Fix*</c> values).</summary>
        public const string FixProperty = "Fix";

        /// <summary>Diagnostic property for <see cref="FixReplaceExpiration"/>: the options member that takes the expiration argument.</summary>
        public const string ExpirationMemberProperty = "ExpirationMember";

        /// <summary><c>cache.Set(key, value)</c>: add an options argument with Size = 1.</summary>
        public const string FixAppendOptions = "AppendOptions";

        /// <summary><c>cache.Set(key, value, expiration)</c> (argument at the first additional location): turn the expiration into options with Size = 1.</summary>
        public const string FixReplaceExpiration = "ReplaceExpiration";

        /// <summary>GetOrCreate(Async) lambda (first additional location): set the entry's Size.</summary>
        public const string FixFactory = "Factory";

        /// <summary>Options created in place (first additional location): add Size = 1 to its initializer.</summary>
        public const string FixOptionsInitializer = "OptionsInitializer";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.CacheEntryWithoutSize,
            title: "Cache entry without size on a size-limited cache",
            messageFormat: "'{0}' adds an entry with no Size, but the memory cache has a SizeLimit; the call throws InvalidOperationException at run time",
            RuleCategories.Integration,
            DiagnosticSeverity.Warning,
            description: "When MemoryCacheOptions.SizeLimit is set, MemoryCache requires every entry to declare its Size and throws InvalidOperationException for entries that do not. Set Size on the entry or its options (in the units the limit is counted in).");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var caches = new CacheEntryModel(types);
                if (!caches.HasMemoryCache || types.MemoryCacheOptions is null)
                {
                    return;
                }

                var compilation = start.Compilation;
                var sizeLimited = new Lazy<bool>(() => IsSizeLimitSet(compilation, types), LazyThreadSafetyMode.ExecutionAndPublication);
                start.RegisterOperationAction(ctx => Analyze(ctx, caches, sizeLimited), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, CacheEntryModel caches, Lazy<bool> sizeLimited)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!CacheEntryModel.IsCacheWriteName(invocation.TargetMethod.Name) || caches.Classify(invocation) is not { } write || write.IsDistributed)
            {
                return;
            }

            if (!sizeLimited.Value || caches.Sets(write, CacheEntrySetting.Size, context.CancellationToken))
            {
                return;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            var additional = ImmutableArray<Location>.Empty;
            switch (write.Kind)
            {
                case CacheWriteKind.MemorySet:
                    properties.Add(FixProperty, FixAppendOptions);
                    break;
                case CacheWriteKind.MemorySetWithExpiration when write.ExpirationArgument is { Syntax: ArgumentSyntax } argument
                    && ExpirationMember(argument) is { } member:
                    properties.Add(FixProperty, FixReplaceExpiration);
                    properties.Add(ExpirationMemberProperty, member);
                    additional = ImmutableArray.Create(argument.Syntax.GetLocation());
                    break;
                case CacheWriteKind.MemoryGetOrCreate when write.FactoryLambda is { Syntax: LambdaExpressionSyntax } lambda:
                    properties.Add(FixProperty, FixFactory);
                    additional = ImmutableArray.Create(lambda.Syntax.GetLocation());
                    break;
                case CacheWriteKind.MemorySetWithOptions:
                    if (caches.FindOptionsCreation(write) is { Syntax: BaseObjectCreationExpressionSyntax } creation)
                    {
                        properties.Add(FixProperty, FixOptionsInitializer);
                        additional = ImmutableArray.Create(creation.Syntax.GetLocation());
                    }

                    break;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, CacheEntryNeverExpiresAnalyzer.GetNameLocation(invocation), additional, properties.ToImmutable(), invocation.TargetMethod.Name));
        }

        /// <summary>The MemoryCacheEntryOptions member that holds what the Set overload's last argument meant.</summary>
        private static string? ExpirationMember(IArgumentOperation argument)
        {
            var type = argument.Parameter?.Type;
            if (type is null)
            {
                return null;
            }

            if (type.Name == "TimeSpan")
            {
                return "AbsoluteExpirationRelativeToNow";
            }

            if (type.Name == "DateTimeOffset")
            {
                return "AbsoluteExpiration";
            }

            return type.Name == "IChangeToken" ? "ExpirationTokens" : null;
        }

        /// <summary>
        /// Is <c>MemoryCacheOptions.SizeLimit</c> assigned a value anywhere in the compilation (AddMemoryCache(o =&gt;
        /// o.SizeLimit = ...), Configure&lt;MemoryCacheOptions&gt;, new MemoryCacheOptions { SizeLimit = ... })?
        /// Trees that do not contain the text "SizeLimit" are skipped without parsing or binding.
        /// </summary>
        internal static bool IsSizeLimitSet(Compilation compilation, KnownTypes types)
        {
            FunctionBodies? bodies = null;
            foreach (var tree in compilation.SyntaxTrees)
            {
                var text = tree.GetText();
                if (text.ToString().IndexOf("SizeLimit", StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                SemanticModel? model = null;
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    if (node is not IdentifierNameSyntax { Identifier.ValueText: "SizeLimit" } name || GetAssignment(name) is not { } assignment
                        || assignment.Right.IsKind(SyntaxKind.NullLiteralExpression))
                    {
                        continue;
                    }

                    bodies ??= new FunctionBodies(compilation);
                    model ??= bodies.GetSemanticModel(tree);
                    if (model.GetSymbolInfo(name).Symbol is IPropertySymbol property && property.ContainingType.IsSame(types.MemoryCacheOptions))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>The assignment whose target is this name: <c>SizeLimit = ...</c> in an initializer or <c>o.SizeLimit = ...</c>.</summary>
        private static AssignmentExpressionSyntax? GetAssignment(IdentifierNameSyntax name)
        {
            SyntaxNode target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            return target.Parent is AssignmentExpressionSyntax assignment && assignment.Left == target ? assignment : null;
        }
    }
}
