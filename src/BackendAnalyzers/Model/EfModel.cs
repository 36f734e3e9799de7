using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Model
{
    /// <summary>Where a primary key comes from, weakest first.</summary>
    internal enum KeySource
    {
        Convention,
        Annotation,
        Fluent,
    }

    /// <summary>What the compilation tells EF Core about one entity type: keys, indexes, foreign keys.</summary>
    internal sealed class EfEntity
    {
        private readonly List<ImmutableArray<string>> _keys = new List<ImmutableArray<string>>();
        private readonly List<ImmutableArray<string>> _indexes = new List<ImmutableArray<string>>();
        private readonly HashSet<string> _foreignKeys = new HashSet<string>(StringComparer.Ordinal);

        public EfEntity(INamedTypeSymbol type)
        {
            Type = type;
        }

        public INamedTypeSymbol Type { get; }

        /// <summary>The primary key's properties, in order (empty when unknown or keyless).</summary>
        public ImmutableArray<string> PrimaryKey { get; private set; } = ImmutableArray<string>.Empty;

        /// <summary>The primary key was stated (HasKey, [Key], [PrimaryKey]) rather than found by convention.</summary>
        public bool HasExplicitPrimaryKey { get; private set; }

        public bool IsKeyless { get; private set; }

        /// <summary>Alternate keys (HasAlternateKey): each is unique and indexed.</summary>
        public IReadOnlyList<ImmutableArray<string>> AlternateKeys => _keys;

        public IReadOnlyList<ImmutableArray<string>> Indexes => _indexes;

        public IReadOnlyCollection<string> ForeignKeys => _foreignKeys;

        /// <summary>Where the entity is configured fluently (an IEntityTypeConfiguration class or a modelBuilder.Entity call).</summary>
        public Location? FluentConfiguration { get; private set; }

        /// <summary>True when an index, the primary key, an alternate key or a foreign key starts with the property.</summary>
        public bool HasIndexStartingWith(string property)
        {
            if (PrimaryKey.Length > 0 && PrimaryKey[0] == property)
            {
                return true;
            }

            foreach (var key in _keys)
            {
                if (key.Length > 0 && key[0] == property)
                {
                    return true;
                }
            }

            foreach (var index in _indexes)
            {
                if (index.Length > 0 && index[0] == property)
                {
                    return true;
                }
            }

            // EF Core creates an index for every foreign key.
            return _foreignKeys.Contains(property);
        }

        /// <summary>Where <see cref="PrimaryKey"/> comes from.</summary>
        internal KeySource PrimaryKeySource { get; private set; }

        /// <summary>
        /// Sets the primary key unless a stronger source already set it: as in EF Core, the fluent API wins over
        /// attributes, and attributes win over the Id/&lt;Type&gt;Id convention.
        /// </summary>
        internal void SetPrimaryKey(ImmutableArray<string> properties, KeySource source)
        {
            if (properties.IsEmpty || source < PrimaryKeySource || PrimaryKey.Length > 0 && source == KeySource.Convention)
            {
                return;
            }

            PrimaryKey = properties;
            PrimaryKeySource = source;
            HasExplicitPrimaryKey = source != KeySource.Convention;
        }

        internal void SetKeyless() => IsKeyless = true;

        internal void AddAlternateKey(ImmutableArray<string> properties)
        {
            if (!properties.IsEmpty)
            {
                _keys.Add(properties);
            }
        }

        internal void AddIndex(ImmutableArray<string> properties)
        {
            if (!properties.IsEmpty)
            {
                _indexes.Add(properties);
            }
        }

        internal void AddForeignKey(string property) => _foreignKeys.Add(property);

        internal void SetFluentConfiguration(Location location) => FluentConfiguration ??= location;

        /// <summary>The entity takes an ILazyLoader (or a lazyLoader delegate): its navigations load themselves when read.</summary>
        public bool HasLazyLoader { get; private set; }

        internal void SetLazyLoader() => HasLazyLoader = true;

        /// <summary>A copy to add what other entities state about this one, leaving the original as its own declarations made it.</summary>
        internal EfEntity Copy()
        {
            var copy = new EfEntity(Type)
            {
                PrimaryKey = PrimaryKey,
                HasExplicitPrimaryKey = HasExplicitPrimaryKey,
                IsKeyless = IsKeyless,
                FluentConfiguration = FluentConfiguration,
                PrimaryKeySource = PrimaryKeySource,
                HasLazyLoader = HasLazyLoader,
            };
            copy._keys.AddRange(_keys);
            copy._indexes.AddRange(_indexes);
            copy._foreignKeys.UnionWith(_foreignKeys);
            return copy;
        }
    }


    /// <summary>
    /// The EF Core model as the compilation declares it: entity types (DbSet&lt;T&gt; properties, Set&lt;T&gt;(),
    /// modelBuilder.Entity&lt;T&gt;(), IEntityTypeConfiguration&lt;T&gt;), their keys, indexes and foreign keys (attributes,
    /// conventions, HasKey/HasIndex/HasAlternateKey/HasForeignKey in OnModelCreating and configuration classes), and the
    /// global options that change what queries do (lazy-loading proxies, no-tracking and split-query defaults).
    /// <para>
    /// Built in two steps. The files' syntax is read once per file (<see cref="EfFileFacts"/>, kept per syntax tree
    /// by the analyzers, so an edit re-reads one file), and indexed here by the simple names of the types they name.
    /// An entity is then resolved on first use, when a rule asks about a type: only the places that name a type of
    /// that name are bound, and only their declarations or type syntax, never a method body. A model is made per
    /// compilation and is safe to use from several threads.
    /// </para>
    /// </summary>
    internal sealed class EfModel
    {
        private readonly KnownTypes? _types;
        private readonly FunctionBodies? _bodies;
        private readonly Dictionary<string, List<(SyntaxTree Tree, EfEntitySite Site)>> _sites = new Dictionary<string, List<(SyntaxTree, EfEntitySite)>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(SyntaxTree Tree, EfFluentFact Fact)>> _fluent = new Dictionary<string, List<(SyntaxTree, EfFluentFact)>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(SyntaxTree Tree, EfFluentFact Fact)>> _navigationForeignKeys = new Dictionary<string, List<(SyntaxTree, EfFluentFact)>>(StringComparer.Ordinal);
        private readonly List<(SyntaxTree Tree, TextSpan Span)> _unresolvedFluent = new List<(SyntaxTree, TextSpan)>();
        private readonly List<(SyntaxTree Tree, TextSpan Span)> _sqliteCalls = new List<(SyntaxTree, TextSpan)>();
        private readonly Dictionary<string, List<(SyntaxTree Tree, TextSpan Span)>> _collectionForeignKeyAttributes = new Dictionary<string, List<(SyntaxTree, TextSpan)>>(StringComparer.Ordinal);
        private readonly List<(SyntaxTree Tree, TextSpan Span)> _unreadCollectionForeignKeyAttributes = new List<(SyntaxTree, TextSpan)>();
        private readonly List<SyntaxTree> _lazyLoaderTrees = new List<SyntaxTree>();
        private readonly Dictionary<SyntaxTree, EfFileFacts> _files = new Dictionary<SyntaxTree, EfFileFacts>();
        private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<EfEntity?>> _core = new ConcurrentDictionary<INamedTypeSymbol, Lazy<EfEntity?>>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<EfEntity?>> _full = new ConcurrentDictionary<INamedTypeSymbol, Lazy<EfEntity?>>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<(SyntaxTree, TextSpan), ITypeSymbol?> _boundTypes = new ConcurrentDictionary<(SyntaxTree, TextSpan), ITypeSymbol?>();
        private readonly Lazy<Dictionary<INamedTypeSymbol, List<(EfFluentKind Kind, ImmutableArray<string> Properties)>>> _boundFluent;
        private readonly Lazy<bool> _lazyLoading;
        private readonly Lazy<bool> _usesSqlite;

        private EfModel(KnownTypes? types, FunctionBodies? bodies, bool lazyProxies, bool noTracking, bool splitQuery)
        {
            _types = types;
            _bodies = bodies;
            LazyLoadingProxies = lazyProxies;
            NoTrackingByDefault = noTracking;
            SplitQueryByDefault = splitQuery;
            _boundFluent = new Lazy<Dictionary<INamedTypeSymbol, List<(EfFluentKind, ImmutableArray<string>)>>>(BindUnresolvedFluent, LazyThreadSafetyMode.ExecutionAndPublication);
            _lazyLoading = new Lazy<bool>(() => lazyProxies || AnyLazyLoader(), LazyThreadSafetyMode.ExecutionAndPublication);
            _usesSqlite = new Lazy<bool>(AnySqliteCall, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public static EfModel Empty { get; } = new EfModel(null, null, false, false, false);

        /// <summary>Every entity type of the model. This resolves them all; rules ask about one type instead.</summary>
        public IEnumerable<EfEntity> Entities
        {
            get
            {
                var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                var entities = new List<EfEntity>();
                foreach (var sites in _sites.Values)
                {
                    foreach (var (tree, site) in sites)
                    {
                        if (SiteEntityType(tree, site) is { } type && seen.Add(type) && GetEntity(type) is { } entity)
                        {
                            entities.Add(entity);
                        }
                    }
                }

                foreach (var facts in _fluent.Values)
                {
                    foreach (var (tree, fact) in facts)
                    {
                        if (AsEntityType(BoundType(tree, fact.EntityTypeSpan)) is { } type && seen.Add(type) && GetEntity(type) is { } entity)
                        {
                            entities.Add(entity);
                        }
                    }
                }

                return entities;
            }
        }

        /// <summary>UseLazyLoadingProxies is called, or an entity takes an ILazyLoader.</summary>
        public bool LazyLoadingEnabled => _lazyLoading.Value;

        /// <summary>
        /// UseLazyLoadingProxies is called (and not with <c>false</c>): every virtual navigation of every entity loads
        /// itself when read. Entities with an ILazyLoader are told by <see cref="EfEntity.HasLazyLoader"/>.
        /// </summary>
        public bool LazyLoadingProxies { get; }

        /// <summary>UseQueryTrackingBehavior(NoTracking) or ChangeTracker.QueryTrackingBehavior = NoTracking somewhere.</summary>
        public bool NoTrackingByDefault { get; }

        /// <summary>UseQuerySplittingBehavior(SplitQuery) somewhere.</summary>
        public bool SplitQueryByDefault { get; }

        /// <summary>
        /// EF Core's UseSqlite is called somewhere: SQLite cannot compare or order decimal, DateTimeOffset, TimeSpan and
        /// ulong values in SQL, so queries on them run in memory on purpose. The calls are bound on first use only.
        /// </summary>
        public bool UsesSqlite => _usesSqlite.Value;

        /// <summary>Is the type an entity of the model? Resolves the type's declarations, not its keys' sources elsewhere.</summary>
        public bool IsEntity(ITypeSymbol? type) => type is INamedTypeSymbol named && Core(named) is not null;

        /// <summary>The entity with its keys, indexes and foreign keys, or null when the type is not an entity.</summary>
        public EfEntity? GetEntity(ITypeSymbol? type)
        {
            if (type is not INamedTypeSymbol named || !MayBeEntity(named))
            {
                return null;
            }

            named = named.OriginalDefinition;
            return _full.GetOrAdd(named, t => new Lazy<EfEntity?>(() => ResolveFull(t), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        /// <summary>
        /// The entity a navigation property points at (its type, or the element of its collection type), or null when
        /// the property is not a navigation of the model. The entity is as its own declarations state it: foreign keys
        /// that other entities name are not added (ask <see cref="GetEntity"/> for those).
        /// </summary>
        public EfEntity? GetNavigationTarget(IPropertySymbol? property, out bool isCollection)
        {
            isCollection = false;
            if (property is null || property.IsStatic || property.IsIndexer)
            {
                return null;
            }

            if (property.Type is INamedTypeSymbol referenceType && Core(referenceType) is { } reference)
            {
                return reference;
            }

            if (property.Type.SpecialType == SpecialType.System_String || CollectionElementType(property.Type) is not INamedTypeSymbol element || Core(element) is not { } target)
            {
                return null;
            }

            isCollection = true;
            return target;
        }

        /// <summary>
        /// Reading the navigation loads it from the database when it was not loaded: lazy-loading proxies are on and
        /// the property is virtual (proxies override only those), or its entity takes an ILazyLoader.
        /// </summary>
        public bool LoadsLazily(IPropertySymbol navigation)
        {
            if (!LazyLoadingEnabled || GetNavigationTarget(navigation, out _) is null)
            {
                return false;
            }

            if (LazyLoadingProxies && (navigation.IsVirtual || navigation.IsOverride || navigation.IsAbstract) && !navigation.IsSealed
                && navigation.ContainingType is { IsSealed: false })
            {
                return true;
            }

            return Core(navigation.ContainingType) is { HasLazyLoader: true };
        }

        /// <summary>The model of a compilation, reading each file's syntax directly (tests, the AI package).</summary>
        public static EfModel Build(Compilation compilation, KnownTypes types, FunctionBodies bodies, CancellationToken cancellationToken) =>
            Build(compilation, types, bodies, EfFileFacts.Read, cancellationToken);

        /// <summary>The model of a compilation, with each file's facts from <paramref name="facts"/> (an analyzer's per-tree cache).</summary>
        public static EfModel Build(Compilation compilation, KnownTypes types, FunctionBodies bodies, Func<SyntaxTree, EfFileFacts> facts, CancellationToken cancellationToken)
        {
            if (types.DbContext is null)
            {
                return Empty;
            }

            var files = new List<(SyntaxTree Tree, EfFileFacts Facts)>();
            bool lazyProxies = false, noTracking = false, splitQuery = false;
            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = facts(tree);
                if (file.IsEmpty)
                {
                    continue;
                }

                files.Add((tree, file));
                lazyProxies |= file.LazyLoadingProxies;
                noTracking |= file.NoTracking;
                splitQuery |= file.SplitQuery;
            }

            var model = new EfModel(types, bodies, lazyProxies, noTracking, splitQuery);
            foreach (var (tree, file) in files)
            {
                model.Index(tree, file);
            }

            return model;
        }

        private void Index(SyntaxTree tree, EfFileFacts file)
        {
            _files[tree] = file;
            foreach (var site in file.Sites)
            {
                Add(_sites, site.Name, (tree, site));
            }

            foreach (var fact in file.Fluent)
            {
                if (fact.Navigation is null)
                {
                    Add(_fluent, fact.EntityName, (tree, fact));
                }
                else
                {
                    foreach (var property in fact.Properties)
                    {
                        Add(_navigationForeignKeys, property, (tree, fact));
                    }
                }
            }

            foreach (var span in file.UnresolvedFluent)
            {
                _unresolvedFluent.Add((tree, span));
            }

            foreach (var span in file.SqliteCalls)
            {
                _sqliteCalls.Add((tree, span));
            }

            foreach (var (span, names) in file.CollectionForeignKeyAttributes)
            {
                if (names.IsEmpty)
                {
                    _unreadCollectionForeignKeyAttributes.Add((tree, span));
                }

                foreach (var name in names)
                {
                    Add(_collectionForeignKeyAttributes, name, (tree, span));
                }
            }

            if (file.MentionsLazyLoader)
            {
                _lazyLoaderTrees.Add(tree);
            }

            static void Add<T>(Dictionary<string, List<T>> index, string name, T value)
            {
                if (!index.TryGetValue(name, out var list))
                {
                    list = new List<T>();
                    index.Add(name, list);
                }

                list.Add(value);
            }
        }

        // ------------------------------------------------------------------ resolving one entity

        /// <summary>
        /// The entity as its own declarations state it: the sites that confirm it, its fluent calls, its attributes
        /// and conventions, and the key a base entity states. Nothing here asks about another entity's relationships,
        /// so it can be used while resolving them.
        /// </summary>
        private EfEntity? Core(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !MayBeEntity(type))
            {
                return null;
            }

            type = type.OriginalDefinition;
            return _core.GetOrAdd(type, t => new Lazy<EfEntity?>(() => ResolveCore(t), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        /// <summary>A type can only be an entity when some file names a type of its name where entities are declared.</summary>
        private bool MayBeEntity(INamedTypeSymbol type) => _types is not null && (_sites.ContainsKey(type.Name) || _fluent.ContainsKey(type.Name));

        private EfEntity? ResolveCore(INamedTypeSymbol type)
        {
            EfEntity? entity = null;
            Location? configurationClass = null, entityCall = null;
            List<INamedTypeSymbol>? configurations = null;
            _sites.TryGetValue(type.Name, out var sites);
            foreach (var (tree, site) in sites ?? new List<(SyntaxTree, EfEntitySite)>())
            {
                if (!SymbolEqualityComparer.Default.Equals(SiteEntityType(tree, site), type))
                {
                    continue;
                }

                entity ??= new EfEntity(type);
                if (site.Kind == EfSiteKind.ConfigurationClass && ConfigurationType(tree, site) is { } configuration)
                {
                    configurationClass ??= configuration.Locations.FirstOrDefault();
                    (configurations ??= new List<INamedTypeSymbol>()).Add(configuration);
                }
                else if (site.Kind == EfSiteKind.EntityCall)
                {
                    entityCall ??= Location.Create(tree, site.OwnerSpan);
                }
            }

            // A type configured by a fluent call is an entity too (HasForeignKey<Profile>(...) makes Profile one).
            if (_fluent.TryGetValue(type.Name, out var facts))
            {
                foreach (var (tree, fact) in facts)
                {
                    if (SymbolEqualityComparer.Default.Equals(AsEntityType(BoundType(tree, fact.EntityTypeSpan)), type))
                    {
                        entity ??= new EfEntity(type);
                        Apply(entity, fact.Kind, fact.Properties);
                    }
                }
            }

            if (entity is null)
            {
                return null;
            }

            foreach (var configuration in configurations ?? Enumerable.Empty<INamedTypeSymbol>())
            {
                ApplyGenericBaseConfigurations(entity, configuration);
            }

            if ((configurationClass ?? entityCall) is { } fluent)
            {
                entity.SetFluentConfiguration(fluent);
            }

            ReadAttributesAndConventions(entity, _types!);

            // A derived entity (TPH/TPT) shares the key its base entity states.
            for (var baseType = type.BaseType; baseType is not null && !entity.HasExplicitPrimaryKey; baseType = baseType.BaseType)
            {
                if (Core(baseType.OriginalDefinition) is { HasExplicitPrimaryKey: true } baseEntity)
                {
                    entity.SetPrimaryKey(baseEntity.PrimaryKey, baseEntity.PrimaryKeySource);
                }
            }

            return entity;
        }

        /// <summary>
        /// The core entity plus what other entities state about it: foreign keys named from the principal's side
        /// (HasMany(...).WithOne().HasForeignKey, [ForeignKey] on a collection navigation), convention foreign keys
        /// that need the principal's key, and fluent calls whose entity only binding tells.
        /// </summary>
        private EfEntity? ResolveFull(INamedTypeSymbol type)
        {
            var core = Core(type);
            if (core is null)
            {
                return null;
            }

            var entity = core.Copy();
            if (_boundFluent.Value.TryGetValue(type, out var bound))
            {
                foreach (var (kind, properties) in bound)
                {
                    Apply(entity, kind, properties);
                }

            }

            AddOtherSideForeignKeys(entity);

            AddConventionForeignKeysByKey(entity);
            return entity;
        }

        private static void Apply(EfEntity entity, EfFluentKind kind, ImmutableArray<string> properties)
        {
            switch (kind)
            {
                case EfFluentKind.HasKey:
                    entity.SetPrimaryKey(properties, KeySource.Fluent);
                    break;
                case EfFluentKind.HasNoKey:
                    entity.SetKeyless();
                    break;
                case EfFluentKind.HasAlternateKey:
                    entity.AddAlternateKey(properties);
                    break;
                case EfFluentKind.HasIndex:
                    entity.AddIndex(properties);
                    break;
                case EfFluentKind.HasForeignKey:
                    foreach (var property in properties)
                    {
                        entity.AddForeignKey(property);
                    }

                    break;
            }
        }

        /// <summary>
        /// The entity type a site declares, bound from the site's declaration or type syntax alone, or null when the
        /// site turns out not to declare one (a DbSet property outside a DbContext, Entity&lt;T&gt; on something else).
        /// </summary>
        private INamedTypeSymbol? SiteEntityType(SyntaxTree tree, EfEntitySite site)
        {
            var types = _types!;
            var model = _bodies!.GetSemanticModel(tree);
            var root = tree.GetRoot();
            if (site.OwnerSpan.End > root.FullSpan.End)
            {
                return null;
            }

            var owner = root.FindNode(site.OwnerSpan);
            switch (site.Kind)
            {
                case EfSiteKind.DbSetProperty:
                    return owner.FirstAncestorOrSelf<PropertyDeclarationSyntax>() is { } declaration
                        && model.GetDeclaredSymbol(declaration) is { Type: INamedTypeSymbol { TypeArguments.Length: 1 } dbSet } property
                        && dbSet.OriginalDefinition.IsSame(types.DbSetOfT)
                        && property.ContainingType.InheritsFromOrEquals(types.DbContext)
                        ? AsEntityType(dbSet.TypeArguments[0])
                        : null;

                case EfSiteKind.ConfigurationClass:
                    if (owner.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } configuration && model.GetDeclaredSymbol(configuration) is { } configurationType
                        && BoundType(tree, site.TypeSpan) is INamedTypeSymbol named)
                    {
                        foreach (var implemented in configurationType.AllInterfaces)
                        {
                            if (implemented.OriginalDefinition.IsSame(types.IEntityTypeConfigurationOfT)
                                && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0].OriginalDefinition, named.OriginalDefinition))
                            {
                                return AsEntityType(named);
                            }
                        }
                    }

                    return null;

                case EfSiteKind.EntityCall:
                    return owner.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } entityCall
                        && ReceiverType(entityCall, model).IsSame(types.ModelBuilder)
                        ? AsEntityType(BoundType(tree, site.TypeSpan))
                        : null;

                case EfSiteKind.SetCall:
                    // Only a DbContext's own members declare entities this way (IQueryable<T> Items => Set<T>()).
                    return owner.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaringType
                        && model.GetDeclaredSymbol(declaringType) is INamedTypeSymbol context && context.InheritsFromOrEquals(types.DbContext)
                        ? AsEntityType(BoundType(tree, site.TypeSpan))
                        : null;

                default:
                    return null;
            }
        }

        private static INamedTypeSymbol? AsEntityType(ITypeSymbol? type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named && named.Locations.Length > 0 && named.Locations[0].IsInSource
                ? named.OriginalDefinition
                : null;

        private INamedTypeSymbol? ConfigurationType(SyntaxTree tree, EfEntitySite site)
        {
            var root = tree.GetRoot();
            var declaration = site.OwnerSpan.End <= root.FullSpan.End ? root.FindNode(site.OwnerSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>() : null;
            return declaration is null ? null : _bodies!.GetSemanticModel(tree).GetDeclaredSymbol(declaration);
        }

        /// <summary>
        /// A configuration that derives from a generic base (<c>OrderConfiguration : AuditedConfiguration&lt;Order&gt;</c>)
        /// gets the base's calls on its <c>EntityTypeBuilder&lt;T&gt;</c> (<c>base.Configure(builder)</c>), with T the entity.
        /// </summary>
        private void ApplyGenericBaseConfigurations(EfEntity entity, INamedTypeSymbol configuration)
        {
            for (var baseType = configuration.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (!baseType.IsGenericType)
                {
                    continue;
                }

                var definition = baseType.OriginalDefinition;
                foreach (var reference in definition.DeclaringSyntaxReferences)
                {
                    if (!_files.TryGetValue(reference.SyntaxTree, out var file))
                    {
                        continue;
                    }

                    foreach (var fact in file.Fluent)
                    {
                        if (fact.Navigation is null && reference.Span.Contains(fact.EntityTypeSpan)
                            && BoundType(reference.SyntaxTree, fact.EntityTypeSpan) is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Type } parameter
                            && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, definition)
                            && SymbolEqualityComparer.Default.Equals(baseType.TypeArguments[parameter.Ordinal].OriginalDefinition, entity.Type))
                        {
                            Apply(entity, fact.Kind, fact.Properties);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The type a type syntax names, bound speculatively where its member is declared: the type's name is looked up
        /// as the code wrote it, and the method body around it is not bound.
        /// </summary>
        private ITypeSymbol? BoundType(SyntaxTree tree, TextSpan span) =>
            _boundTypes.GetOrAdd((tree, span), key =>
            {
                var root = key.Item1.GetRoot();
                if (key.Item2.End > root.FullSpan.End)
                {
                    return null;
                }

                var node = root.FindNode(key.Item2);
                if (node is not TypeSyntax)
                {
                    node = root.FindNode(key.Item2, getInnermostNodeForTie: true);
                }

                if (node is not TypeSyntax type)
                {
                    return null;
                }

                // Inside a method the lookup is the member's; binding at the member's start keeps the body unbound.
                var member = type.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax);
                var position = member is null or GlobalStatementSyntax ? type.SpanStart : member.SpanStart;
                var bound = _bodies!.GetSemanticModel(key.Item1).GetSpeculativeTypeInfo(position, type, SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
                return bound is null or IErrorTypeSymbol ? null : bound;
            });

        /// <summary>
        /// The type of a call's receiver without binding the method it is in: the receiver alone is bound speculatively
        /// (a field, a parameter, <c>this</c>).
        /// </summary>
        private static ITypeSymbol? ReceiverType(InvocationExpressionSyntax invocation, SemanticModel model) =>
            invocation.Expression is MemberAccessExpressionSyntax member
                ? model.GetSpeculativeTypeInfo(member.Expression.SpanStart, member.Expression, SpeculativeBindingOption.BindAsExpression).Type
                : null;

        // ------------------------------------------------------------------ what other entities and files state

        /// <summary>
        /// Foreign keys stated from the principal's side: <c>HasMany(p =&gt; p.Items).WithOne().HasForeignKey(...)</c> and
        /// <c>[ForeignKey("...")]</c> on a collection navigation. They are indexed by the foreign key's property names,
        /// so only the statements that name a property of this entity are bound.
        /// </summary>
        private void AddOtherSideForeignKeys(EfEntity entity)
        {
            var type = entity.Type;
            for (var current = (ITypeSymbol?)type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                    {
                        continue;
                    }

                    if (_navigationForeignKeys.TryGetValue(property.Name, out var facts))
                    {
                        foreach (var (tree, fact) in facts)
                        {
                            if (BoundType(tree, fact.EntityTypeSpan) is INamedTypeSymbol principal && FindProperty(principal, fact.Navigation!) is { } navigation
                                && CollectionElementType(navigation.Type) is INamedTypeSymbol dependent
                                && SymbolEqualityComparer.Default.Equals(dependent.OriginalDefinition, type))
                            {
                                foreach (var name in fact.Properties)
                                {
                                    entity.AddForeignKey(name);
                                }
                            }
                        }
                    }

                    if (_collectionForeignKeyAttributes.TryGetValue(property.Name, out var attributes))
                    {
                        foreach (var (tree, span) in attributes)
                        {
                            AddAttributeForeignKeys(entity, tree, span);
                        }
                    }
                }
            }

            foreach (var (tree, span) in _unreadCollectionForeignKeyAttributes)
            {
                AddAttributeForeignKeys(entity, tree, span);
            }
        }

        private void AddAttributeForeignKeys(EfEntity entity, SyntaxTree tree, TextSpan span)
        {
            var root = tree.GetRoot();
            if (span.End > root.FullSpan.End || root.FindNode(span).FirstAncestorOrSelf<PropertyDeclarationSyntax>() is not { } declaration
                || _bodies!.GetSemanticModel(tree).GetDeclaredSymbol(declaration) is not { } navigation
                || CollectionElementType(navigation.Type) is not INamedTypeSymbol dependent
                || !SymbolEqualityComparer.Default.Equals(dependent.OriginalDefinition, entity.Type)
                || Core(navigation.ContainingType) is null)
            {
                return;
            }

            foreach (var attribute in navigation.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "ForeignKeyAttribute" && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string names)
                {
                    foreach (var part in names.Split(','))
                    {
                        if (part.Trim() is { Length: > 0 } name)
                        {
                            entity.AddForeignKey(name);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Fluent calls whose entity the syntax does not tell (a builder passed to a helper, an owned type's builder):
        /// bound as operations, which binds the method they are in. Done once, and only when an entity's keys are asked for.
        /// </summary>
        private Dictionary<INamedTypeSymbol, List<(EfFluentKind, ImmutableArray<string>)>> BindUnresolvedFluent()
        {
            var byEntity = new Dictionary<INamedTypeSymbol, List<(EfFluentKind, ImmutableArray<string>)>>(SymbolEqualityComparer.Default);
            foreach (var (tree, span) in _unresolvedFluent)
            {
                var root = tree.GetRoot();
                if (span.End > root.FullSpan.End || root.FindNode(span).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } syntax
                    || _bodies!.GetSemanticModel(tree).GetOperation(syntax) is not IInvocationOperation invocation)
                {
                    continue;
                }

                var method = invocation.TargetMethod;
                var builderType = method.ContainingType;
                if (builderType is null || builderType.ContainingNamespace?.ToDisplayString() != "Microsoft.EntityFrameworkCore.Metadata.Builders"
                    || !Enum.TryParse<EfFluentKind>(method.Name, out var kind))
                {
                    continue;
                }

                ITypeSymbol? entityType = null;
                if (kind == EfFluentKind.HasForeignKey)
                {
                    // ReferenceCollectionBuilder<TPrincipal, TDependent> / ReferenceReferenceBuilder: the lambda's parameter type is the dependent.
                    entityType = LambdaParameterType(invocation) ?? (method.IsGenericMethod && method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null);
                    if (entityType is null && builderType.TypeArguments.Length == 2)
                    {
                        entityType = builderType.TypeArguments[1];
                    }
                }
                else if (builderType.TypeArguments.Length == 1)
                {
                    entityType = builderType.TypeArguments[0];
                }

                if (entityType is not INamedTypeSymbol entity)
                {
                    continue;
                }

                entity = entity.OriginalDefinition;
                if (!byEntity.TryGetValue(entity, out var list))
                {
                    list = new List<(EfFluentKind, ImmutableArray<string>)>();
                    byEntity.Add(entity, list);
                }

                list.Add((kind, ReadPropertyNames(invocation)));
            }

            return byEntity;
        }

        private bool AnyLazyLoader()
        {
            foreach (var tree in _lazyLoaderTrees)
            {
                var model = _bodies!.GetSemanticModel(tree);
                foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
                {
                    if (model.GetDeclaredSymbol(declaration) is { } type && Core(type) is { HasLazyLoader: true })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private bool AnySqliteCall()
        {
            foreach (var (tree, span) in _sqliteCalls)
            {
                var root = tree.GetRoot();
                if (span.End <= root.FullSpan.End && root.FindNode(span).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation
                    && _bodies!.GetSemanticModel(tree).GetSymbolInfo(invocation).Symbol is IMethodSymbol method
                    && method.ContainingType?.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore")
                {
                    return true;
                }
            }

            return false;
        }

        private static ITypeSymbol? LambdaParameterType(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (EntityKeys.UnwrapLambda(argument.Value) is { Symbol.Parameters.Length: 1 } lambda)
                {
                    return lambda.Symbol.Parameters[0].Type;
                }
            }

            return null;
        }

        /// <summary>Property names from <c>x => x.A</c>, <c>x => new { x.A, x.B }</c>, or string arguments <c>("A", "B")</c>.</summary>
        internal static ImmutableArray<string> ReadPropertyNames(IInvocationOperation invocation)
        {
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var argument in invocation.Arguments)
            {
                var lambda = EntityKeys.UnwrapLambda(argument.Value);
                if (lambda is not null)
                {
                    foreach (var operation in lambda.Body.DescendantsAndSelf())
                    {
                        if (operation is IReturnOperation { ReturnedValue: { } returned })
                        {
                            AddMembers(returned.WalkDownConversion(), builder);
                            break;
                        }
                    }

                    continue;
                }

                var value = argument.Value.WalkDownConversion();
                if (value.ConstantValue is { HasValue: true, Value: string single })
                {
                    builder.Add(single);
                }
                else if (value is IArrayCreationOperation { Initializer: { } initializer })
                {
                    foreach (var element in initializer.ElementValues)
                    {
                        if (element.ConstantValue is { HasValue: true, Value: string name })
                        {
                            builder.Add(name);
                        }
                    }
                }
            }

            return builder.ToImmutable();
        }

        private static void AddMembers(IOperation value, ImmutableArray<string>.Builder builder)
        {
            switch (value)
            {
                case IPropertyReferenceOperation property:
                    builder.Add(property.Property.Name);
                    break;
                case IFieldReferenceOperation field:
                    builder.Add(field.Field.Name);
                    break;
                case IAnonymousObjectCreationOperation anonymous:
                    foreach (var initializer in anonymous.Initializers)
                    {
                        var member = initializer is ISimpleAssignmentOperation assignment ? assignment.Value : initializer;
                        AddMembers(member.WalkDownConversion(), builder);
                    }

                    break;
            }
        }

        private static void ReadAttributesAndConventions(EfEntity entity, KnownTypes types)
        {
            var type = entity.Type;
            foreach (var attribute in type.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass is null)
                {
                    continue;
                }

                switch (attributeClass.Name)
                {
                    case "IndexAttribute" when attributeClass.IsSame(types.IndexAttribute):
                        entity.AddIndex(ReadAttributeNames(attribute));
                        break;
                    case "PrimaryKeyAttribute":
                        entity.SetPrimaryKey(ReadAttributeNames(attribute), KeySource.Annotation);
                        break;
                    case "KeylessAttribute":
                        entity.SetKeyless();
                        break;
                }
            }

            IPropertySymbol? byId = null, byTypeId = null;
            var navigations = new List<IPropertySymbol>();
            for (var current = (ITypeSymbol?)type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
                    {
                        foreach (var parameter in constructor.Parameters)
                        {
                            if (parameter.Type.Name == "ILazyLoader" || parameter.Name == "lazyLoader")
                            {
                                entity.SetLazyLoader();
                            }
                        }

                        continue;
                    }

                    if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer)
                    {
                        continue;
                    }

                    if (property.Type.Name == "ILazyLoader")
                    {
                        entity.SetLazyLoader();
                    }

                    foreach (var attribute in property.GetAttributes())
                    {
                        if (attribute.AttributeClass.IsSame(types.KeyAttribute))
                        {
                            entity.SetPrimaryKey(ImmutableArray.Create(property.Name), KeySource.Annotation);
                        }
                        else if (attribute.AttributeClass?.Name == "ForeignKeyAttribute" && attribute.ConstructorArguments.Length == 1
                            && attribute.ConstructorArguments[0].Value is string foreignKey)
                        {
                            // On a scalar, it names the navigation: the property is the FK. On a reference navigation, it
                            // names the FK properties (comma-separated); on a collection navigation, the FK properties
                            // of the other side (read with the other side's relationships).
                            if (IsScalar(property.Type))
                            {
                                entity.AddForeignKey(property.Name);
                            }
                            else if (CollectionElementType(property.Type) is null)
                            {
                                foreach (var part in foreignKey.Split(','))
                                {
                                    if (part.Trim() is { Length: > 0 } name)
                                    {
                                        entity.AddForeignKey(name);
                                    }
                                }
                            }
                        }
                    }

                    if (string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
                    {
                        byId ??= property;
                    }
                    else if (string.Equals(property.Name, type.Name + "Id", StringComparison.OrdinalIgnoreCase))
                    {
                        byTypeId ??= property;
                    }

                    if (!IsScalar(property.Type))
                    {
                        navigations.Add(property);
                    }
                }
            }

            if (!entity.IsKeyless && (byId ?? byTypeId) is { } conventional)
            {
                entity.SetPrimaryKey(ImmutableArray.Create(conventional.Name), KeySource.Convention);
            }

            // Convention: a reference navigation N of type T gets the FK property NId, N<T's key>, T<key> or TId.
            foreach (var navigation in navigations)
            {
                if (navigation.Type is not INamedTypeSymbol target || target.IsGenericType)
                {
                    continue; // collections are the other side's FK
                }

                foreach (var candidate in new[] { navigation.Name + "Id", target.Name + "Id" })
                {
                    if (HasProperty(type, candidate))
                    {
                        entity.AddForeignKey(candidate);
                    }
                }
            }
        }

        /// <summary>
        /// Convention foreign keys that need the principal's key. A reference navigation N of type T finds N&lt;T's key&gt;
        /// and T&lt;T's key&gt;. A collection navigation of P's whose element is this entity finds P&lt;key&gt; and PId here
        /// (the key named DoctorId matches a dependent's DoctorId too): P is found by the name the property starts
        /// with, so only entities whose names prefix a property are resolved.
        /// </summary>
        private void AddConventionForeignKeysByKey(EfEntity entity)
        {
            for (var current = (ITypeSymbol?)entity.Type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                    {
                        continue;
                    }

                    if (IsScalar(property.Type))
                    {
                        AddForeignKeyOfCollectionPrincipal(entity, property.Name);
                    }
                    else if (CollectionElementType(property.Type) is null && property.Type is INamedTypeSymbol target && Core(target) is { } principal)
                    {
                        foreach (var prefix in new[] { property.Name, target.Name })
                        {
                            foreach (var candidate in Candidates(prefix, principal.PrimaryKey))
                            {
                                if (HasProperty(entity.Type, candidate))
                                {
                                    entity.AddForeignKey(candidate);
                                }
                            }
                        }
                    }
                }
            }
        }

        private void AddForeignKeyOfCollectionPrincipal(EfEntity entity, string property)
        {
            for (var length = 1; length < property.Length; length++)
            {
                var prefix = property.Substring(0, length);
                if (!_sites.TryGetValue(prefix, out var sites))
                {
                    continue;
                }

                foreach (var (tree, site) in sites)
                {
                    if (SiteEntityType(tree, site) is not { } principalType || Core(principalType) is not { } principal
                        || !HasCollectionOf(principalType, entity.Type))
                    {
                        continue;
                    }

                    foreach (var candidate in Candidates(principalType.Name, principal.PrimaryKey))
                    {
                        if (candidate == property)
                        {
                            entity.AddForeignKey(property);
                            return;
                        }
                    }
                }
            }
        }

        private static bool HasCollectionOf(INamedTypeSymbol principal, INamedTypeSymbol dependent)
        {
            for (var current = (ITypeSymbol?)principal; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } navigation && navigation.Type.SpecialType != SpecialType.System_String
                        && CollectionElementType(navigation.Type) is INamedTypeSymbol element
                        && SymbolEqualityComparer.Default.Equals(element.OriginalDefinition, dependent))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static IEnumerable<string> Candidates(string prefix, ImmutableArray<string> principalKey)
        {
            yield return prefix + "Id";
            if (principalKey.Length == 1)
            {
                yield return prefix + principalKey[0];
                if (principalKey[0].StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return principalKey[0];
                }
            }
        }

        private static IPropertySymbol? FindProperty(INamedTypeSymbol type, string name)
        {
            for (var current = (ITypeSymbol?)type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol property)
                    {
                        return property;
                    }
                }
            }

            return null;
        }

        /// <summary>The element type of a collection navigation (List&lt;T&gt;, ICollection&lt;T&gt;, T[]), or null.</summary>
        internal static ITypeSymbol? CollectionElementType(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                return array.ElementType;
            }

            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                && (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                    || named.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)))
            {
                return named.TypeArguments[0];
            }

            return null;
        }

        private static bool HasProperty(INamedTypeSymbol type, string name) => FindProperty(type, name) is not null;

        private static bool IsScalar(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            return type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum || type.IsValueType
                || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte };
        }

        private static ImmutableArray<string> ReadAttributeNames(AttributeData attribute)
        {
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var argument in attribute.ConstructorArguments)
            {
                if (argument.Kind == TypedConstantKind.Array)
                {
                    foreach (var value in argument.Values)
                    {
                        if (value.Value is string name)
                        {
                            builder.Add(name);
                        }
                    }
                }
                else if (argument.Value is string single)
                {
                    builder.Add(single);
                }
            }

            return builder.ToImmutable();
        }
    }
}
