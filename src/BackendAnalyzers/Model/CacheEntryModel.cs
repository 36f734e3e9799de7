using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Model
{
    /// <summary>How a call writes a cache entry, which decides where its settings can come from.</summary>
    internal enum CacheWriteKind
    {
        /// <summary><c>IMemoryCache.Set(key, value)</c>: nothing configured.</summary>
        MemorySet,

        /// <summary><c>IMemoryCache.Set(key, value, TimeSpan | DateTimeOffset | IChangeToken)</c>: an expiration, nothing else.</summary>
        MemorySetWithExpiration,

        /// <summary><c>IMemoryCache.Set(key, value, MemoryCacheEntryOptions)</c>.</summary>
        MemorySetWithOptions,

        /// <summary><c>IMemoryCache.GetOrCreate(Async)(key, factory[, options])</c>: the factory configures the entry.</summary>
        MemoryGetOrCreate,

        /// <summary><c>IMemoryCache.CreateEntry(key)</c>: the caller configures the returned entry.</summary>
        MemoryCreateEntry,

        /// <summary><c>IDistributedCache.Set(Async)</c> / <c>SetString(Async)</c> with DistributedCacheEntryOptions.</summary>
        DistributedSetWithOptions,

        /// <summary><c>IDistributedCache.Set(Async)</c> / <c>SetString(Async)</c> extension overloads without options.</summary>
        DistributedSet,
    }

    /// <summary>An entry setting a rule asks about.</summary>
    internal enum CacheEntrySetting
    {
        /// <summary>Absolute or sliding expiration, or an expiration token.</summary>
        Expiration,

        /// <summary>The entry's Size (required once the cache has a SizeLimit).</summary>
        Size,
    }

    /// <summary>One call that writes a cache entry.</summary>
    internal sealed class CacheWrite
    {
        public CacheWrite(IInvocationOperation invocation, CacheWriteKind kind, IArgumentOperation? options, IArgumentOperation? factory, IArgumentOperation? expiration)
        {
            Invocation = invocation;
            Kind = kind;
            OptionsArgument = options;
            FactoryArgument = factory;
            ExpirationArgument = expiration;
        }

        public IInvocationOperation Invocation { get; }

        public CacheWriteKind Kind { get; }

        /// <summary>The MemoryCacheEntryOptions/DistributedCacheEntryOptions argument, when the overload has one.</summary>
        public IArgumentOperation? OptionsArgument { get; }

        /// <summary>The factory argument of GetOrCreate(Async).</summary>
        public IArgumentOperation? FactoryArgument { get; }

        /// <summary>The TimeSpan/DateTimeOffset/IChangeToken argument of <see cref="CacheWriteKind.MemorySetWithExpiration"/>.</summary>
        public IArgumentOperation? ExpirationArgument { get; }

        public bool IsDistributed => Kind is CacheWriteKind.DistributedSet or CacheWriteKind.DistributedSetWithOptions;

        /// <summary>The factory when it is a lambda written in place; null for method groups and delegates from elsewhere.</summary>
        public IAnonymousFunctionOperation? FactoryLambda
        {
            get
            {
                var value = FactoryArgument?.Value.WalkDownConversion();
                if (value is IDelegateCreationOperation creation)
                {
                    value = creation.Target.WalkDownConversion();
                }

                return value as IAnonymousFunctionOperation;
            }
        }
    }

    /// <summary>
    /// IMemoryCache and IDistributedCache writes and the settings their entries get: from options built in place
    /// or through a local, from the entry inside a GetOrCreate factory, or from the entry CreateEntry returns.
    /// Settings that come from elsewhere (a field, a parameter, a helper the entry is handed to) count as set:
    /// the rules that ask (BA6002 expiration, BA6003 size) prefer silence to a guess.
    /// </summary>
    internal sealed class CacheEntryModel
    {
        private readonly KnownTypes _types;

        public CacheEntryModel(KnownTypes types)
        {
            _types = types;
        }

        public KnownTypes Types => _types;

        public bool HasMemoryCache => _types.IMemoryCache is not null && _types.MemoryCacheExtensions is not null;

        public bool HasDistributedCache => _types.IDistributedCache is not null;

        /// <summary>Cheap first test on the method name before any symbol work.</summary>
        public static bool IsCacheWriteName(string name) => name switch
        {
            "Set" or "SetAsync" or "SetString" or "SetStringAsync" or "GetOrCreate" or "GetOrCreateAsync" or "CreateEntry" => true,
            _ => false,
        };

        public CacheWrite? Classify(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (!IsCacheWriteName(method.Name) || method.ContainingType is not { } containing)
            {
                return null;
            }

            if (method.Name == "CreateEntry")
            {
                return !method.IsStatic && containing.IsOrImplements(_types.IMemoryCache)
                    ? new CacheWrite(invocation, CacheWriteKind.MemoryCreateEntry, null, null, null)
                    : null;
            }

            if (containing.IsSame(_types.MemoryCacheExtensions) && _types.MemoryCacheExtensions is not null)
            {
                return ClassifyMemory(invocation, method);
            }

            if (containing.IsSame(_types.IDistributedCache) || containing.IsSame(_types.DistributedCacheExtensions) && _types.DistributedCacheExtensions is not null)
            {
                return ClassifyDistributed(invocation, method);
            }

            return null;
        }

        private CacheWrite? ClassifyMemory(IInvocationOperation invocation, IMethodSymbol method)
        {
            switch (method.Name)
            {
                case "Set":
                    if (method.Parameters.Length == 3)
                    {
                        return new CacheWrite(invocation, CacheWriteKind.MemorySet, null, null, null);
                    }

                    if (method.Parameters.Length != 4)
                    {
                        return null;
                    }

                    var last = FindArgument(invocation, 3);
                    return method.Parameters[3].Type.IsSame(_types.MemoryCacheEntryOptions)
                        ? new CacheWrite(invocation, CacheWriteKind.MemorySetWithOptions, last, null, null)
                        : new CacheWrite(invocation, CacheWriteKind.MemorySetWithExpiration, null, null, last);
                case "GetOrCreate":
                case "GetOrCreateAsync":
                    if (method.Parameters.Length < 3)
                    {
                        return null;
                    }

                    var options = method.Parameters.Length > 3 && method.Parameters[3].Type.IsSame(_types.MemoryCacheEntryOptions) ? FindArgument(invocation, 3) : null;
                    return new CacheWrite(invocation, CacheWriteKind.MemoryGetOrCreate, options, FindArgument(invocation, 2), null);
                default:
                    return null;
            }
        }

        private CacheWrite? ClassifyDistributed(IInvocationOperation invocation, IMethodSymbol method)
        {
            if (method.Name is "GetOrCreate" or "GetOrCreateAsync" or "CreateEntry")
            {
                return null;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.IsSame(_types.DistributedCacheEntryOptions))
                {
                    return new CacheWrite(invocation, CacheWriteKind.DistributedSetWithOptions, FindArgument(invocation, parameter.Ordinal), null, null);
                }
            }

            return new CacheWrite(invocation, CacheWriteKind.DistributedSet, null, null, null);
        }

        private static IArgumentOperation? FindArgument(IInvocationOperation invocation, int ordinal)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    return argument;
                }
            }

            return null;
        }

        /// <summary>True when the write sets <paramref name="setting"/> on its entry, or when that cannot be told from here.</summary>
        public bool Sets(CacheWrite write, CacheEntrySetting setting, CancellationToken cancellationToken)
        {
            var root = write.Invocation.GetRoot();
            switch (write.Kind)
            {
                case CacheWriteKind.MemorySet:
                case CacheWriteKind.DistributedSet:
                    return false;
                case CacheWriteKind.MemorySetWithExpiration:
                    return setting == CacheEntrySetting.Expiration;
                case CacheWriteKind.MemorySetWithOptions:
                case CacheWriteKind.DistributedSetWithOptions:
                    return write.OptionsArgument is null || OptionsSet(write.OptionsArgument.Value, setting, root, cancellationToken);
                case CacheWriteKind.MemoryGetOrCreate:
                    if (write.OptionsArgument is { } options && !IsNullOrDefault(options) && OptionsSet(options.Value, setting, root, cancellationToken))
                    {
                        return true;
                    }

                    var lambda = write.FactoryLambda;
                    if (lambda is null)
                    {
                        return true; // a method group or a delegate from elsewhere: not followed
                    }

                    return lambda.Symbol.Parameters.Length == 0 || EntrySet(lambda.Symbol.Parameters[0], lambda.Body, setting, cancellationToken);
                case CacheWriteKind.MemoryCreateEntry:
                    return CreatedEntrySet(write.Invocation, setting, root, cancellationToken);
                default:
                    return true;
            }
        }

        /// <summary>
        /// The options object created in place that the fix can add a member to: the argument itself
        /// (<c>new MemoryCacheEntryOptions { ... }</c>) or the only value a local of options is given.
        /// </summary>
        public IObjectCreationOperation? FindOptionsCreation(CacheWrite write)
        {
            var value = write.OptionsArgument?.Value.WalkDownConversion();
            if (value is IObjectCreationOperation creation)
            {
                return creation;
            }

            if (value is ILocalReferenceOperation local)
            {
                IObjectCreationOperation? found = null;
                var count = 0;
                foreach (var operation in write.Invocation.GetRoot().Descendants())
                {
                    IOperation? assigned = operation switch
                    {
                        IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(local.Local) => declarator.GetVariableInitializer()?.Value,
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when target.Local.IsSame(local.Local) => assignment.Value,
                        _ => null,
                    };
                    if (assigned is not null)
                    {
                        count++;
                        found = assigned.WalkDownConversion() as IObjectCreationOperation;
                    }
                }

                return count == 1 ? found : null;
            }

            return null;
        }

        private static bool IsNullOrDefault(IArgumentOperation argument)
        {
            var value = argument.Value.WalkDownConversion();
            return argument.ArgumentKind == ArgumentKind.DefaultValue
                || value is IDefaultValueOperation
                || value.ConstantValue is { HasValue: true, Value: null };
        }

        private bool OptionsSet(IOperation options, CacheEntrySetting setting, IOperation root, CancellationToken cancellationToken)
        {
            var value = options.WalkDownConversion();
            switch (value)
            {
                case IDefaultValueOperation:
                case ILiteralOperation:
                    return false;
                case IObjectCreationOperation creation:
                    return InitializerSets(creation.Initializer, setting);
                case IInvocationOperation call when IsOptionsExtension(call.TargetMethod):
                    // new MemoryCacheEntryOptions().SetPriority(...).SetAbsoluteExpiration(...)
                    return SetsThroughMethod(call.TargetMethod.Name, setting)
                        || call.GetReceiverOrThisArgument() is { } inner && OptionsSet(inner, setting, root, cancellationToken);
                case ILocalReferenceOperation local:
                    return LocalOptionsSet(local.Local, setting, root, cancellationToken);
                default:
                    return value.ConstantValue is { HasValue: true, Value: null } ? false : true; // a field, a parameter, a helper: configured elsewhere
            }
        }

        private bool LocalOptionsSet(ILocalSymbol local, CacheEntrySetting setting, IOperation root, CancellationToken cancellationToken)
        {
            foreach (var operation in root.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when declarator.Symbol.IsSame(local):
                        if (declarator.GetVariableInitializer()?.Value is { } initial && OptionsSet(initial, setting, root, cancellationToken))
                        {
                            return true;
                        }

                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when target.Local.IsSame(local):
                        if (OptionsSet(assignment.Value, setting, root, cancellationToken))
                        {
                            return true;
                        }

                        break;
                    case ILocalReferenceOperation reference when reference.Local.IsSame(local) && !reference.IsDeclaration:
                        if (UsageSets(reference, setting, isEntry: false, root, cancellationToken))
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }

        /// <summary>Does the body set the setting on the entry parameter (or hand the entry to code that may)?</summary>
        private bool EntrySet(IParameterSymbol entry, IOperation body, CacheEntrySetting setting, CancellationToken cancellationToken)
        {
            var root = body.GetRoot();
            foreach (var operation in body.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is IParameterReferenceOperation reference && reference.Parameter.IsSame(entry)
                    && UsageSets(reference, setting, isEntry: true, root, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        }

        private bool CreatedEntrySet(IInvocationOperation createEntry, CacheEntrySetting setting, IOperation root, CancellationToken cancellationToken)
        {
            var parent = createEntry.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                foreach (var operation in root.Descendants())
                {
                    if (operation is ILocalReferenceOperation reference && reference.Local.IsSame(declarator.Symbol) && !reference.IsDeclaration
                        && UsageSets(reference, setting, isEntry: true, root, cancellationToken))
                    {
                        return true;
                    }
                }

                return false;
            }

            // cache.CreateEntry(key).SetValue(v).SetSize(1)...: the chain itself is the usage.
            return UsageSets(createEntry, setting, isEntry: true, root, cancellationToken);
        }

        /// <summary>
        /// One use of an entry (ICacheEntry) or options object: does it set the setting, or hand the object to code
        /// the model does not follow? Fluent chains of the cache extension methods are followed.
        /// </summary>
        private bool UsageSets(IOperation use, CacheEntrySetting setting, bool isEntry, IOperation root, CancellationToken cancellationToken)
        {
            var current = use;
            while (true)
            {
                var child = current;
                var parent = current.Parent;
                while (parent is IConversionOperation or IParenthesizedOperation)
                {
                    child = parent;
                    parent = parent.Parent;
                }

                switch (parent)
                {
                    case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, child):
                        return SetsThroughProperty(property.Property.Name, setting);
                    case IArgumentOperation { Parent: IInvocationOperation call } argument:
                        var method = call.TargetMethod;
                        if (isEntry ? IsEntryExtension(method) : IsOptionsExtension(method))
                        {
                            if (argument.Parameter?.Ordinal != 0)
                            {
                                return false;
                            }

                            if (SetsThroughMethod(method.Name, setting))
                            {
                                return true;
                            }

                            if (method.Name == "SetOptions" && isEntry)
                            {
                                // entry.SetOptions(options): the options decide.
                                return call.GetArgument(1) is { } options && OptionsSet(options, setting, root, cancellationToken);
                            }

                            current = call; // fluent: entry.SetPriority(...).SetSize(1)
                            continue;
                        }

                        if (Classify(call) is not null)
                        {
                            return false; // the options go into a cache write; that write is judged on its own
                        }

                        return true; // handed to a helper: not followed
                    case IInvocationOperation call when ReferenceEquals(call.Instance, child):
                        return false; // entry.Dispose() and the like
                    case IExpressionStatementOperation:
                    case IUsingOperation:
                    case IUsingDeclarationOperation:
                    case IVariableDeclarationOperation:
                    case null:
                        return false;
                    case IVariableInitializerOperation:
                    case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, child):
                    case IReturnOperation:
                        return true; // stored or returned: configured elsewhere, perhaps
                    default:
                        return false;
                }
            }
        }

        private bool IsEntryExtension(IMethodSymbol method) => method.ContainingType.IsSame(_types.CacheEntryExtensions);

        private bool IsOptionsExtension(IMethodSymbol method) =>
            method.ContainingType.IsSame(_types.MemoryCacheEntryExtensions) || method.ContainingType.IsSame(_types.DistributedCacheEntryExtensions);

        private static bool InitializerSets(IObjectOrCollectionInitializerOperation? initializer, CacheEntrySetting setting)
        {
            if (initializer is null)
            {
                return false;
            }

            foreach (var item in initializer.Initializers)
            {
                switch (item)
                {
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                        when SetsThroughProperty(property.Property.Name, setting):
                        if (assignment.Value.WalkDownConversion().ConstantValue is not { HasValue: true, Value: null })
                        {
                            return true;
                        }

                        break;
                    case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation member }
                        when SetsThroughProperty(member.Property.Name, setting):
                        return true;
                }
            }

            return false;
        }

        private static bool SetsThroughProperty(string name, CacheEntrySetting setting) => setting switch
        {
            CacheEntrySetting.Expiration => name is "AbsoluteExpiration" or "AbsoluteExpirationRelativeToNow" or "SlidingExpiration" or "ExpirationTokens",
            CacheEntrySetting.Size => name == "Size",
            _ => false,
        };

        private static bool SetsThroughMethod(string name, CacheEntrySetting setting) => setting switch
        {
            CacheEntrySetting.Expiration => name is "SetAbsoluteExpiration" or "SetSlidingExpiration" or "AddExpirationToken",
            CacheEntrySetting.Size => name == "SetSize",
            _ => false,
        };
    }
}
