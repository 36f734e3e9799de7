using System;
using System.Collections.Immutable;
using System.Globalization;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Integration
{
    /// <summary>
    /// BA6002: an IMemoryCache or IDistributedCache entry written with no absolute or sliding expiration and no
    /// expiration token. It stays until memory pressure (or never, in Redis) and serves stale data forever.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CacheEntryNeverExpiresAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>.editorconfig option: the expiration the fix adds (c# TimeSpan like 00:05:00, or whole minutes).</summary>
        public const string DefaultExpirationOption = "default_cache_expiration";

        /// <summary>Diagnostic property: which fix applies (one of the <c>Fix*</c> values).</summary>
        public const string FixProperty = "Fix";

        /// <summary>Diagnostic property: the TimeSpan expression the fix inserts, fully qualified.</summary>
        public const string ExpirationProperty = "Expiration";

        /// <summary>Diagnostic property: the index, among the call's syntax arguments, of the CancellationToken argument the options go before.</summary>
        public const string TokenIndexProperty = "TokenIndex";

        /// <summary><c>cache.Set(key, value)</c>: append the expiration argument.</summary>
        public const string FixAppendExpiration = "AppendExpiration";

        /// <summary>GetOrCreate(Async) lambda (first additional location): set the expiration on the entry.</summary>
        public const string FixFactory = "Factory";

        /// <summary>Options created in place (first additional location): add the expiration to its initializer.</summary>
        public const string FixOptionsInitializer = "OptionsInitializer";

        /// <summary>IDistributedCache write without options: add a DistributedCacheEntryOptions argument.</summary>
        public const string FixDistributedOptions = "DistributedOptions";

        internal static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(5);

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.CacheEntryNeverExpires,
            title: "Cache entry never expires",
            messageFormat: "'{0}' stores a cache entry with no absolute or sliding expiration; it is served until evicted, however stale",
            RuleCategories.Integration,
            DiagnosticSeverity.Warning,
            description: "A cache entry without expiration lives until memory pressure evicts it (IMemoryCache) or forever (most IDistributedCache stores). The data it holds goes stale and the cache grows with every distinct key. Give every entry an absolute or sliding expiration, or an expiration token.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                var caches = new CacheEntryModel(types);
                if (!caches.HasMemoryCache && !caches.HasDistributedCache)
                {
                    return;
                }

                // SQL Server's distributed cache gives entries without options a 20-minute sliding expiration.
                var distributedHasDefault = types.SqlServerCache is not null;
                start.RegisterOperationAction(ctx => Analyze(ctx, caches, distributedHasDefault), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, CacheEntryModel caches, bool distributedHasDefault)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!CacheEntryModel.IsCacheWriteName(invocation.TargetMethod.Name) || caches.Classify(invocation) is not { } write)
            {
                return;
            }

            if (write.IsDistributed && distributedHasDefault || caches.Sets(write, CacheEntrySetting.Expiration, context.CancellationToken))
            {
                return;
            }

            var tree = invocation.Syntax.SyntaxTree;
            var expiration = ReadExpiration(context.Options, tree);
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties.Add(ExpirationProperty, ToExpression(expiration));
            var additional = ImmutableArray<Location>.Empty;
            switch (write.Kind)
            {
                case CacheWriteKind.MemorySet:
                    properties.Add(FixProperty, FixAppendExpiration);
                    break;
                case CacheWriteKind.MemoryGetOrCreate when write.FactoryLambda is { } lambda && lambda.Syntax is LambdaExpressionSyntax:
                    properties.Add(FixProperty, FixFactory);
                    additional = ImmutableArray.Create(lambda.Syntax.GetLocation());
                    break;
                case CacheWriteKind.MemorySetWithOptions:
                case CacheWriteKind.DistributedSetWithOptions:
                    if (caches.FindOptionsCreation(write) is { } creation && creation.Syntax is BaseObjectCreationExpressionSyntax)
                    {
                        properties.Add(FixProperty, FixOptionsInitializer);
                        additional = ImmutableArray.Create(creation.Syntax.GetLocation());
                    }

                    break;
                case CacheWriteKind.DistributedSet when CanTakeOptions(write):
                    properties.Add(FixProperty, FixDistributedOptions);
                    properties.Add(TokenIndexProperty, FindTokenIndex(write).ToString(CultureInfo.InvariantCulture));
                    break;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, GetNameLocation(invocation), additional, properties.ToImmutable(), invocation.TargetMethod.Name));
        }

        /// <summary>The method name of the call (<c>Set</c> in <c>cache.Set(...)</c>): a short, stable place to report.</summary>
        internal static Location GetNameLocation(IInvocationOperation invocation) => invocation.Syntax is InvocationExpressionSyntax call
            ? call.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                SimpleNameSyntax name => name.GetLocation(),
                _ => call.GetLocation(),
            }
            : invocation.Syntax.GetLocation();

        /// <summary>
        /// An options argument binds only where an overload takes one: SetString(Async) always; Set(Async) of bytes
        /// only as IDistributedCache's own methods, so only when called in extension form (<c>cache.Set(...)</c>).
        /// </summary>
        private static bool CanTakeOptions(CacheWrite write)
        {
            if (write.Invocation.TargetMethod.Name is "SetString" or "SetStringAsync")
            {
                return true;
            }

            foreach (var argument in write.Invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    return argument.Syntax is not ArgumentSyntax;
                }
            }

            return false;
        }

        /// <summary>Index of the explicit CancellationToken argument in the call's argument list, or -1.</summary>
        private static int FindTokenIndex(CacheWrite write)
        {
            if (write.Invocation.Syntax is not InvocationExpressionSyntax call)
            {
                return -1;
            }

            foreach (var argument in write.Invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Type.Name == "CancellationToken"
                    && argument.Syntax is ArgumentSyntax syntax)
                {
                    return call.ArgumentList.Arguments.IndexOf(syntax);
                }
            }

            return -1;
        }

        internal static TimeSpan ReadExpiration(AnalyzerOptions options, SyntaxTree tree)
        {
            var text = AnalyzerOptionsReader.GetString(options, tree, RuleIds.CacheEntryNeverExpires, DefaultExpirationOption);
            if (text is null)
            {
                return DefaultExpiration;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes))
            {
                return minutes > 0 && minutes <= 525600 ? TimeSpan.FromMinutes(minutes) : DefaultExpiration;
            }

            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
                ? value
                : DefaultExpiration;
        }

        /// <summary>The shortest readable factory call for the value: FromHours/FromMinutes/FromSeconds/FromMilliseconds.</summary>
        internal static string ToExpression(TimeSpan value)
        {
            var ticks = value.Ticks;
            string factory;
            long amount;
            if (ticks % TimeSpan.TicksPerHour == 0)
            {
                factory = "FromHours";
                amount = ticks / TimeSpan.TicksPerHour;
            }
            else if (ticks % TimeSpan.TicksPerMinute == 0)
            {
                factory = "FromMinutes";
                amount = ticks / TimeSpan.TicksPerMinute;
            }
            else if (ticks % TimeSpan.TicksPerSecond == 0)
            {
                factory = "FromSeconds";
                amount = ticks / TimeSpan.TicksPerSecond;
            }
            else
            {
                factory = "FromMilliseconds";
                amount = Math.Max(1, ticks / TimeSpan.TicksPerMillisecond);
            }

            return "global::System.TimeSpan." + factory + "(" + amount.ToString(CultureInfo.InvariantCulture) + ")";
        }
    }
}
