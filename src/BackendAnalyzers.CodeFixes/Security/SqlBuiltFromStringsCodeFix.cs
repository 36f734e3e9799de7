using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace BackendAnalyzers.CodeFixes.Security
{
    /// <summary>
    /// BA5002, when the SQL argument is an interpolated string:
    /// EF Core: <c>FromSqlRaw($"... {x}")</c> becomes <c>FromSql($"... {x}")</c> (ExecuteSql, ExecuteSqlAsync and
    /// SqlQuery likewise), whose holes EF Core sends as parameters.
    /// Dapper: each hole becomes a named parameter (<c>@name</c> for a simple identifier, <c>@p0</c> otherwise) and a
    /// parameter object <c>new { name, p0 = ... }</c> is passed. Quotes written around a hole (<c>'{name}'</c>) are
    /// dropped, since a parameter is a value, not text. Holes inside a longer SQL literal (<c>LIKE '%{x}%'</c>), in the
    /// place of a table or column name, after IN, or with a format are left to the developer: no fix is offered then.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SqlBuiltFromStringsCodeFix)), Shared]
    public sealed class SqlBuiltFromStringsCodeFix : EditorCodeFix
    {
        private static readonly string[] ValueKeywords = { "LIKE", "LIMIT", "OFFSET", "TOP", "THEN", "ELSE", "BETWEEN" };

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SqlBuiltFromStrings);

        protected override string GetTitle(Diagnostic diagnostic) =>
            diagnostic.Properties[SqlBuiltFromStringsAnalyzer.FixProperty] == SqlBuiltFromStringsAnalyzer.FixEf
                ? $"Use {diagnostic.Properties[SqlBuiltFromStringsAnalyzer.ReplacementProperty]} with the interpolated values as parameters"
                : "Pass the interpolated values as Dapper parameters";

        /// <summary>The two kinds of action (EF Core, Dapper) have keys of their own.</summary>
        protected override string GetEquivalenceKey(Diagnostic diagnostic) =>
            nameof(SqlBuiltFromStringsCodeFix) + diagnostic.Properties[SqlBuiltFromStringsAnalyzer.FixProperty];

        protected override async Task<bool> CanFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.ContainsKey(SqlBuiltFromStringsAnalyzer.FixProperty))
            {
                return false;
            }

            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return root is not null && model is not null && Plan(root, model, diagnostic, cancellationToken) is not null;
        }

        protected override Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var plan = Plan(editor.OriginalRoot, editor.SemanticModel, diagnostic, cancellationToken);
            if (plan is null)
            {
                return Task.CompletedTask;
            }

            if (plan.Replacement is { } replacement)
            {
                editor.ReplaceNode(plan.Interpolated, (current, _) => SyntaxFactory.ParseExpression(plan.NewSqlText).WithTriviaFrom(current));
                editor.ReplaceNode(plan.Invocation.Expression, (current, _) => Rename(current, replacement));
                return Task.CompletedTask;
            }

            // Dapper: new SQL text, then the parameter object right after the SQL argument.
            editor.ReplaceNode(plan.Invocation, (current, _) =>
            {
                var call = (InvocationExpressionSyntax)current;
                var arguments = call.ArgumentList.Arguments;
                var index = plan.Invocation.ArgumentList.Arguments.IndexOf(plan.SqlArgument);
                if (index < 0 || index >= arguments.Count)
                {
                    return current;
                }

                var sqlArgument = arguments[index];
                var newSql = sqlArgument.WithExpression(SyntaxFactory.ParseExpression(plan.NewSqlText).WithTriviaFrom(sqlArgument.Expression));
                var parameterObject = SyntaxFactory.Argument(plan.ParameterObject!);
                if (plan.NamedParam)
                {
                    parameterObject = parameterObject.WithNameColon(SyntaxFactory.NameColon("param"));
                }

                var updated = arguments.Replace(sqlArgument, newSql).Insert(index + 1, parameterObject);
                return call.WithArgumentList(call.ArgumentList.WithArguments(updated)).WithAdditionalAnnotations(Formatter.Annotation);
            });
            return Task.CompletedTask;
        }

        private static SyntaxNode Rename(SyntaxNode expression, string replacement)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax access:
                    return access.WithName(RenameName(access.Name, replacement));
                case SimpleNameSyntax name:
                    return RenameName(name, replacement);
                default:
                    return expression;
            }
        }

        private static SimpleNameSyntax RenameName(SimpleNameSyntax name, string replacement) =>
            name.WithIdentifier(SyntaxFactory.Identifier(replacement).WithTriviaFrom(name.Identifier));

        private sealed class FixPlan
        {
            public FixPlan(InvocationExpressionSyntax invocation, ArgumentSyntax sqlArgument, InterpolatedStringExpressionSyntax interpolated, string newSqlText)
            {
                Invocation = invocation;
                SqlArgument = sqlArgument;
                Interpolated = interpolated;
                NewSqlText = newSqlText;
            }

            public InvocationExpressionSyntax Invocation { get; }

            public ArgumentSyntax SqlArgument { get; }

            public InterpolatedStringExpressionSyntax Interpolated { get; }

            public string NewSqlText { get; }

            /// <summary>EF Core: the method to call instead.</summary>
            public string? Replacement { get; set; }

            /// <summary>Dapper: the anonymous parameter object.</summary>
            public AnonymousObjectCreationExpressionSyntax? ParameterObject { get; set; }

            public bool NamedParam { get; set; }
        }

        /// <summary>What the fix would write, or null when the interpolation cannot be turned into parameters safely.</summary>
        private static FixPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(SqlBuiltFromStringsAnalyzer.FixProperty, out var fix))
            {
                return null;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node is ArgumentSyntax wrapper)
            {
                node = wrapper.Expression;
            }

            while (node is ParenthesizedExpressionSyntax parenthesized)
            {
                node = parenthesized.Expression;
            }

            if (node is not InterpolatedStringExpressionSyntax interpolated)
            {
                return null;
            }

            var argument = interpolated.FirstAncestorOrSelf<ArgumentSyntax>();
            if (argument?.Parent?.Parent is not InvocationExpressionSyntax invocation)
            {
                return null;
            }

            var pieces = Split(interpolated, hole => model.GetConstantValue(hole.Expression, cancellationToken).HasValue);
            if (pieces is null)
            {
                return null;
            }

            if (fix == SqlBuiltFromStringsAnalyzer.FixEf && diagnostic.Properties.TryGetValue(SqlBuiltFromStringsAnalyzer.ReplacementProperty, out var replacement) && replacement is { Length: > 0 })
            {
                // Every hole becomes a parameter: a constant hole (a table name through nameof) would too, and break the SQL.
                foreach (var piece in pieces.Holes)
                {
                    if (model.GetConstantValue(piece.Hole.Expression, cancellationToken).HasValue)
                    {
                        return null;
                    }
                }

                var text = Rebuild(interpolated, pieces, hole => hole.Hole.ToString(), keepInterpolation: true);
                return text is null ? null : new FixPlan(invocation, argument, interpolated, text) { Replacement = replacement };
            }

            if (fix == SqlBuiltFromStringsAnalyzer.FixDapper)
            {
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var piece in pieces.Holes)
                {
                    if (piece.Hole.Expression is IdentifierNameSyntax { Identifier.ValueText: var identifier } && !identifier.StartsWith("@", StringComparison.Ordinal))
                    {
                        used.Add(identifier);
                    }
                }

                var members = new List<AnonymousObjectMemberDeclaratorSyntax>();
                var parameterized = new HashSet<HolePiece>();
                var counter = 0;
                foreach (var piece in pieces.Holes)
                {
                    var expression = piece.Hole.Expression;
                    if (model.GetConstantValue(expression, cancellationToken).HasValue)
                    {
                        if (piece.Quoted)
                        {
                            return null; // '{Const}' stays text: the quotes must stay too, which this fix does not sort out
                        }

                        continue; // constants stay in the text
                    }

                    parameterized.Add(piece);
                    var key = expression.WithoutTrivia().ToString();
                    if (names.ContainsKey(key))
                    {
                        continue;
                    }

                    string name;
                    if (expression is IdentifierNameSyntax simple && !simple.Identifier.Text.StartsWith("@", StringComparison.Ordinal))
                    {
                        name = simple.Identifier.ValueText;
                        members.Add(SyntaxFactory.AnonymousObjectMemberDeclarator(simple.WithoutTrivia()));
                    }
                    else
                    {
                        do
                        {
                            name = "p" + counter++;
                        }
                        while (used.Contains(name));
                        used.Add(name);
                        members.Add(SyntaxFactory.AnonymousObjectMemberDeclarator(SyntaxFactory.NameEquals(name), expression.WithoutTrivia()));
                    }

                    names.Add(key, name);
                }

                if (members.Count == 0)
                {
                    return null;
                }

                var text = Rebuild(interpolated, pieces, hole => parameterized.Contains(hole) ? "@" + names[hole.Hole.Expression.WithoutTrivia().ToString()] : null, keepInterpolation: false);
                if (text is null)
                {
                    return null;
                }

                var parameterObject = SyntaxFactory.AnonymousObjectCreationExpression(SyntaxFactory.SeparatedList(members));
                var named = diagnostic.Properties.TryGetValue(SqlBuiltFromStringsAnalyzer.ParamStyleProperty, out var style) && style == "named";
                return new FixPlan(invocation, argument, interpolated, text) { ParameterObject = parameterObject, NamedParam = named };
            }

            return null;
        }

        private sealed class HolePiece
        {
            public HolePiece(InterpolationSyntax hole, bool quoted)
            {
                Hole = hole;
                Quoted = quoted;
            }

            public InterpolationSyntax Hole { get; }

            /// <summary>Written between single quotes, <c>'{name}'</c>: the quotes go when the hole becomes a parameter.</summary>
            public bool Quoted { get; }
        }

        private sealed class Pieces
        {
            public List<HolePiece> Holes { get; } = new List<HolePiece>();
        }

        /// <summary>Reads the holes of the SQL, or null when one that is not a constant is not in a value position.</summary>
        private static Pieces? Split(InterpolatedStringExpressionSyntax interpolated, Func<InterpolationSyntax, bool> isConstant)
        {
            var pieces = new Pieces();
            var before = new StringBuilder();
            var contents = interpolated.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is InterpolatedStringTextSyntax text)
                {
                    before.Append(text.TextToken.Text);
                    continue;
                }

                if (contents[i] is not InterpolationSyntax hole || hole.AlignmentClause is not null || hole.FormatClause is not null)
                {
                    return null;
                }

                var after = i + 1 < contents.Count && contents[i + 1] is InterpolatedStringTextSyntax next ? next.TextToken.Text : string.Empty;
                var prefix = before.ToString();
                var quoted = false;
                if (CountQuotes(prefix) % 2 == 1)
                {
                    // Inside a SQL literal: only '{x}' exactly can become a parameter.
                    if (!prefix.EndsWith("'", StringComparison.Ordinal) || !after.StartsWith("'", StringComparison.Ordinal) || after.StartsWith("''", StringComparison.Ordinal))
                    {
                        return null;
                    }

                    quoted = true;
                }
                else if (!isConstant(hole) && !IsValuePosition(prefix, after))
                {
                    return null;
                }

                pieces.Holes.Add(new HolePiece(hole, quoted));
                before.Append('0'); // stands for the value
            }

            return pieces.Holes.Count == 0 ? null : pieces;
        }

        private static int CountQuotes(string text)
        {
            var count = 0;
            foreach (var c in text)
            {
                if (c == '\'')
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// Is the hole where SQL expects a value: after a comparison or arithmetic operator, an opening parenthesis
        /// (not IN's: that hole holds a whole list), a comma inside parentheses, or LIKE/LIMIT/OFFSET/TOP/THEN/ELSE/BETWEEN?
        /// Anything else (a table or column name, a clause, a sort direction) must not become a parameter.
        /// </summary>
        private static bool IsValuePosition(string before, string after)
        {
            var trimmedAfter = after.TrimStart();
            if (trimmedAfter.StartsWith(".", StringComparison.Ordinal) || trimmedAfter.StartsWith("]", StringComparison.Ordinal)
                || trimmedAfter.StartsWith("\"", StringComparison.Ordinal) || trimmedAfter.StartsWith("`", StringComparison.Ordinal))
            {
                return false;
            }

            var trimmed = before.TrimEnd();
            if (trimmed.Length == 0)
            {
                return false;
            }

            var last = trimmed[trimmed.Length - 1];
            switch (last)
            {
                case '=':
                case '<':
                case '>':
                case '+':
                case '-':
                case '*':
                case '/':
                case '%':
                    return true;
                case '(':
                    return !EndsWithWord(trimmed.Substring(0, trimmed.Length - 1).TrimEnd(), "IN");
                case ',':
                    return IsInsideParentheses(trimmed);
            }

            foreach (var keyword in ValueKeywords)
            {
                if (EndsWithWord(trimmed, keyword))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsInsideParentheses(string text)
        {
            var depth = 0;
            for (var i = text.Length - 1; i >= 0; i--)
            {
                if (text[i] == ')')
                {
                    depth++;
                }
                else if (text[i] == '(')
                {
                    if (depth == 0)
                    {
                        return true;
                    }

                    depth--;
                }
            }

            return false;
        }

        private static bool EndsWithWord(string text, string word)
        {
            if (!text.EndsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var start = text.Length - word.Length;
            return start == 0 || !char.IsLetterOrDigit(text[start - 1]) && text[start - 1] != '_';
        }

        /// <summary>
        /// Writes the string again: quoted holes lose their quotes, and each hole is written as <paramref name="replace"/>
        /// says (null keeps it as a hole). Without holes left, the string stops being interpolated.
        /// </summary>
        private static string? Rebuild(InterpolatedStringExpressionSyntax interpolated, Pieces pieces, Func<HolePiece, string?> replace, bool keepInterpolation)
        {
            var start = interpolated.StringStartToken.Text;
            var isRaw = start.Contains("\"\"\"");
            var holesLeft = keepInterpolation;
            var parts = new List<(string Text, bool IsHole)>();
            var index = 0;
            foreach (var content in interpolated.Contents)
            {
                if (content is InterpolatedStringTextSyntax text)
                {
                    parts.Add((text.TextToken.Text, false));
                    continue;
                }

                var piece = pieces.Holes[index++];
                var written = replace(piece);
                if (written is null)
                {
                    holesLeft = true;
                    parts.Add((piece.Hole.ToString(), true));
                    continue;
                }

                if (piece.Quoted)
                {
                    // Drop the quote that ends the text before and the one that starts the text after.
                    var previous = parts.Count - 1;
                    if (previous < 0 || parts[previous].Text == "\u0001" || !parts[previous].Text.EndsWith("'", StringComparison.Ordinal))
                    {
                        return null;
                    }

                    parts[previous] = (parts[previous].Text.Substring(0, parts[previous].Text.Length - 1), false);
                }

                parts.Add((written, keepInterpolation));
                if (piece.Quoted)
                {
                    parts.Add(("\u0001", false)); // marks the quote to drop from the next text
                }
            }

            var body = new StringBuilder();
            var dropQuote = false;
            foreach (var (text, isHole) in parts)
            {
                if (text == "\u0001")
                {
                    dropQuote = true;
                    continue;
                }

                var value = text;
                if (dropQuote && !isHole)
                {
                    if (!value.StartsWith("'", StringComparison.Ordinal))
                    {
                        return null;
                    }

                    value = value.Substring(1);
                    dropQuote = false;
                }

                if (!holesLeft && !isHole && !isRaw)
                {
                    value = value.Replace("{{", "{").Replace("}}", "}");
                }

                body.Append(value);
            }

            if (dropQuote)
            {
                return null;
            }

            var end = interpolated.StringEndToken.Text;
            if (!holesLeft)
            {
                start = start.Replace("$", string.Empty);
            }

            return start + body + end;
        }
    }
}
