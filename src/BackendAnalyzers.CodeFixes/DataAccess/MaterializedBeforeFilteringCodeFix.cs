using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace BackendAnalyzers.CodeFixes.DataAccess
{
    /// <summary>
    /// BA3004: moves the in-memory operators into the query, before the materialization.
    /// <list type="bullet">
    /// <item>Same chain: <c>(await db.X.ToListAsync(ct)).Where(p)</c> becomes <c>(await db.X.Where(p).ToListAsync(ct))</c>;
    /// <c>db.X.ToList().First(p)</c> becomes <c>db.X.First(p)</c>; <c>(await db.X.ToListAsync(ct)).Count(p)</c>
    /// becomes <c>await db.X.CountAsync(p, ct)</c>.</item>
    /// <item>Through a local: <c>var rows = await db.X.ToListAsync(ct); ... rows.Where(p)</c> becomes
    /// <c>var rows = await db.X.Where(p).ToListAsync(ct); ... rows</c> (sequence operators only).</item>
    /// </list>
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MaterializedBeforeFilteringCodeFix)), Shared]
    public sealed class MaterializedBeforeFilteringCodeFix : EditorCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.MaterializedBeforeFiltering);

        protected override string GetTitle(Diagnostic diagnostic) => "Move the in-memory operators into the query";

        protected override bool CanFix(SyntaxNode root, Diagnostic diagnostic) =>
            diagnostic.Properties.ContainsKey(MaterializedBeforeFilteringAnalyzer.FixProperty) && diagnostic.AdditionalLocations.Count >= 2;

        private sealed class MovedOperator
        {
            public MovedOperator(SyntaxToken dot, SimpleNameSyntax name, ArgumentListSyntax arguments)
            {
                Dot = dot;
                Name = name;
                Arguments = arguments;
            }

            public SyntaxToken Dot { get; }

            public SimpleNameSyntax Name { get; }

            public ArgumentListSyntax Arguments { get; }
        }

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(MaterializedBeforeFilteringAnalyzer.FixProperty, out var fix)
                || !properties.TryGetValue(MaterializedBeforeFilteringAnalyzer.MovedProperty, out var movedText)
                || !int.TryParse(movedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var moved) || moved <= 0
                || diagnostic.AdditionalLocations.Count < 2)
            {
                return Task.CompletedTask;
            }

            var terminal = properties.ContainsKey(MaterializedBeforeFilteringAnalyzer.TerminalProperty);
            var root = editor.OriginalRoot;
            if (Find<InvocationExpressionSyntax>(root, diagnostic.AdditionalLocations[1]) is not { } last)
            {
                return Task.CompletedTask;
            }

            if (fix == "chain")
            {
                editor.ReplaceNode(last, (current, _) => RewriteChain((ExpressionSyntax)current, moved, terminal) ?? current);
                return Task.CompletedTask;
            }

            if (fix == "local" && !terminal && diagnostic.AdditionalLocations.Count >= 3
                && Find<ExpressionSyntax>(root, diagnostic.AdditionalLocations[2]) is { } initializer
                && TakeOperators(last, moved, out var operators) is { } use)
            {
                editor.ReplaceNode(initializer, (current, _) =>
                {
                    var value = (ExpressionSyntax)current;
                    return FindMaterializer(value) is { } materializer ? value.ReplaceNode(materializer, InsertOperators(materializer, operators)) : value;
                });
                editor.ReplaceNode(last, (current, _) =>
                    TakeOperators((ExpressionSyntax)current, moved, out var _) is { } receiver ? receiver.WithTriviaFrom(current) : current);
            }

            return Task.CompletedTask;
        }

        private static T? Find<T>(SyntaxNode root, Location location)
            where T : SyntaxNode
        {
            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            for (var current = node; current is not null && current.Span == location.SourceSpan; current = current.Parent)
            {
                if (current is T match)
                {
                    return match;
                }
            }

            return null;
        }

        /// <summary>
        /// Peels <paramref name="count"/> operator calls off <paramref name="expression"/> (outermost first) and
        /// returns what they were applied to; <paramref name="operators"/> lists them innermost first.
        /// </summary>
        private static ExpressionSyntax? TakeOperators(ExpressionSyntax expression, int count, out List<MovedOperator> operators)
        {
            operators = new List<MovedOperator>();
            var current = expression;
            for (var i = 0; i < count; i++)
            {
                if (current is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation)
                {
                    return null;
                }

                operators.Add(new MovedOperator(member.OperatorToken, member.Name, invocation.ArgumentList));
                current = member.Expression;
            }

            operators.Reverse();
            return current;
        }

        /// <summary>The ToList/ToListAsync/... call inside <c>(await query.ToListAsync(ct).ConfigureAwait(false))</c>.</summary>
        private static InvocationExpressionSyntax? FindMaterializer(ExpressionSyntax expression)
        {
            var current = expression;
            while (true)
            {
                switch (current)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        current = parenthesized.Expression;
                        continue;
                    case AwaitExpressionSyntax awaited:
                        current = awaited.Expression;
                        continue;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure }:
                        current = configure.Expression;
                        continue;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToList" or "ToArray" or "AsEnumerable" or "ToListAsync" or "ToArrayAsync" or "AsAsyncEnumerable" } } materializer:
                        return materializer;
                    default:
                        return null;
                }
            }
        }

        private static ExpressionSyntax? RewriteChain(ExpressionSyntax last, int moved, bool terminal)
        {
            var loaded = TakeOperators(last, moved, out var operators);
            if (loaded is null || FindMaterializer(loaded) is not { } materializer || materializer.Expression is not MemberAccessExpressionSyntax materializerAccess)
            {
                return null;
            }

            ExpressionSyntax replacement;
            if (!terminal)
            {
                replacement = InsertOperators(materializer, operators);
            }
            else
            {
                var final = operators[operators.Count - 1];
                var receiver = Append(materializerAccess.Expression, operators.Take(operators.Count - 1));
                var name = materializerAccess.Name.Identifier.ValueText;
                if (name is "ToListAsync" or "ToArrayAsync")
                {
                    // (await q.ToListAsync(ct)).Count(p) -> await q.CountAsync(p, ct)
                    var asyncName = RenameTo(final.Name, final.Name.Identifier.ValueText + "Async");
                    var arguments = final.Arguments.WithArguments(final.Arguments.Arguments.AddRange(materializer.ArgumentList.Arguments));
                    replacement = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, final.Dot, asyncName),
                        arguments);
                }
                else
                {
                    // q.ToList().First(p) -> q.First(p)
                    replacement = Append(receiver, new[] { final });
                }
            }

            var rewritten = loaded.ReplaceNode(materializer, replacement);
            if (rewritten is ParenthesizedExpressionSyntax)
            {
                rewritten = rewritten.WithAdditionalAnnotations(Simplifier.Annotation);
            }

            return rewritten.WithTriviaFrom(last);
        }

        /// <summary><c>q.ToListAsync(ct)</c> with operators <c>Where(p)</c> becomes <c>q.Where(p).ToListAsync(ct)</c>.</summary>
        private static InvocationExpressionSyntax InsertOperators(InvocationExpressionSyntax materializer, List<MovedOperator> operators)
        {
            // Each moved operator keeps its dot (and the indentation before it) and its arguments (and the line
            // break after them), so a chain written one operator per line keeps that layout.
            var access = (MemberAccessExpressionSyntax)materializer.Expression;
            return materializer.WithExpression(access.WithExpression(Append(access.Expression, operators)));
        }

        private static ExpressionSyntax Append(ExpressionSyntax receiver, IEnumerable<MovedOperator> operators)
        {
            var current = receiver;
            foreach (var op in operators)
            {
                current = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, current, op.Dot, op.Name),
                    op.Arguments);
            }

            return current;
        }

        private static SimpleNameSyntax RenameTo(SimpleNameSyntax name, string identifier)
        {
            var token = SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, identifier, name.Identifier.TrailingTrivia);
            return name is GenericNameSyntax generic ? generic.WithIdentifier(token) : SyntaxFactory.IdentifierName(token);
        }
    }
}
