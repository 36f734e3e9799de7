using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

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
    }

    /// <summary>
    /// The EF Core model as the compilation declares it: entity types (DbSet&lt;T&gt; properties, Set&lt;T&gt;(),
    /// modelBuilder.Entity&lt;T&gt;(), IEntityTypeConfiguration&lt;T&gt;), their keys, indexes and foreign keys (attributes,
    /// conventions, HasKey/HasIndex/HasAlternateKey/HasForeignKey in OnModelCreating and configuration classes), and the
    /// global options that change what queries do (lazy-loading proxies, no-tracking and split-query defaults).
    /// Built once per compilation on first use: a syntax pass finds the few invocations and declarations that
    /// matter, and only those are bound.
    /// </summary>
    internal sealed class EfModel
    {
        private readonly Dictionary<INamedTypeSymbol, EfEntity> _entities;

        private EfModel(Dictionary<INamedTypeSymbol, EfEntity> entities, bool lazyLoading, bool lazyProxies, bool noTracking, bool splitQuery, bool usesSqlite)
        {
            _entities = entities;
            LazyLoadingEnabled = lazyLoading || lazyProxies;
            LazyLoadingProxies = lazyProxies;
            NoTrackingByDefault = noTracking;
            SplitQueryByDefault = splitQuery;
            UsesSqlite = usesSqlite;
        }

        public static EfModel Empty { get; } = new EfModel(new Dictionary<INamedTypeSymbol, EfEntity>(SymbolEqualityComparer.Default), false, false, false, false, false);

        public IEnumerable<EfEntity> Entities => _entities.Values;

        /// <summary>UseLazyLoadingProxies is called, or an entity takes an ILazyLoader.</summary>
        public bool LazyLoadingEnabled { get; }

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
        /// UseSqlite is called somewhere: SQLite cannot compare or order decimal, DateTimeOffset, TimeSpan and ulong
        /// values in SQL, so queries on them run in memory on purpose.
        /// </summary>
        public bool UsesSqlite { get; }

        public bool IsEntity(ITypeSymbol? type) => type is INamedTypeSymbol named && _entities.ContainsKey(named.OriginalDefinition);

        public EfEntity? GetEntity(ITypeSymbol? type) =>
            type is INamedTypeSymbol named && _entities.TryGetValue(named.OriginalDefinition, out var entity) ? entity : null;

        /// <summary>
        /// The entity a navigation property points at (its type, or the element of its collection type), or null when
        /// the property is not a navigation of the model.
        /// </summary>
        public EfEntity? GetNavigationTarget(IPropertySymbol? property, out bool isCollection)
        {
            isCollection = false;
            if (property is null || property.IsStatic || property.IsIndexer)
            {
                return null;
            }

            if (GetEntity(property.Type) is { } reference)
            {
                return reference;
            }

            if (property.Type.SpecialType == SpecialType.System_String || CollectionElementType(property.Type) is not { } element || GetEntity(element) is not { } target)
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

            return GetEntity(navigation.ContainingType) is { HasLazyLoader: true };
        }

        private static readonly ImmutableHashSet<string> InterestingNames = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "Entity", "HasKey", "HasNoKey", "HasAlternateKey", "HasIndex", "HasForeignKey", "Set",
            "UseLazyLoadingProxies", "UseQueryTrackingBehavior", "UseQuerySplittingBehavior", "QueryTrackingBehavior", "UseSqlite");

        /// <summary>
        /// The entity types and the global options, without the keys, indexes and foreign keys that fluent calls state:
        /// what rules that only ask "is this an entity?" or "is tracking off by default?" need. Fluent configuration
        /// calls are not bound (binding every Configure method and OnModelCreating costs as much as compiling them, on
        /// every edit in the IDE); <c>Entity&lt;T&gt;()</c> and <c>Set&lt;T&gt;()</c> are read from their type argument.
        /// </summary>
        public static EfModel BuildEntities(Compilation compilation, KnownTypes types, FunctionBodies bodies, CancellationToken cancellationToken) =>
            Build(compilation, types, bodies, cancellationToken, withKeys: false);

        public static EfModel Build(Compilation compilation, KnownTypes types, FunctionBodies bodies, CancellationToken cancellationToken) =>
            Build(compilation, types, bodies, cancellationToken, withKeys: true);

        private static EfModel Build(Compilation compilation, KnownTypes types, FunctionBodies bodies, CancellationToken cancellationToken, bool withKeys)
        {
            if (types.DbContext is null)
            {
                return Empty;
            }

            var entities = new Dictionary<INamedTypeSymbol, EfEntity>(SymbolEqualityComparer.Default);
            bool lazyLoading = false, lazyProxies = false, noTracking = false, splitQuery = false, usesSqlite = false;

            EfEntity GetOrAdd(ITypeSymbol? type)
            {
                if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                {
                    return null!;
                }

                named = named.OriginalDefinition;
                if (!entities.TryGetValue(named, out var entity))
                {
                    entity = new EfEntity(named);
                    entities.Add(named, entity);
                }

                return entity;
            }

            // 1. Entity types from DbSet<T> properties and IEntityTypeConfiguration<T> classes (symbols only).
            var configurations = new List<(INamedTypeSymbol Configuration, ITypeSymbol Entity)>();
            var contextTrees = new HashSet<SyntaxTree>();
            foreach (var type in EnumerateSourceTypes(compilation.SourceModule.GlobalNamespace, cancellationToken))
            {
                if (type.InheritsFromOrEquals(types.DbContext))
                {
                    foreach (var location in type.Locations)
                    {
                        if (location.SourceTree is { } contextTree)
                        {
                            contextTrees.Add(contextTree);
                        }
                    }

                    foreach (var member in type.GetMembers())
                    {
                        if (member is IPropertySymbol { Type: INamedTypeSymbol propertyType } && propertyType.OriginalDefinition.IsSame(types.DbSetOfT))
                        {
                            GetOrAdd(propertyType.TypeArguments[0]);
                        }
                    }
                }

                foreach (var implemented in type.AllInterfaces)
                {
                    if (implemented.OriginalDefinition.IsSame(types.IEntityTypeConfigurationOfT))
                    {
                        configurations.Add((type, implemented.TypeArguments[0]));
                        var entity = GetOrAdd(implemented.TypeArguments[0]);
                        if (entity is not null && type.Locations.Length > 0)
                        {
                            entity.SetFluentConfiguration(type.Locations[0]);
                        }
                    }
                }
            }

            // 2. Fluent configuration and global options: find candidate invocations by name, then bind only those.
            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Walking every node of every file costs seconds on a large solution, on each edit: a file is only
                // walked when its text names one of the calls this pass reads (Set<T>() only in a DbContext's file).
                if (!MayConfigureModel(tree, withKeys, contextTrees.Contains(tree), cancellationToken))
                {
                    continue;
                }

                SemanticModel? model = null;
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                {
                    string? name = node switch
                    {
                        InvocationExpressionSyntax invocation => GetInvokedName(invocation.Expression),
                        AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "QueryTrackingBehavior" } } => "QueryTrackingBehavior",
                        _ => null,
                    };

                    if (name is null || !InterestingNames.Contains(name))
                    {
                        continue;
                    }

                    // Entity<T>() and Set<T>() are generic; cache.Set(key, value) and the like are not worth binding.
                    if (name is "Entity" or "Set" && !IsGenericCall((InvocationExpressionSyntax)node))
                    {
                        continue;
                    }

                    if (!withKeys && name is "HasKey" or "HasIndex" or "HasAlternateKey" or "HasForeignKey")
                    {
                        continue;
                    }

                    model ??= bodies.GetSemanticModel(tree);
                    if (!withKeys && name == "Entity")
                    {
                        AddEntityTypeArgument((InvocationExpressionSyntax)node, model);
                        continue;
                    }

                    if (name == "Set")
                    {
                        if (!contextTrees.Contains(tree))
                        {
                            continue;
                        }

                        // Only a DbContext's own members declare entities this way (IQueryable<T> Items => Set<T>()).
                        if (IsInDbContext((InvocationExpressionSyntax)node, model, types.DbContext))
                        {
                            AddSetTypeArgument((InvocationExpressionSyntax)node, model);
                        }

                        continue;
                    }

                    var operation = model.GetOperation(node, cancellationToken);
                    switch (operation)
                    {
                        case IInvocationOperation invocation:
                            ReadInvocation(invocation, name);
                            break;
                        case ISimpleAssignmentOperation assignment when IsEnumValue(assignment.Value, "NoTracking") || IsEnumValue(assignment.Value, "NoTrackingWithIdentityResolution"):
                            noTracking = true;
                            break;
                    }
                }
            }

            // 3. Attributes and conventions on every entity found.
            var otherSideForeignKeys = new List<(ITypeSymbol Dependent, string Property)>();
            foreach (var entity in entities.Values)
            {
                ReadAttributesAndConventions(entity, types, ref lazyLoading, otherSideForeignKeys);
            }

            foreach (var (dependent, property) in otherSideForeignKeys)
            {
                if (dependent is INamedTypeSymbol named && entities.TryGetValue(named.OriginalDefinition, out var entity))
                {
                    entity.AddForeignKey(property);
                }
            }

            // 4. A derived entity (TPH/TPT) shares the key its base entity states.
            foreach (var entity in entities.Values)
            {
                for (var baseType = entity.Type.BaseType; baseType is not null && !entity.HasExplicitPrimaryKey; baseType = baseType.BaseType)
                {
                    if (entities.TryGetValue(baseType.OriginalDefinition, out var baseEntity) && baseEntity.HasExplicitPrimaryKey)
                    {
                        entity.SetPrimaryKey(baseEntity.PrimaryKey, baseEntity.PrimaryKeySource);
                    }
                }
            }

            // 5. Convention foreign keys that need the principal's key: a reference navigation N of type T finds
            // N<T's key> and T<T's key>; a collection navigation of P's with no inverse finds P<key> and PId on
            // the element entity (the key named DoctorId matches a dependent's DoctorId too).
            foreach (var entity in entities.Values)
            {
                AddConventionForeignKeysByKey(entity, entities);
            }

            return new EfModel(entities, lazyLoading, lazyProxies, noTracking, splitQuery, usesSqlite);

            void AddEntityTypeArgument(InvocationExpressionSyntax invocation, SemanticModel model)
            {
                if (ReceiverType(invocation, model).IsSame(types.ModelBuilder) && TypeArgument(invocation, model) is { } type && GetOrAdd(type) is { } entity)
                {
                    entity.SetFluentConfiguration(invocation.GetLocation());
                }
            }

            void AddSetTypeArgument(InvocationExpressionSyntax invocation, SemanticModel model)
            {
                if (ReceiverType(invocation, model).InheritsFromOrEquals(types.DbContext) && SetTypeArgument(invocation, model) is { } type)
                {
                    GetOrAdd(type);
                }
            }

            void ReadInvocation(IInvocationOperation invocation, string name)
            {
                var method = invocation.TargetMethod;
                switch (name)
                {
                    case "UseLazyLoadingProxies":
                        // UseLazyLoadingProxies(false) turns them off; any other form turns them on.
                        lazyProxies |= !HasFalseArgument(invocation);
                        return;
                    case "UseSqlite":
                        usesSqlite |= method.ContainingType?.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore";
                        return;
                    case "UseQueryTrackingBehavior":
                        noTracking |= invocation.Arguments.Length > 0 && (IsEnumValue(invocation.Arguments[invocation.Arguments.Length - 1].Value, "NoTracking") || IsEnumValue(invocation.Arguments[invocation.Arguments.Length - 1].Value, "NoTrackingWithIdentityResolution"));
                        return;
                    case "UseQuerySplittingBehavior":
                        splitQuery |= invocation.Arguments.Length > 0 && IsEnumValue(invocation.Arguments[invocation.Arguments.Length - 1].Value, "SplitQuery");
                        return;
                    case "Entity":
                    case "Set":
                        if (method.IsGenericMethod && method.TypeArguments.Length == 1
                            && (method.ContainingType.IsSame(types.ModelBuilder) || name == "Set" && method.ContainingType.InheritsFromOrEquals(types.DbContext)))
                        {
                            var entity = GetOrAdd(method.TypeArguments[0]);
                            if (name == "Entity" && entity is not null)
                            {
                                entity.SetFluentConfiguration(invocation.Syntax.GetLocation());
                            }
                        }

                        return;
                }

                // HasKey/HasIndex/... on EntityTypeBuilder<T> (or a lambda-typed builder): T is the entity.
                var builderType = method.ContainingType;
                if (builderType is null || builderType.ContainingNamespace?.ToDisplayString() != "Microsoft.EntityFrameworkCore.Metadata.Builders")
                {
                    return;
                }

                ITypeSymbol? entityType = null;
                if (name == "HasForeignKey")
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

                var target = GetOrAdd(entityType);
                if (target is null)
                {
                    return;
                }

                var properties = ReadPropertyNames(invocation);
                switch (name)
                {
                    case "HasKey":
                        target.SetPrimaryKey(properties, KeySource.Fluent);
                        break;
                    case "HasNoKey":
                        target.SetKeyless();
                        break;
                    case "HasAlternateKey":
                        target.AddAlternateKey(properties);
                        break;
                    case "HasIndex":
                        target.AddIndex(properties);
                        break;
                    case "HasForeignKey":
                        foreach (var property in properties)
                        {
                            target.AddForeignKey(property);
                        }

                        break;
                }
            }
        }

        /// <summary>
        /// Is the call written in a DbContext's own code? Queries of repositories (<c>_db.Set&lt;Order&gt;()</c>) are not
        /// read: binding them would cost as much as compiling them, and they declare no entity the model lacks.
        /// </summary>
        private static bool IsInDbContext(InvocationExpressionSyntax invocation, SemanticModel model, INamedTypeSymbol? dbContext) =>
            invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration
            && model.GetDeclaredSymbol(declaration) is INamedTypeSymbol type
            && type.InheritsFromOrEquals(dbContext);

        /// <summary>
        /// The type of a call's receiver without binding the method it is in: the receiver alone is bound speculatively
        /// (a field, a parameter, <c>this</c>), or for <c>Set&lt;T&gt;()</c> with no receiver, the declaring type.
        /// </summary>
        private static ITypeSymbol? ReceiverType(InvocationExpressionSyntax invocation, SemanticModel model)
        {
            if (invocation.Expression is MemberAccessExpressionSyntax member)
            {
                return model.GetSpeculativeTypeInfo(member.Expression.SpanStart, member.Expression, SpeculativeBindingOption.BindAsExpression).Type;
            }

            var declaration = invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            return declaration is null ? null : model.GetDeclaredSymbol(declaration) as ITypeSymbol;
        }

        /// <summary>The T of a <c>Set&lt;T&gt;()</c> call with no arguments, when T is a class or struct of the compilation.</summary>
        private static INamedTypeSymbol? SetTypeArgument(InvocationExpressionSyntax invocation, SemanticModel model) =>
            invocation.ArgumentList.Arguments.Count == 0 ? TypeArgument(invocation, model) : null;

        /// <summary>
        /// The single type argument of a generic call (<c>Entity&lt;T&gt;(...)</c>), bound speculatively where it is
        /// written, when it is a class or struct of the compilation.
        /// </summary>
        private static INamedTypeSymbol? TypeArgument(InvocationExpressionSyntax invocation, SemanticModel model)
        {
            var generic = invocation.Expression switch
            {
                MemberAccessExpressionSyntax { Name: GenericNameSyntax name } => name,
                GenericNameSyntax name => name,
                _ => null,
            };
            if (generic is null || generic.TypeArgumentList.Arguments.Count != 1)
            {
                return null;
            }

            var argument = generic.TypeArgumentList.Arguments[0];
            return model.GetSpeculativeTypeInfo(argument.SpanStart, argument, SpeculativeBindingOption.BindAsTypeOrNamespace).Type is INamedTypeSymbol
                { TypeKind: TypeKind.Class or TypeKind.Struct } type && type.Locations.Length > 0 && type.Locations[0].IsInSource
                ? type
                : null;
        }

        private static readonly string[] GlobalOptionNames =
        {
            "Entity<", "HasNoKey", "UseLazyLoadingProxies", "QueryTrackingBehavior", "UseQuerySplittingBehavior", "UseSqlite",
        };

        private static readonly string[] KeyNames = { "HasKey", "HasAlternateKey", "HasIndex", "HasForeignKey" };

        private static bool MayConfigureModel(SyntaxTree tree, bool withKeys, bool declaresContext, CancellationToken cancellationToken)
        {
            var text = tree.GetText(cancellationToken).ToString();
            if (declaresContext && text.IndexOf("Set<", StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            foreach (var name in GlobalOptionNames)
            {
                if (text.IndexOf(name, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            if (withKeys)
            {
                foreach (var name in KeyNames)
                {
                    if (text.IndexOf(name, StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsGenericCall(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax { Name: GenericNameSyntax } => true,
            GenericNameSyntax => true,
            MemberBindingExpressionSyntax { Name: GenericNameSyntax } => true,
            _ => false,
        };

        private static string? GetInvokedName(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };

        private static bool HasFalseArgument(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Type.SpecialType == SpecialType.System_Boolean && argument.Value.ConstantValue is { HasValue: true, Value: false })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsEnumValue(IOperation value, string member) =>
            value.WalkDownConversion() is IFieldReferenceOperation { Field: { Name: var name, ContainingType.TypeKind: TypeKind.Enum } } && name == member;

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

        private static void ReadAttributesAndConventions(EfEntity entity, KnownTypes types, ref bool lazyLoading, List<(ITypeSymbol, string)> otherSideForeignKeys)
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
                                lazyLoading = true;
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
                        lazyLoading = true;
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
                            // of the other side.
                            if (IsScalar(property.Type))
                            {
                                entity.AddForeignKey(property.Name);
                            }
                            else
                            {
                                var collectionElement = CollectionElementType(property.Type);
                                foreach (var part in foreignKey.Split(','))
                                {
                                    var name = part.Trim();
                                    if (name.Length == 0)
                                    {
                                        continue;
                                    }

                                    if (collectionElement is null)
                                    {
                                        entity.AddForeignKey(name);
                                    }
                                    else
                                    {
                                        otherSideForeignKeys.Add((collectionElement, name));
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

        private static void AddConventionForeignKeysByKey(EfEntity entity, Dictionary<INamedTypeSymbol, EfEntity> entities)
        {
            for (var current = (ITypeSymbol?)entity.Type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } navigation || IsScalar(navigation.Type))
                    {
                        continue;
                    }

                    var element = CollectionElementType(navigation.Type);
                    if (element is INamedTypeSymbol elementType && entities.TryGetValue(elementType.OriginalDefinition, out var dependent))
                    {
                        // The dependent is the element; its FK names the principal (this entity).
                        foreach (var candidate in Candidates(entity.Type.Name, entity.PrimaryKey))
                        {
                            if (HasProperty(dependent.Type, candidate))
                            {
                                dependent.AddForeignKey(candidate);
                            }
                        }
                    }
                    else if (element is null && navigation.Type is INamedTypeSymbol target && entities.TryGetValue(target.OriginalDefinition, out var principal))
                    {
                        foreach (var prefix in new[] { navigation.Name, target.Name })
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

            static IEnumerable<string> Candidates(string prefix, ImmutableArray<string> principalKey)
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

        private static bool HasProperty(INamedTypeSymbol type, string name)
        {
            for (var current = (ITypeSymbol?)type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

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

        internal static IEnumerable<INamedTypeSymbol> EnumerateSourceTypes(INamespaceSymbol root, CancellationToken cancellationToken)
        {
            var stack = new Stack<INamespaceOrTypeSymbol>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = stack.Pop();
                if (current is INamespaceSymbol ns)
                {
                    foreach (var member in ns.GetMembers())
                    {
                        stack.Push(member);
                    }
                }
                else if (current is INamedTypeSymbol type)
                {
                    yield return type;
                    foreach (var nested in type.GetTypeMembers())
                    {
                        stack.Push(nested);
                    }
                }
            }
        }
    }
}
