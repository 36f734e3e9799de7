using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.AI.Grounding
{
    /// <summary>What an action is about: a member (method, constructor, property) or a whole type.</summary>
    internal sealed class GroundingTarget
    {
        public GroundingTarget(Document document, SemanticModel model, SyntaxNode node, ISymbol symbol)
        {
            Document = document;
            Model = model;
            Node = node;
            Symbol = symbol;
        }

        public Document Document { get; }

        public SemanticModel Model { get; }

        /// <summary>The member or type declaration.</summary>
        public SyntaxNode Node { get; }

        public ISymbol Symbol { get; }

        public INamedTypeSymbol? ContainingType => Symbol as INamedTypeSymbol ?? Symbol.ContainingType;

        public bool IsType => Symbol is INamedTypeSymbol;
    }

    /// <summary>
    /// Builds the sections of a prompt from the semantic model: the target, its containing type, the diagnostic and
    /// its rule, the members it calls, the injected services, the DTO and entity types it touches (with the EF model's
    /// keys and navigations), their validators, and a nearby test file for Write tests. Every section is redacted.
    /// </summary>
    internal static class ContextBuilder
    {
        private const int MaxCalledMembers = 60;
        private const int MaxDataTypes = 12;
        private const int MaxServices = 8;

        public static async Task<List<PromptSection>> BuildAsync(
            GroundingTarget target,
            Diagnostic? diagnostic,
            TestProjectInfo? tests,
            string? testFilePath,
            SecretRedactor redactor,
            CancellationToken cancellationToken)
        {
            var sections = new List<PromptSection>();
            var compilation = target.Model.Compilation;
            var containingType = target.ContainingType;

            sections.Add(new PromptSection(SectionKind.Target, target.IsType ? "The type" : "The member", DescribeTarget(target)));

            if (diagnostic is not null)
            {
                sections.Add(new PromptSection(SectionKind.Diagnostic, "The diagnostic to fix", DescribeDiagnostic(diagnostic, target.Node)));
            }

            if (tests is not null)
            {
                sections.Add(new PromptSection(SectionKind.TestProject, "The test project", await DescribeTestProjectAsync(tests, target, testFilePath, cancellationToken).ConfigureAwait(false)));
            }

            if (!target.IsType && containingType is not null)
            {
                sections.Add(new PromptSection(SectionKind.TypeOutline, "The containing type (bodies left out)", Fence(TypeOutline.Of(containingType))));
            }

            var bodies = BodiesOf(target);
            var operations = bodies.Select(b => target.Model.GetOperation(b, cancellationToken)).Where(o => o is not null).Select(o => o!).ToList();

            var called = CalledMembers(operations, containingType);
            if (called.Count > 0)
            {
                sections.Add(new PromptSection(SectionKind.CalledMembers, "Signatures of the members it uses", Fence(string.Join("\n", called.Select(c => c.EndsWith("}", StringComparison.Ordinal) ? c : c + ";")))));
            }

            var services = Services(target, containingType);
            if (services.Count > 0)
            {
                var text = new StringBuilder();
                foreach (var (parameter, type) in services.Take(MaxServices))
                {
                    text.Append("// ").Append(parameter).Append(": ").AppendLine(type.ToDisplayString(TypeOutline.TypeNameFormat));
                    if (type.Locations.Any(l => l.IsInSource))
                    {
                        text.AppendLine(TypeOutline.Of(type));
                    }
                }

                sections.Add(new PromptSection(SectionKind.Services, "Injected services", Fence(text.ToString())));
            }

            var types = new KnownTypes(compilation);
            var efModel = types.DbContext is null ? EfModel.Empty : EfModel.Build(compilation, types, new FunctionBodies(compilation), cancellationToken);
            var dataTypes = DataTypes(target, operations, services.Select(s => s.Type).ToList(), efModel, containingType);
            if (dataTypes.Count > 0)
            {
                var text = new StringBuilder();
                if (efModel.Entities.Any())
                {
                    text.Append("// EF Core model: lazy loading ").Append(efModel.LazyLoadingEnabled ? "on" : "off")
                        .Append(", queries ").Append(efModel.NoTrackingByDefault ? "untracked" : "tracked").Append(" by default")
                        .Append(efModel.SplitQueryByDefault ? ", split queries by default" : string.Empty).AppendLine(".");
                }

                foreach (var type in dataTypes)
                {
                    var entity = efModel.GetEntity(type);
                    if (entity is not null)
                    {
                        text.AppendLine(DescribeEntity(entity, efModel));
                    }

                    text.AppendLine(TypeOutline.Of(type));
                }

                sections.Add(new PromptSection(SectionKind.DataTypes, "DTO and entity types it touches", Fence(text.ToString())));
            }

            var validators = Validators(compilation, types, dataTypes, cancellationToken);
            if (validators.Count > 0)
            {
                sections.Add(new PromptSection(SectionKind.Validators, "Existing validators of those types", Fence(string.Join("\n\n", validators))));
            }

            if (tests is not null && containingType is not null)
            {
                var sample = (await tests.TestFilesNearestToAsync(target.Document, containingType.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
                if (sample is not null)
                {
                    var text = await sample.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    sections.Add(new PromptSection(
                        SectionKind.TestStyleSample,
                        "An existing test file of the test project (" + RelativePath(sample) + "): follow its style",
                        Fence(TypeOutline.Cap(text.ToString(), 12000))));
                }
            }

            return sections.Select(s => new PromptSection(s.Kind, s.Title, redactor.Redact(s.Text))).ToList();
        }

        internal static string Fence(string code) => "```csharp\n" + code.TrimEnd() + "\n```";

        internal static string RelativePath(Document document)
        {
            var folders = document.Folders.Count > 0 ? string.Join("/", document.Folders) + "/" : string.Empty;
            return folders + document.Name;
        }

        private static string DescribeTarget(GroundingTarget target)
        {
            var text = new StringBuilder();
            text.Append("File: ").Append(RelativePath(target.Document)).Append(" (project ").Append(target.Document.Project.Name).AppendLine(")");
            if (target.Node.SyntaxTree.GetRoot() is CompilationUnitSyntax root && root.Usings.Count > 0)
            {
                text.Append("Usings of the file: ").AppendLine(string.Join(" ", root.Usings.Select(u => u.ToString())));
            }

            var ns = target.Symbol.ContainingNamespace;
            if (ns is { IsGlobalNamespace: false })
            {
                text.Append("Namespace: ").AppendLine(ns.ToDisplayString());
            }

            if (target.Symbol is IMethodSymbol method && method.ContainingType is { } type)
            {
                foreach (var iface in type.AllInterfaces)
                {
                    foreach (var member in iface.GetMembers().OfType<IMethodSymbol>())
                    {
                        if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                        {
                            text.Append("Implements: ").AppendLine(member.ToDisplayString(TypeOutline.SignatureFormat));
                            var docs = member.GetDocumentationCommentXml();
                            if (!string.IsNullOrWhiteSpace(docs))
                            {
                                text.Append("Its documentation: ").AppendLine(docs!.Trim());
                            }
                        }
                    }
                }

                if (method.OverriddenMethod is { } overridden)
                {
                    text.Append("Overrides: ").AppendLine(overridden.ToDisplayString(TypeOutline.SignatureFormat));
                }
            }

            text.AppendLine(Fence(TypeOutline.Cap(target.Node.ToFullString().Trim('\r', '\n'), 24000)));
            return text.ToString();
        }

        private static string DescribeDiagnostic(Diagnostic diagnostic, SyntaxNode member)
        {
            var descriptor = diagnostic.Descriptor;
            var text = new StringBuilder();
            text.Append(diagnostic.Id).Append(" (").Append(diagnostic.Severity).Append("): ").AppendLine(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            text.Append("Rule: ").AppendLine(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var description = descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(description))
            {
                text.Append("What the rule wants: ").AppendLine(description.Trim());
            }

            if (!string.IsNullOrEmpty(descriptor.HelpLinkUri))
            {
                text.Append("Rule page: ").AppendLine(descriptor.HelpLinkUri);
            }

            if (diagnostic.Location.IsInSource && diagnostic.Location.SourceTree == member.SyntaxTree)
            {
                var lines = member.SyntaxTree.GetText().Lines;
                var line = lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start);
                var memberFirstLine = lines.GetLineFromPosition(member.SpanStart).LineNumber;
                text.Append("Reported at line ").Append(line.LineNumber - memberFirstLine + 1).Append(" of the member, on `")
                    .Append(member.SyntaxTree.GetText().ToString(diagnostic.Location.SourceSpan).Trim())
                    .Append("` in: ").AppendLine(line.ToString().Trim());
            }

            return text.ToString();
        }

        private static async Task<string> DescribeTestProjectAsync(TestProjectInfo tests, GroundingTarget target, string? testFilePath, CancellationToken cancellationToken)
        {
            var project = tests.Project;
            var text = new StringBuilder();
            text.Append("Project: ").Append(project.Name).Append(", references project ").Append(target.Document.Project.Name).AppendLine(".");
            text.Append("Test framework: ").Append(tests.Framework).Append(" (test methods are marked ").Append(tests.TestAttribute).AppendLine(").");
            text.Append("Mocking library: ").AppendLine(tests.Mocking ?? "none; do not use one (write small fakes by hand, or use real implementations such as an EF Core SQLite in-memory database)");
            text.Append("Assertions: ").AppendLine(tests.Assertions ?? "the test framework's own");
            if (tests.NotableLibraries.Count > 0)
            {
                text.Append("Also referenced: ").AppendLine(string.Join(", ", tests.NotableLibraries));
            }

            var root = project.DefaultNamespace;
            if (string.IsNullOrEmpty(root))
            {
                root = project.AssemblyName;
            }

            text.Append("Root namespace: ").AppendLine(root);
            if (testFilePath is not null)
            {
                text.Append("The file to write: ").AppendLine(testFilePath);
            }

            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is not null)
            {
                var globals = compilation.SyntaxTrees
                    .Select(t => t.GetRoot(cancellationToken))
                    .OfType<CompilationUnitSyntax>()
                    .SelectMany(r => r.Usings)
                    .Where(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
                    .Select(u => u.ToString().Trim())
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(u => u, StringComparer.Ordinal)
                    .ToList();
                if (globals.Count > 0)
                {
                    text.Append("Global usings already in effect: ").AppendLine(string.Join(" ", globals));
                }
            }

            return text.ToString();
        }

        /// <summary>The executable parts of the target: a member's body, or every member body of a type.</summary>
        private static List<SyntaxNode> BodiesOf(GroundingTarget target)
        {
            var result = new List<SyntaxNode>();
            IEnumerable<SyntaxNode> members = target.Node is TypeDeclarationSyntax type ? type.Members : new[] { target.Node };
            foreach (var member in members)
            {
                switch (member)
                {
                    case BaseMethodDeclarationSyntax method:
                        if (method.Body is not null)
                        {
                            result.Add(method.Body);
                        }

                        if (method.ExpressionBody is not null)
                        {
                            result.Add(method.ExpressionBody.Expression);
                        }

                        break;
                    case PropertyDeclarationSyntax property:
                        if (property.ExpressionBody is not null)
                        {
                            result.Add(property.ExpressionBody.Expression);
                        }

                        foreach (var accessor in property.AccessorList?.Accessors ?? default)
                        {
                            if (accessor.Body is not null)
                            {
                                result.Add(accessor.Body);
                            }

                            if (accessor.ExpressionBody is not null)
                            {
                                result.Add(accessor.ExpressionBody.Expression);
                            }
                        }

                        if (property.Initializer is not null)
                        {
                            result.Add(property.Initializer.Value);
                        }

                        break;
                    case FieldDeclarationSyntax field:
                        foreach (var variable in field.Declaration.Variables)
                        {
                            if (variable.Initializer is not null)
                            {
                                result.Add(variable.Initializer.Value);
                            }
                        }

                        break;
                }
            }

            return result;
        }

        private static List<string> CalledMembers(List<IOperation> operations, INamedTypeSymbol? containingType)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<string>();
            foreach (var root in operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    ISymbol? member = operation switch
                    {
                        IInvocationOperation invocation => invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod.OriginalDefinition,
                        IObjectCreationOperation creation => creation.Constructor?.OriginalDefinition,
                        IPropertyReferenceOperation property => property.Property.OriginalDefinition,
                        _ => null,
                    };
                    if (member is null || member.ContainingType is null || member.ContainingType.SpecialType == SpecialType.System_Object)
                    {
                        continue;
                    }

                    var text = member.ToDisplayString(TypeOutline.SignatureFormat);
                    if (seen.Add(text))
                    {
                        result.Add(text);
                        if (result.Count >= MaxCalledMembers)
                        {
                            return result;
                        }
                    }
                }
            }

            return result;
        }

        /// <summary>Constructor parameters of the containing type, and the service parameters of the target method.</summary>
        private static List<(string Parameter, INamedTypeSymbol Type)> Services(GroundingTarget target, INamedTypeSymbol? containingType)
        {
            var result = new List<(string, INamedTypeSymbol)>();
            var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            var parameters = new List<IParameterSymbol>();
            if (containingType is not null)
            {
                foreach (var constructor in containingType.InstanceConstructors)
                {
                    if (!constructor.IsImplicitlyDeclared)
                    {
                        parameters.AddRange(constructor.Parameters);
                    }
                }
            }

            if (target.Symbol is IMethodSymbol method)
            {
                parameters.AddRange(method.Parameters.Where(p => IsServiceLike(p.Type) || p.GetAttributes().Any(a => a.AttributeClass?.Name == "FromServicesAttribute")));
            }

            foreach (var parameter in parameters)
            {
                if (parameter.Type is INamedTypeSymbol type && type.TypeKind is TypeKind.Interface or TypeKind.Class
                    && type.SpecialType == SpecialType.None && seen.Add(type))
                {
                    result.Add((parameter.Name, type));
                }
            }

            return result;
        }

        private static bool IsServiceLike(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Interface && type.Name.StartsWith("I", StringComparison.Ordinal) && type.Locations.Any(l => l.IsInSource)
            || InheritsFrom(type, "DbContext");

        private static bool InheritsFrom(ITypeSymbol type, string name)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (current.Name == name)
                {
                    return true;
                }
            }

            return false;
        }

        private static List<INamedTypeSymbol> DataTypes(
            GroundingTarget target,
            List<IOperation> operations,
            List<INamedTypeSymbol> services,
            EfModel efModel,
            INamedTypeSymbol? containingType)
        {
            var ordered = new List<INamedTypeSymbol>();
            var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);

            void Add(ITypeSymbol? type, int depth = 0)
            {
                if (type is null || depth > 3)
                {
                    return;
                }

                if (type is IArrayTypeSymbol array)
                {
                    Add(array.ElementType, depth + 1);
                    return;
                }

                if (type is not INamedTypeSymbol named)
                {
                    return;
                }

                foreach (var argument in named.TypeArguments)
                {
                    Add(argument, depth + 1);
                }

                var definition = named.OriginalDefinition;
                if (definition.Locations.Any(l => l.IsInSource)
                    && !SymbolEqualityComparer.Default.Equals(definition, containingType)
                    && !services.Any(s => SymbolEqualityComparer.Default.Equals(s.OriginalDefinition, definition))
                    && definition.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface
                    && !definition.IsStatic
                    && !InheritsFrom(definition, "DbContext")
                    && !InheritsFrom(definition, "ControllerBase")
                    && seen.Add(definition))
                {
                    ordered.Add(definition);
                }
            }

            IEnumerable<IMethodSymbol> methods = target.Symbol switch
            {
                IMethodSymbol m => new[] { m },
                INamedTypeSymbol t => t.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility != Accessibility.Private),
                _ => Array.Empty<IMethodSymbol>(),
            };
            foreach (var method in methods)
            {
                Add(method.ReturnType);
                foreach (var parameter in method.Parameters)
                {
                    Add(parameter.Type);
                }
            }

            if (target.Symbol is IPropertySymbol property)
            {
                Add(property.Type);
            }

            foreach (var root in operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IObjectCreationOperation creation:
                            Add(creation.Type);
                            break;
                        case IInvocationOperation invocation:
                            Add(invocation.Type);
                            foreach (var argument in invocation.TargetMethod.TypeArguments)
                            {
                                Add(argument);
                            }

                            break;
                        case IPropertyReferenceOperation propertyReference:
                            Add(propertyReference.Type);
                            break;
                        case IVariableDeclaratorOperation declarator:
                            Add(declarator.Symbol.Type);
                            break;
                    }
                }
            }

            // An injected DbContext brings its entities; those named like the target come first.
            var injectedContexts = services.Where(s => InheritsFrom(s, "DbContext")).ToList();
            if (injectedContexts.Count > 0)
            {
                var hint = (containingType?.Name ?? string.Empty) + " " + target.Symbol.Name;
                foreach (var entity in efModel.Entities
                    .Select(e => e.Type)
                    .OrderByDescending(t => hint.IndexOf(t.Name, StringComparison.OrdinalIgnoreCase) >= 0)
                    .ThenBy(t => t.Name, StringComparer.Ordinal))
                {
                    Add(entity);
                }
            }

            // Entities touched bring the entities their navigations lead to.
            foreach (var type in ordered.ToList())
            {
                if (efModel.IsEntity(type))
                {
                    foreach (var navigation in Navigations(type, efModel))
                    {
                        Add(navigation.Target);
                    }
                }
            }

            return ordered.Take(MaxDataTypes).ToList();
        }

        private static IEnumerable<(IPropertySymbol Property, INamedTypeSymbol Target, bool IsCollection)> Navigations(INamedTypeSymbol entity, EfModel efModel)
        {
            foreach (var property in entity.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer)
                {
                    continue;
                }

                if (property.Type is INamedTypeSymbol reference && efModel.IsEntity(reference))
                {
                    yield return (property, reference.OriginalDefinition, false);
                    continue;
                }

                if (property.Type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Length == 1
                    && generic.TypeArguments[0] is INamedTypeSymbol element && efModel.IsEntity(element)
                    && generic.AllInterfaces.Concat(new[] { generic }).Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T))
                {
                    yield return (property, element.OriginalDefinition, true);
                }
            }
        }

        private static string DescribeEntity(EfEntity entity, EfModel efModel)
        {
            var text = new StringBuilder("// EF entity ").Append(entity.Type.Name).Append(": ");
            if (entity.IsKeyless)
            {
                text.Append("keyless");
            }
            else
            {
                text.Append("primary key ").Append(entity.PrimaryKey.IsEmpty ? "(by convention)" : string.Join(", ", entity.PrimaryKey));
            }

            if (entity.ForeignKeys.Count > 0)
            {
                text.Append("; foreign keys ").Append(string.Join(", ", entity.ForeignKeys.OrderBy(k => k, StringComparer.Ordinal)));
            }

            if (entity.Indexes.Count > 0)
            {
                text.Append("; indexes ").Append(string.Join(", ", entity.Indexes.Select(i => "(" + string.Join(", ", i) + ")")));
            }

            if (entity.AlternateKeys.Count > 0)
            {
                text.Append("; alternate keys ").Append(string.Join(", ", entity.AlternateKeys.Select(i => "(" + string.Join(", ", i) + ")")));
            }

            var navigations = Navigations(entity.Type, efModel).ToList();
            if (navigations.Count > 0)
            {
                text.Append("; navigations ").Append(string.Join(", ", navigations.Select(n => n.Property.Name + " -> " + (n.IsCollection ? "many " : "one ") + n.Target.Name)));
            }

            return text.Append('.').ToString();
        }

        private static List<string> Validators(Compilation compilation, KnownTypes types, List<INamedTypeSymbol> dataTypes, CancellationToken cancellationToken)
        {
            var result = new List<string>();
            var validatorBase = types.Get("FluentValidation.AbstractValidator`1");
            if (validatorBase is null || dataTypes.Count == 0)
            {
                return result;
            }

            var wanted = new HashSet<INamedTypeSymbol>(dataTypes, SymbolEqualityComparer.Default);
            foreach (var type in SourceTypes(compilation.Assembly.GlobalNamespace, cancellationToken))
            {
                for (var current = type.BaseType; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, validatorBase))
                    {
                        if (current.TypeArguments[0] is INamedTypeSymbol validated && wanted.Contains(validated.OriginalDefinition))
                        {
                            foreach (var reference in type.DeclaringSyntaxReferences)
                            {
                                result.Add(TypeOutline.Cap(reference.GetSyntax(cancellationToken).ToString(), 4000));
                            }
                        }

                        break;
                    }
                }
            }

            return result;
        }

        private static IEnumerable<INamedTypeSymbol> SourceTypes(INamespaceSymbol ns, CancellationToken cancellationToken)
        {
            foreach (var member in ns.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is INamespaceSymbol child)
                {
                    foreach (var type in SourceTypes(child, cancellationToken))
                    {
                        yield return type;
                    }
                }
                else if (member is INamedTypeSymbol type && type.Locations.Any(l => l.IsInSource))
                {
                    yield return type;
                }
            }
        }
    }
}
