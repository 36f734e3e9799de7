using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.Model
{
    /// <summary>How a file names an entity type.</summary>
    internal enum EfSiteKind
    {
        /// <summary><c>DbSet&lt;T&gt; Items { get; }</c>; confirmed when the declaring class is a DbContext.</summary>
        DbSetProperty,

        /// <summary><c>Set&lt;T&gt;()</c> with no receiver; confirmed when the calling class is a DbContext.</summary>
        SetCall,

        /// <summary><c>modelBuilder.Entity&lt;T&gt;(...)</c>; confirmed when the receiver is a ModelBuilder.</summary>
        EntityCall,

        /// <summary>A class that implements IEntityTypeConfiguration&lt;T&gt; or has Configure(EntityTypeBuilder&lt;T&gt;).</summary>
        ConfigurationClass,
    }

    /// <summary>A place in a file that may declare an entity type, by the simple name it writes.</summary>
    internal readonly struct EfEntitySite
    {
        public EfEntitySite(EfSiteKind kind, string name, TextSpan typeSpan, TextSpan ownerSpan)
        {
            Kind = kind;
            Name = name;
            TypeSpan = typeSpan;
            OwnerSpan = ownerSpan;
        }

        public EfSiteKind Kind { get; }

        public string Name { get; }

        /// <summary>The type syntax that names the entity.</summary>
        public TextSpan TypeSpan { get; }

        /// <summary>The property, class or invocation the site is.</summary>
        public TextSpan OwnerSpan { get; }
    }

    internal enum EfFluentKind
    {
        HasKey,
        HasNoKey,
        HasIndex,
        HasAlternateKey,
        HasForeignKey,
    }

    /// <summary>
    /// One fluent key, index or foreign key call, read from syntax: the entity it configures is named by a type
    /// syntax of the same file (the T of <c>EntityTypeBuilder&lt;T&gt;</c>, <c>Entity&lt;T&gt;()</c> or
    /// <c>HasForeignKey&lt;T&gt;()</c>), or for <c>HasMany(p =&gt; p.Items).WithOne().HasForeignKey(...)</c> by the
    /// element type of a navigation of that entity.
    /// </summary>
    internal sealed class EfFluentFact
    {
        public EfFluentFact(EfFluentKind kind, string entityName, TextSpan entityTypeSpan, string? navigation, ImmutableArray<string> properties)
        {
            Kind = kind;
            EntityName = entityName;
            EntityTypeSpan = entityTypeSpan;
            Navigation = navigation;
            Properties = properties;
        }

        public EfFluentKind Kind { get; }

        public string EntityName { get; }

        public TextSpan EntityTypeSpan { get; }

        /// <summary>When set, the configured entity is the element type of this navigation of the named entity.</summary>
        public string? Navigation { get; }

        public ImmutableArray<string> Properties { get; }
    }

    /// <summary>
    /// What one file tells about the EF Core model, read from its syntax alone: the places that may declare entity
    /// types, the fluent key/index/foreign-key calls, and the global options. A file's facts depend on nothing but
    /// its syntax tree, so the analyzers keep them per tree (<see cref="SyntaxTreeValueProvider{TValue}"/>): after an
    /// edit in the IDE only the edited file is read again, and <see cref="EfModel"/> binds only the few type names
    /// the rules ask about.
    /// </summary>
    internal sealed class EfFileFacts
    {
        public static EfFileFacts None { get; } = new EfFileFacts(
            ImmutableArray<EfEntitySite>.Empty, ImmutableArray<EfFluentFact>.Empty, ImmutableArray<TextSpan>.Empty, ImmutableArray<TextSpan>.Empty,
            ImmutableArray<(TextSpan, ImmutableArray<string>)>.Empty, false, false, false, false);

        private EfFileFacts(
            ImmutableArray<EfEntitySite> sites,
            ImmutableArray<EfFluentFact> fluent,
            ImmutableArray<TextSpan> unresolvedFluent,
            ImmutableArray<TextSpan> sqliteCalls,
            ImmutableArray<(TextSpan Span, ImmutableArray<string> Names)> collectionForeignKeyAttributes,
            bool lazyLoadingProxies,
            bool noTracking,
            bool splitQuery,
            bool mentionsLazyLoader)
        {
            Sites = sites;
            Fluent = fluent;
            UnresolvedFluent = unresolvedFluent;
            SqliteCalls = sqliteCalls;
            CollectionForeignKeyAttributes = collectionForeignKeyAttributes;
            LazyLoadingProxies = lazyLoadingProxies;
            NoTracking = noTracking;
            SplitQuery = splitQuery;
            MentionsLazyLoader = mentionsLazyLoader;
        }

        public ImmutableArray<EfEntitySite> Sites { get; }

        public ImmutableArray<EfFluentFact> Fluent { get; }

        /// <summary>Key, index and foreign key calls whose entity the syntax does not tell (bound when keys are asked for).</summary>
        public ImmutableArray<TextSpan> UnresolvedFluent { get; }

        /// <summary><c>UseSqlite(...)</c> calls, bound only when a rule asks whether the provider is SQLite.</summary>
        public ImmutableArray<TextSpan> SqliteCalls { get; }

        /// <summary>
        /// Properties with a collection type and a [ForeignKey] attribute: they name the other side's foreign key. The
        /// names are read from the attribute's syntax (empty when it is not a literal or nameof).
        /// </summary>
        public ImmutableArray<(TextSpan Span, ImmutableArray<string> Names)> CollectionForeignKeyAttributes { get; }

        /// <summary><c>UseLazyLoadingProxies()</c> is called, and not with <c>false</c>.</summary>
        public bool LazyLoadingProxies { get; }

        /// <summary><c>UseQueryTrackingBehavior(...NoTracking)</c> or <c>QueryTrackingBehavior = ...NoTracking</c>.</summary>
        public bool NoTracking { get; }

        /// <summary><c>UseQuerySplittingBehavior(...SplitQuery)</c>.</summary>
        public bool SplitQuery { get; }

        /// <summary>The file names ILazyLoader or a lazyLoader delegate: one of its types may load navigations lazily.</summary>
        public bool MentionsLazyLoader { get; }

        public bool IsEmpty => ReferenceEquals(this, None);

        /// <summary>The provider an analyzer keeps for its lifetime, so that a file is read once, not once per compilation.</summary>
        public static SyntaxTreeValueProvider<EfFileFacts> CreateProvider() => new SyntaxTreeValueProvider<EfFileFacts>(Read);

        /// <summary>
        /// The compilation's EF model, built on first use from the facts the analyzer's <paramref name="provider"/> keeps
        /// per tree (read on first use, then kept): what every rule that needs the model registers in its start action.
        /// </summary>
#pragma warning disable RS1012 // Only reads values through the context; the caller registers the actions.
        public static Lazy<EfModel> LazyModel(CompilationStartAnalysisContext start, KnownTypes types, FunctionBodies bodies, SyntaxTreeValueProvider<EfFileFacts> provider) =>
            new Lazy<EfModel>(
                () => EfModel.Build(start.Compilation, types, bodies, tree => start.TryGetValue(tree, provider, out var facts) ? facts : Read(tree), CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);
#pragma warning restore RS1012

        // Where the reader looks: each occurrence of one of these names in the text leads, through the token found there,
        // to the declaration, call or assignment it belongs to, and only that is read. Set<T>() counts only in a
        // DbContext's own code, so it is looked for only in files that name DbSet or DbContext ("Set<" alone would find
        // every HashSet<T>).
        private static readonly string[] Markers =
        {
            "DbSet<", "Entity<", "EntityType", "HasKey", "HasNoKey", "HasIndex", "HasAlternateKey", "ForeignKey",
            "UseLazyLoadingProxies", "QueryTrackingBehavior", "UseQuerySplittingBehavior", "UseSqlite",
        };

        /// <summary>
        /// Reads a file. The text is searched for the names the model is made of, and only the syntax around each
        /// occurrence is read; a file that names none of them costs a text search.
        /// </summary>
        public static EfFileFacts Read(SyntaxTree tree)
        {
            if (tree is not CSharpSyntaxTree)
            {
                return None;
            }

            var text = tree.GetText().ToString();
            var mentionsLazyLoader = text.IndexOf("ILazyLoader", StringComparison.Ordinal) >= 0 || text.IndexOf("lazyLoader", StringComparison.Ordinal) >= 0;
            SyntaxNode? root = null;
            Reader? reader = null;
            HashSet<SyntaxNode>? read = null;
            foreach (var marker in Markers)
            {
                Visit(marker);
            }

            if (root is not null && (text.IndexOf("DbContext", StringComparison.Ordinal) >= 0 || text.IndexOf("DbSet<", StringComparison.Ordinal) >= 0))
            {
                Visit("Set<");
            }

            if (reader is null)
            {
                return mentionsLazyLoader ? new Reader(true).ToFacts() : None;
            }

            return reader.ToFacts();

            void Visit(string marker)
            {
                for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
                {
                    root ??= tree.GetRoot();
                    var token = root.FindToken(at);
                    if (!token.Span.Contains(at) || Construct(token) is not { } node)
                    {
                        continue; // in a comment, or outside any declaration
                    }

                    read ??= new HashSet<SyntaxNode>();
                    if (read.Add(node))
                    {
                        reader ??= new Reader(mentionsLazyLoader);
                        reader.Read(node);
                    }
                }
            }
        }

        /// <summary>The nearest call, assignment, property or class around a token: what the reader reads.</summary>
        private static SyntaxNode? Construct(SyntaxToken token)
        {
            for (var node = token.Parent; node is not null; node = node.Parent)
            {
                if (node is InvocationExpressionSyntax or AssignmentExpressionSyntax or PropertyDeclarationSyntax or TypeDeclarationSyntax)
                {
                    return node;
                }
            }

            return null;
        }

        private sealed class Reader
        {
            private readonly ImmutableArray<EfEntitySite>.Builder _sites = ImmutableArray.CreateBuilder<EfEntitySite>();
            private readonly ImmutableArray<EfFluentFact>.Builder _fluent = ImmutableArray.CreateBuilder<EfFluentFact>();
            private readonly ImmutableArray<TextSpan>.Builder _unresolved = ImmutableArray.CreateBuilder<TextSpan>();
            private readonly ImmutableArray<TextSpan>.Builder _sqlite = ImmutableArray.CreateBuilder<TextSpan>();
            private readonly ImmutableArray<(TextSpan, ImmutableArray<string>)>.Builder _collectionForeignKeys = ImmutableArray.CreateBuilder<(TextSpan, ImmutableArray<string>)>();
            private readonly bool _mentionsLazyLoader;
            private bool _lazyProxies;
            private bool _noTracking;
            private bool _splitQuery;

            public Reader(bool mentionsLazyLoader)
            {
                _mentionsLazyLoader = mentionsLazyLoader;
            }

            public EfFileFacts ToFacts()
            {
                if (_sites.Count == 0 && _fluent.Count == 0 && _unresolved.Count == 0 && _sqlite.Count == 0 && _collectionForeignKeys.Count == 0
                    && !_lazyProxies && !_noTracking && !_splitQuery && !_mentionsLazyLoader)
                {
                    return None;
                }

                return new EfFileFacts(
                    _sites.ToImmutable(), _fluent.ToImmutable(), _unresolved.ToImmutable(), _sqlite.ToImmutable(), _collectionForeignKeys.ToImmutable(),
                    _lazyProxies, _noTracking, _splitQuery, _mentionsLazyLoader);
            }

            public void Read(SyntaxNode node)
            {
                switch (node)
                {
                    case PropertyDeclarationSyntax property:
                        ReadProperty(property);
                        break;
                    case ClassDeclarationSyntax declaration:
                        ReadClass(declaration);
                        break;
                    case RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.None) || record.ClassOrStructKeyword.IsKind(SyntaxKind.ClassKeyword):
                        ReadClass(record);
                        break;
                    case InvocationExpressionSyntax invocation:
                        ReadInvocation(invocation);
                        break;
                    case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "QueryTrackingBehavior" } } assignment
                        when NamesNoTracking(assignment.Right):
                        _noTracking = true;
                        break;
                }
            }

            private void ReadProperty(PropertyDeclarationSyntax property)
            {
                if (LastName(property.Type) is GenericNameSyntax { Identifier.ValueText: "DbSet", TypeArgumentList.Arguments.Count: 1 } dbSet
                    && property.Parent is TypeDeclarationSyntax
                    && SimpleName(dbSet.TypeArgumentList.Arguments[0]) is { } name)
                {
                    _sites.Add(new EfEntitySite(EfSiteKind.DbSetProperty, name, dbSet.TypeArgumentList.Arguments[0].Span, property.Span));
                    return;
                }

                // [ForeignKey("...")] on a collection navigation names the foreign key of the other side.
                if (IsCollectionSyntax(property.Type) && FindAttribute(property.AttributeLists, "ForeignKey") is { } foreignKey)
                {
                    var names = ImmutableArray.CreateBuilder<string>();
                    if (foreignKey.ArgumentList is { Arguments.Count: 1 } arguments)
                    {
                        foreach (var written in ReadPropertyNames(ArgumentList(arguments.Arguments[0].Expression)))
                        {
                            foreach (var part in written.Split(','))
                            {
                                if (part.Trim() is { Length: > 0 } trimmed)
                                {
                                    names.Add(trimmed);
                                }
                            }
                        }
                    }

                    _collectionForeignKeys.Add((property.Span, names.ToImmutable()));
                }
            }

            private void ReadClass(TypeDeclarationSyntax declaration)
            {
                if (declaration.BaseList is { } baseList)
                {
                    foreach (var baseType in baseList.Types)
                    {
                        if (LastName(baseType.Type) is GenericNameSyntax { Identifier.ValueText: "IEntityTypeConfiguration", TypeArgumentList.Arguments.Count: 1 } configuration
                            && SimpleName(configuration.TypeArgumentList.Arguments[0]) is { } name)
                        {
                            _sites.Add(new EfEntitySite(EfSiteKind.ConfigurationClass, name, configuration.TypeArgumentList.Arguments[0].Span, declaration.Span));
                            return;
                        }
                    }
                }

                // A configuration that implements the interface through a base class still declares Configure.
                foreach (var member in declaration.Members)
                {
                    if (member is MethodDeclarationSyntax { Identifier.ValueText: "Configure", ParameterList.Parameters.Count: 1 } configure
                        && LastName(configure.ParameterList.Parameters[0].Type) is GenericNameSyntax { Identifier.ValueText: "EntityTypeBuilder", TypeArgumentList.Arguments.Count: 1 } builder
                        && SimpleName(builder.TypeArgumentList.Arguments[0]) is { } name)
                    {
                        _sites.Add(new EfEntitySite(EfSiteKind.ConfigurationClass, name, builder.TypeArgumentList.Arguments[0].Span, declaration.Span));
                        return;
                    }
                }
            }

            private void ReadInvocation(InvocationExpressionSyntax invocation)
            {
                switch (SyntaxNames.LastIdentifier(invocation.Expression))
                {
                    case "Entity" when GenericArgument(invocation.Expression) is { } type && SimpleName(type) is { } name:
                        _sites.Add(new EfEntitySite(EfSiteKind.EntityCall, name, type.Span, invocation.Span));
                        break;
                    case "Set" when invocation.ArgumentList.Arguments.Count == 0
                        && (invocation.Expression is GenericNameSyntax || invocation.Expression is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax })
                        && GenericArgument(invocation.Expression) is { } type && SimpleName(type) is { } name:
                        _sites.Add(new EfEntitySite(EfSiteKind.SetCall, name, type.Span, invocation.Span));
                        break;
                    case "HasKey":
                    case "HasNoKey":
                    case "HasIndex":
                    case "HasAlternateKey":
                        ReadFluent(invocation, (EfFluentKind)Enum.Parse(typeof(EfFluentKind), SyntaxNames.LastIdentifier(invocation.Expression)!));
                        break;
                    case "HasForeignKey":
                        ReadForeignKey(invocation);
                        break;
                    case "UseLazyLoadingProxies":
                        // UseLazyLoadingProxies(false) turns them off; any other form turns them on.
                        _lazyProxies |= !HasFalseArgument(invocation.ArgumentList);
                        break;
                    case "UseQueryTrackingBehavior":
                        _noTracking |= invocation.ArgumentList.Arguments.Count > 0 && NamesNoTracking(invocation.ArgumentList.Arguments[invocation.ArgumentList.Arguments.Count - 1].Expression);
                        break;
                    case "UseQuerySplittingBehavior":
                        _splitQuery |= invocation.ArgumentList.Arguments.Count > 0 && NamedMember(invocation.ArgumentList.Arguments[invocation.ArgumentList.Arguments.Count - 1].Expression) == "SplitQuery";
                        break;
                    case "UseSqlite":
                        _sqlite.Add(invocation.Span);
                        break;
                }
            }

            private void ReadFluent(InvocationExpressionSyntax invocation, EfFluentKind kind)
            {
                var properties = kind == EfFluentKind.HasNoKey ? ImmutableArray<string>.Empty : ReadPropertyNames(invocation.ArgumentList);
                if (kind != EfFluentKind.HasNoKey && properties.IsEmpty)
                {
                    return; // nothing to record (or half-typed)
                }

                if (invocation.Expression is MemberAccessExpressionSyntax member && BuilderEntity(member.Expression, 0) is { } entity)
                {
                    _fluent.Add(new EfFluentFact(kind, entity.Name, entity.Span, null, properties));
                }
                else
                {
                    _unresolved.Add(invocation.Span);
                }
            }

            private void ReadForeignKey(InvocationExpressionSyntax invocation)
            {
                var properties = ReadPropertyNames(invocation.ArgumentList);
                if (properties.IsEmpty)
                {
                    return;
                }

                // HasForeignKey<TDependent>(...) of a one-to-one relationship names the dependent.
                if (GenericArgument(invocation.Expression) is { } dependent && SimpleName(dependent) is { } dependentName)
                {
                    _fluent.Add(new EfFluentFact(EfFluentKind.HasForeignKey, dependentName, dependent.Span, null, properties));
                    return;
                }

                // b.HasOne(...).WithMany(...).HasForeignKey(...): the entity of b is the dependent.
                // b.HasMany(p => p.Items).WithOne(...).HasForeignKey(...): the element type of Items is.
                if (invocation.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax with } withCall
                    && with.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax has } withAccess
                    && has.Expression is MemberAccessExpressionSyntax hasAccess)
                {
                    var withName = withAccess.Name.Identifier.ValueText;
                    var hasName = hasAccess.Name.Identifier.ValueText;
                    if (hasName == "HasOne" && withName == "WithMany" && BuilderEntity(hasAccess.Expression, 0) is { } owner)
                    {
                        _fluent.Add(new EfFluentFact(EfFluentKind.HasForeignKey, owner.Name, owner.Span, null, properties));
                        return;
                    }

                    if (hasName == "HasMany" && withName == "WithOne")
                    {
                        if (GenericArgument(hasAccess) is { } element && SimpleName(element) is { } elementName)
                        {
                            _fluent.Add(new EfFluentFact(EfFluentKind.HasForeignKey, elementName, element.Span, null, properties));
                            return;
                        }

                        if (LambdaMember(has.ArgumentList) is { } navigation && BuilderEntity(hasAccess.Expression, 0) is { } principal)
                        {
                            _fluent.Add(new EfFluentFact(EfFluentKind.HasForeignKey, principal.Name, principal.Span, navigation, properties));
                            return;
                        }
                    }
                }

                _unresolved.Add(invocation.Span);
            }

            /// <summary>Methods of EntityTypeBuilder&lt;T&gt; that return the same builder, so a chain through them configures T.</summary>
            private static readonly ImmutableHashSet<string> SameBuilderMethods = ImmutableHashSet.Create(
                StringComparer.Ordinal,
                "ToTable", "ToView", "ToFunction", "ToSqlQuery", "HasQueryFilter", "HasComment", "Ignore", "HasAnnotation", "HasData",
                "UseTphMappingStrategy", "UseTptMappingStrategy", "UseTpcMappingStrategy", "HasChangeTrackingStrategy", "UsePropertyAccessMode");

            /// <summary>
            /// The entity an <c>EntityTypeBuilder&lt;T&gt;</c> expression configures, as the type syntax that names T:
            /// <c>modelBuilder.Entity&lt;T&gt;()</c>, a parameter of type <c>EntityTypeBuilder&lt;T&gt;</c>, the parameter
            /// of a lambda passed to <c>Entity&lt;T&gt;(b =&gt; ...)</c>, or a local assigned one of those.
            /// </summary>
            private static (string Name, TextSpan Span)? BuilderEntity(ExpressionSyntax expression, int depth)
            {
                if (depth > 8)
                {
                    return null;
                }

                switch (expression)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        return BuilderEntity(parenthesized.Expression, depth + 1);
                    case InvocationExpressionSyntax call when SyntaxNames.LastIdentifier(call.Expression) == "Entity":
                        return GenericArgument(call.Expression) is { } type && SimpleName(type) is { } name ? (name, type.Span) : null;
                    case InvocationExpressionSyntax call when call.Expression is MemberAccessExpressionSyntax access && SameBuilderMethods.Contains(access.Name.Identifier.ValueText):
                        return BuilderEntity(access.Expression, depth + 1);
                    case IdentifierNameSyntax identifier:
                        return IdentifierEntity(identifier, depth);
                    default:
                        return null;
                }
            }

            private static (string Name, TextSpan Span)? IdentifierEntity(IdentifierNameSyntax identifier, int depth)
            {
                var name = identifier.Identifier.ValueText;
                foreach (var ancestor in identifier.Ancestors())
                {
                    switch (ancestor)
                    {
                        case SimpleLambdaExpressionSyntax simple when simple.Parameter.Identifier.ValueText == name:
                            return LambdaBuilderEntity(simple);
                        case ParenthesizedLambdaExpressionSyntax parenthesized when HasParameter(parenthesized.ParameterList, name):
                            return parenthesized.ParameterList.Parameters.Count == 1 ? LambdaBuilderEntity(parenthesized) : null;
                        case AnonymousFunctionExpressionSyntax:
                            continue;
                        case BlockSyntax block:
                            if (LocalInitializer(block, name, identifier.SpanStart) is { } initializer)
                            {
                                return BuilderEntity(initializer, depth + 1);
                            }

                            continue;
                        case BaseMethodDeclarationSyntax method:
                            return ParameterEntity(method.ParameterList, name);
                        case LocalFunctionStatementSyntax local when HasParameter(local.ParameterList, name):
                            return ParameterEntity(local.ParameterList, name);
                        case MemberDeclarationSyntax:
                            return null;
                    }
                }

                return null;
            }

            private static (string Name, TextSpan Span)? LambdaBuilderEntity(AnonymousFunctionExpressionSyntax lambda)
            {
                // modelBuilder.Entity<T>(b => { ... }): the lambda's builder configures T.
                if (lambda.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } }
                    && SyntaxNames.LastIdentifier(call.Expression) == "Entity"
                    && GenericArgument(call.Expression) is { } type && SimpleName(type) is { } name)
                {
                    return (name, type.Span);
                }

                return null;
            }

            private static (string Name, TextSpan Span)? ParameterEntity(ParameterListSyntax parameters, string name)
            {
                foreach (var parameter in parameters.Parameters)
                {
                    if (parameter.Identifier.ValueText == name)
                    {
                        return LastName(parameter.Type) is GenericNameSyntax { Identifier.ValueText: "EntityTypeBuilder", TypeArgumentList.Arguments.Count: 1 } builder
                            && SimpleName(builder.TypeArgumentList.Arguments[0]) is { } entityName
                            ? (entityName, builder.TypeArgumentList.Arguments[0].Span)
                            : null;
                    }
                }

                return null;
            }

            private static ExpressionSyntax? LocalInitializer(BlockSyntax block, string name, int before)
            {
                foreach (var statement in block.Statements)
                {
                    if (statement.SpanStart >= before)
                    {
                        break;
                    }

                    if (statement is LocalDeclarationStatementSyntax declaration)
                    {
                        foreach (var variable in declaration.Declaration.Variables)
                        {
                            if (variable.Identifier.ValueText == name)
                            {
                                return variable.Initializer?.Value;
                            }
                        }
                    }
                }

                return null;
            }

            private static bool HasParameter(ParameterListSyntax? parameters, string name)
            {
                if (parameters is null)
                {
                    return false;
                }

                foreach (var parameter in parameters.Parameters)
                {
                    if (parameter.Identifier.ValueText == name)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Property names from <c>x =&gt; x.A</c>, <c>x =&gt; new { x.A, x.B }</c>, strings, <c>nameof(T.A)</c> and arrays of them.</summary>
        internal static ImmutableArray<string> ReadPropertyNames(ArgumentListSyntax arguments)
        {
            // HasIndex(x => x.A, "IX_A") and HasIndex(new[] { "A" }, "IX_A") name the index after the columns; only
            // HasIndex("A", "B") (params string[]) lists columns in several arguments.
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var argument in arguments.Arguments)
            {
                if (argument.NameColon is not null)
                {
                    continue; // name: "IX_..." and the like are not columns
                }

                AddNames(argument.Expression, builder);
                if (argument.Expression is LambdaExpressionSyntax or ImplicitArrayCreationExpressionSyntax or ArrayCreationExpressionSyntax)
                {
                    break;
                }
            }

            return builder.ToImmutable();
        }

        private static void AddNames(ExpressionSyntax expression, ImmutableArray<string>.Builder builder)
        {
            switch (expression)
            {
                case SimpleLambdaExpressionSyntax { ExpressionBody: { } body } simple:
                    AddLambdaMembers(body, simple.Parameter.Identifier.ValueText, builder);
                    break;
                case ParenthesizedLambdaExpressionSyntax { ExpressionBody: { } body, ParameterList.Parameters.Count: 1 } parenthesized:
                    AddLambdaMembers(body, parenthesized.ParameterList.Parameters[0].Identifier.ValueText, builder);
                    break;
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    builder.Add(literal.Token.ValueText);
                    break;
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments.Count: 1 } nameOf:
                    if (NamedMember(nameOf.ArgumentList.Arguments[0].Expression) is { } named)
                    {
                        builder.Add(named);
                    }

                    break;
                case ImplicitArrayCreationExpressionSyntax implicitArray:
                    foreach (var element in implicitArray.Initializer.Expressions)
                    {
                        AddNames(element, builder);
                    }

                    break;
                case ArrayCreationExpressionSyntax { Initializer: { } initializer }:
                    foreach (var element in initializer.Expressions)
                    {
                        AddNames(element, builder);
                    }

                    break;
            }
        }

        private static void AddLambdaMembers(CSharpSyntaxNode body, string parameter, ImmutableArray<string>.Builder builder)
        {
            switch (body)
            {
                case MemberAccessExpressionSyntax member when RootIdentifier(member) == parameter && !member.Name.Identifier.IsMissing && member.Name.Identifier.ValueText.Length > 0:
                    builder.Add(member.Name.Identifier.ValueText);
                    break;
                case AnonymousObjectCreationExpressionSyntax anonymous:
                    foreach (var initializer in anonymous.Initializers)
                    {
                        AddLambdaMembers(initializer.Expression, parameter, builder);
                    }

                    break;
                case CastExpressionSyntax cast:
                    AddLambdaMembers(cast.Expression, parameter, builder);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    AddLambdaMembers(parenthesized.Expression, parameter, builder);
                    break;
            }
        }

        private static string? RootIdentifier(MemberAccessExpressionSyntax member)
        {
            ExpressionSyntax current = member;
            while (current is MemberAccessExpressionSyntax access)
            {
                current = access.Expression;
            }

            return (current as IdentifierNameSyntax)?.Identifier.ValueText;
        }

        /// <summary>The member a lambda reads: <c>p =&gt; p.Items</c> gives Items.</summary>
        private static string? LambdaMember(ArgumentListSyntax arguments)
        {
            if (arguments.Arguments.Count == 0)
            {
                return null;
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            if (arguments.Arguments[0].Expression is LambdaExpressionSyntax)
            {
                AddNames(arguments.Arguments[0].Expression, builder);
            }

            return builder.Count == 1 ? builder[0] : null;
        }

        private static bool NamesNoTracking(ExpressionSyntax expression) => NamedMember(expression) is "NoTracking" or "NoTrackingWithIdentityResolution";

        /// <summary>The last identifier of <c>A.B.C</c> or <c>C</c>.</summary>
        private static string? NamedMember(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => null,
        };

        private static bool HasFalseArgument(ArgumentListSyntax arguments)
        {
            foreach (var argument in arguments.Arguments)
            {
                if (argument.Expression.IsKind(SyntaxKind.FalseLiteralExpression))
                {
                    return true;
                }
            }

            return false;
        }

        private static AttributeSyntax? FindAttribute(SyntaxList<AttributeListSyntax> lists, string name)
        {
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    var written = (LastName(attribute.Name) as SimpleNameSyntax)?.Identifier.ValueText;
                    if (written == name || written == name + "Attribute")
                    {
                        return attribute;
                    }
                }
            }

            return null;
        }

        private static ArgumentListSyntax ArgumentList(ExpressionSyntax expression) =>
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(expression)));

        private static bool IsCollectionSyntax(TypeSyntax type) => type switch
        {
            NullableTypeSyntax nullable => IsCollectionSyntax(nullable.ElementType),
            ArrayTypeSyntax => true,
            _ => LastName(type) is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 },
        };

        private static NameSyntax? LastName(TypeSyntax? type) => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            NullableTypeSyntax nullable => LastName(nullable.ElementType),
            NameSyntax name => name,
            _ => null,
        };

        /// <summary>The simple name a type syntax ends with (<c>Shop.Order</c> gives Order), or null for other shapes.</summary>
        internal static string? SimpleName(TypeSyntax type) => LastName(type) is SimpleNameSyntax simple && simple.Identifier.ValueText.Length > 0
            ? simple.Identifier.ValueText
            : null;

        private static TypeSyntax? GenericArgument(ExpressionSyntax expression)
        {
            var generic = expression switch
            {
                MemberAccessExpressionSyntax { Name: GenericNameSyntax name } => name,
                MemberBindingExpressionSyntax { Name: GenericNameSyntax name } => name,
                GenericNameSyntax name => name,
                _ => null,
            };

            return generic is { TypeArgumentList.Arguments.Count: 1 } && generic.TypeArgumentList.Arguments[0] is not OmittedTypeArgumentSyntax
                ? generic.TypeArgumentList.Arguments[0]
                : null;
        }
    }
}
