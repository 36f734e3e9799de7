using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Pagination;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace BackendAnalyzers.CodeFixes.Pagination
{
    /// <summary>
    /// BA4001: pages the endpoint's query. Adds <c>int page = 1, int pageSize = &lt;default&gt;</c> to the controller
    /// action or minimal API lambda, clamps both at the top of the body, and appends
    /// <c>.OrderBy(x =&gt; x.Key).Skip((page - 1) * pageSize).Take(pageSize)</c> to the query (no OrderBy when the
    /// query is already ordered or the key is unknown). Offered only when the query is built in the endpoint itself.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedListEndpointCodeFix)), Shared]
    public sealed class UnboundedListEndpointCodeFix : EditorCodeFix
    {
        private static readonly string[] LambdaNames = { "x", "e", "row", "item", "entity" };

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnboundedListEndpoint);

        protected override string GetTitle(Diagnostic diagnostic) => "Page the query (OrderBy, Skip, Take) with a bounded page size";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) => TryGetTargets(root, diagnostic, out _, out _);

        private static bool TryGetTargets(SyntaxNode root, Diagnostic diagnostic, out ExpressionSyntax query, out SyntaxNode handler)
        {
            query = null!;
            handler = null!;
            if (!diagnostic.Properties.TryGetValue(UnboundedListEndpointAnalyzer.FixableProperty, out var fixable) || fixable != "true"
                || diagnostic.AdditionalLocations.Count < 2)
            {
                return false;
            }

            var querySpan = diagnostic.AdditionalLocations[0].SourceSpan;
            var handlerSpan = diagnostic.AdditionalLocations[1].SourceSpan;
            // FindNode may return a parent with the same span (an argument); take the expression itself.
            var found = root.FindNode(querySpan, getInnermostNodeForTie: true);
            if ((found is ArgumentSyntax argument ? argument.Expression : found) is not ExpressionSyntax expression || expression.Span != querySpan)
            {
                return false;
            }

            query = expression;
            var candidate = root.FindNode(handlerSpan, getInnermostNodeForTie: true);
            for (var node = candidate; node is not null; node = node.Parent)
            {
                if (node.Span == handlerSpan && node is MethodDeclarationSyntax or ParenthesizedLambdaExpressionSyntax)
                {
                    handler = node;
                    break;
                }
            }

            if (handler is null)
            {
                return false;
            }

            // Default parameter values on lambdas need C# 12.
            return handler is not ParenthesizedLambdaExpressionSyntax lambda
                || ((CSharpParseOptions)root.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp12
                    && lambda.ParameterList.Parameters.All(p => p.Type is not null);
        }

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = editor.OriginalRoot;
            if (!TryGetTargets(root, diagnostic, out var query, out var handler))
            {
                return;
            }

            var document = editor.OriginalDocument;
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
            var tree = root.SyntaxTree;
            var defaultSize = AnalyzerOptionsReader.GetInt32(options, tree, RuleIds.UnboundedListEndpoint, OptionNames.DefaultPageSize, OptionNames.DefaultPageSizeDefault, 1, 100_000);
            var maxSize = AnalyzerOptionsReader.GetInt32(options, tree, RuleIds.UnboundedListEndpoint, OptionNames.MaxPageSize, OptionNames.MaxPageSizeDefault, 1, 100_000);
            if (defaultSize > maxSize)
            {
                defaultSize = maxSize;
            }

            var parameters = GetParameterList(handler);
            var page = FindIntParameter(parameters, "page") ?? "page";
            var pageSize = FindIntParameter(parameters, "pageSize") ?? FindIntParameter(parameters, "size") ?? "pageSize";
            var key = diagnostic.Properties.TryGetValue(UnboundedListEndpointAnalyzer.KeyProperty, out var k) ? k : null;
            var ordered = diagnostic.Properties.TryGetValue(UnboundedListEndpointAnalyzer.OrderedProperty, out var o) && o == "true";
            // The OrderBy lambda's parameter must not clash with a local or parameter visible at the query.
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var visible = new HashSet<string>(
                model?.LookupSymbols(query.SpanStart).Where(s => s is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol).Select(s => s.Name)
                    ?? Enumerable.Empty<string>());
            var lambdaName = LambdaNames.FirstOrDefault(n => !visible.Contains(n) && n != page && n != pageSize) ?? "row" + visible.Count.ToString(CultureInfo.InvariantCulture);

            // A projection to DTOs in the chain: the OrderBy by the entity key goes before it (the analyzer says where).
            if (!ordered && !string.IsNullOrEmpty(key) && diagnostic.AdditionalLocations.Count > 2
                && root.FindNode(diagnostic.AdditionalLocations[2].SourceSpan, getInnermostNodeForTie: true) is { } found
                && (found is ArgumentSyntax argument ? argument.Expression : found) is ExpressionSyntax beforeProjection
                && beforeProjection.Span == diagnostic.AdditionalLocations[2].SourceSpan && query.Span.Contains(beforeProjection.Span))
            {
                editor.ReplaceNode(beforeProjection, (current, _) => SyntaxFactory.ParseExpression(
                    $"{Receiver((ExpressionSyntax)current).ToFullString()}.OrderBy({lambdaName} => {lambdaName}.{key})").WithTriviaFrom(current));
                ordered = true;
            }

            editor.ReplaceNode(query, (current, _) => Page((ExpressionSyntax)current, key, ordered, lambdaName, page, pageSize));
            var math = model is not null && !model.LookupNamespacesAndTypes(query.SpanStart, name: "Math").IsEmpty ? "Math" : "System.Math";
            editor.ReplaceNode(handler, (current, _) => AddParametersAndClamps(current, page, pageSize, defaultSize, maxSize, math));

            if (model is not null && model.LookupNamespacesAndTypes(query.SpanStart, name: "Queryable").IsEmpty
                && editor.OriginalRoot is CompilationUnitSyntax unit
                && !unit.Usings.Any(u => u.Name?.ToString() == "System.Linq"))
            {
                editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(
                    SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("System.Linq")).WithAdditionalAnnotations(Formatter.Annotation)));
            }
        }

        private static ParameterListSyntax GetParameterList(SyntaxNode handler) => handler switch
        {
            MethodDeclarationSyntax method => method.ParameterList,
            ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
            _ => SyntaxFactory.ParameterList(),
        };

        private static string? FindIntParameter(ParameterListSyntax parameters, string name)
        {
            foreach (var parameter in parameters.Parameters)
            {
                if (string.Equals(parameter.Identifier.ValueText, name, System.StringComparison.OrdinalIgnoreCase)
                    && parameter.Type is PredefinedTypeSyntax { Keyword.ValueText: "int" })
                {
                    return parameter.Identifier.ValueText;
                }
            }

            return null;
        }

        /// <summary>An expression that can take a member access: itself, or parenthesized (a query expression, a cast).</summary>
        private static ExpressionSyntax Receiver(ExpressionSyntax current) =>
            current is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
                ? current.WithoutTrivia()
                : SyntaxFactory.ParenthesizedExpression(current.WithoutTrivia());

        private static SyntaxNode Page(ExpressionSyntax current, string? key, bool ordered, string lambdaName, string page, string pageSize)
        {
            var text = Receiver(current).ToFullString();
            if (!ordered && !string.IsNullOrEmpty(key))
            {
                text += $".OrderBy({lambdaName} => {lambdaName}.{key})";
            }

            text += $".Skip(({page} - 1) * {pageSize}).Take({pageSize})";
            return SyntaxFactory.ParseExpression(text).WithTriviaFrom(current);
        }

        private static SyntaxNode AddParametersAndClamps(SyntaxNode current, string page, string pageSize, int defaultSize, int maxSize, string math)
        {
            var parameters = GetParameterList(current);
            var newParameters = parameters;
            var toAdd = new List<ParameterSyntax>();
            if (FindIntParameter(parameters, page) is null)
            {
                toAdd.Add(IntParameter(page, 1));
            }

            if (FindIntParameter(parameters, pageSize) is null)
            {
                toAdd.Add(IntParameter(pageSize, defaultSize));
            }

            if (toAdd.Count > 0)
            {
                // Optional parameters go before the first optional (or params) parameter, else at the end.
                var insertAt = parameters.Parameters.Count;
                for (var i = 0; i < parameters.Parameters.Count; i++)
                {
                    var parameter = parameters.Parameters[i];
                    if (parameter.Default is not null || parameter.Modifiers.Any(SyntaxKind.ParamsKeyword))
                    {
                        insertAt = i;
                        break;
                    }
                }

                newParameters = parameters.WithParameters(parameters.Parameters.InsertRange(insertAt, toAdd));
            }

            var clamps = new[]
            {
                $"{page} = {math}.Max({page}, 1);",
                $"{pageSize} = {math}.Clamp({pageSize}, 1, {maxSize.ToString(CultureInfo.InvariantCulture)});",
            };

            switch (current)
            {
                case MethodDeclarationSyntax method:
                    method = method.WithParameterList(newParameters);
                    if (method.Body is { } body)
                    {
                        return method.WithBody(AddClamps(body, clamps));
                    }

                    if (method.ExpressionBody is { } arrow)
                    {
                        var block = SyntaxFactory.Block(SyntaxFactory.ReturnStatement(arrow.Expression.WithoutLeadingTrivia()));
                        return method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(AddClamps(block, clamps))
                            .WithAdditionalAnnotations(Formatter.Annotation);
                    }

                    return method;

                case ParenthesizedLambdaExpressionSyntax lambda:
                    lambda = lambda.WithParameterList(newParameters);
                    if (lambda.Block is { } lambdaBlock)
                    {
                        return lambda.WithBlock(AddClamps(lambdaBlock, clamps));
                    }

                    if (lambda.ExpressionBody is { } expression)
                    {
                        var block = SyntaxFactory.Block(SyntaxFactory.ReturnStatement(expression.WithoutLeadingTrivia()));
                        return lambda.WithExpressionBody(null).WithBlock(AddClamps(block, clamps)).WithAdditionalAnnotations(Formatter.Annotation);
                    }

                    return lambda;

                default:
                    return current;
            }
        }

        private static ParameterSyntax IntParameter(string name, int defaultValue) =>
            SyntaxFactory.Parameter(SyntaxFactory.Identifier(name))
                .WithType(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.IntKeyword)))
                .WithDefault(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(defaultValue))))
                .NormalizeWhitespace();

        private static BlockSyntax AddClamps(BlockSyntax block, string[] clamps)
        {
            var near = block.Statements.Count > 0 ? (SyntaxNode)block.Statements[0] : block;
            var existing = new HashSet<string>(block.Statements.Select(s => s.ToString().Replace("System.Math.", "Math.")));
            var statements = new List<StatementSyntax>();
            foreach (var clamp in clamps)
            {
                if (!existing.Contains(clamp.Replace("System.Math.", "Math.")))
                {
                    statements.Add(FixSyntax.Statement(clamp, near));
                }
            }

            return statements.Count == 0 ? block : block.WithStatements(block.Statements.InsertRange(0, statements)).WithAdditionalAnnotations(Formatter.Annotation);
        }
    }
}
