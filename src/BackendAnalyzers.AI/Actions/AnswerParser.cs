using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>Turns a model's answer into syntax: a method body (or a whole member), or one whole file.</summary>
    internal static class AnswerParser
    {
        private static readonly Regex Fence = new Regex(
            @"```[ \t]*(?<lang>[A-Za-z#+]*)[^\n]*\n(?<code>.*?)```",
            RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        private static readonly Regex UsingLine = new Regex(
            @"^\s*using\s+(?:static\s+)?[A-Za-z_][\w.]*(?:\s*=\s*[\w.<>, ]+)?\s*;\s*$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        /// <summary>The code of the answer: its first C# code block, else its first code block, else the whole answer.</summary>
        public static string ExtractCode(string answer)
        {
            var blocks = Fence.Matches(answer).Cast<Match>().ToList();
            var csharp = blocks.FirstOrDefault(m => m.Groups["lang"].Value.ToLowerInvariant() is "csharp" or "cs" or "c#");
            var chosen = csharp ?? blocks.FirstOrDefault();
            return (chosen is null ? answer : chosen.Groups["code"].Value).Trim();
        }

        /// <summary>Leading using directives of a member answer, and the rest.</summary>
        public static (List<UsingDirectiveSyntax> Usings, string Code) SplitUsings(string code)
        {
            var usings = new List<UsingDirectiveSyntax>();
            var lines = code.Replace("\r\n", "\n").Split('\n');
            var index = 0;
            for (; index < lines.Length; index++)
            {
                var line = lines[index];
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                if (!UsingLine.IsMatch(line))
                {
                    break;
                }

                if (SyntaxFactory.ParseCompilationUnit(line.Trim()).Usings.FirstOrDefault() is { } directive && !directive.ContainsDiagnostics)
                {
                    usings.Add(directive);
                }
            }

            return (usings, string.Join("\n", lines.Skip(index)));
        }

        /// <summary>
        /// The new version of <paramref name="original"/> from an answer that is either the whole method (same name and
        /// parameters; its async modifier is taken) or just its body. Returns null with <paramref name="error"/> set
        /// when the answer is neither.
        /// </summary>
        public static BaseMethodDeclarationSyntax? ParseMethodAnswer(BaseMethodDeclarationSyntax original, string code, out string? error)
        {
            error = null;
            var member = SyntaxFactory.ParseMemberDeclaration(code);
            if (member is not null && !member.ContainsDiagnostics && member.FullSpan.Length >= code.TrimEnd().Length)
            {
                var candidate = FindSameMethod(member, original);
                if (candidate is not null)
                {
                    return WithBodyOf(original, candidate);
                }
            }
            else
            {
                // The model may have wrapped the method in a class.
                var unit = SyntaxFactory.ParseCompilationUnit(code);
                if (!unit.ContainsDiagnostics)
                {
                    foreach (var type in unit.DescendantNodes().OfType<TypeDeclarationSyntax>())
                    {
                        foreach (var inner in type.Members)
                        {
                            var candidate = FindSameMethod(inner, original);
                            if (candidate is not null)
                            {
                                return WithBodyOf(original, candidate);
                            }
                        }
                    }
                }
            }

            if (member is MethodDeclarationSyntax or ConstructorDeclarationSyntax && !member.ContainsDiagnostics)
            {
                error = "the answer declares a different method than " + Describe(original) + "; keep its name and parameters";
                return null;
            }

            var text = code.Trim();
            if (!text.StartsWith("{", StringComparison.Ordinal))
            {
                text = "{\n" + text + "\n}";
            }

            var statement = SyntaxFactory.ParseStatement(text);
            if (statement is BlockSyntax block && statement.FullSpan.Length >= text.Length)
            {
                var errors = block.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count == 0)
                {
                    var result = original.WithBody(block).WithExpressionBody(null).WithSemicolonToken(default);
                    return NeedsAsync(original, block) ? AddAsync(result) : result;
                }

                error = "the answer does not parse: " + string.Join("; ", errors.Take(5).Select(d => d.Id + " " + d.GetMessage()));
                return null;
            }

            error = "the answer is neither the method " + Describe(original) + " nor its body";
            return null;
        }

        /// <summary>A property or field answer of the same kind and name as <paramref name="original"/>.</summary>
        public static MemberDeclarationSyntax? ParseMemberAnswer(MemberDeclarationSyntax original, string code, out string? error)
        {
            error = null;
            var member = SyntaxFactory.ParseMemberDeclaration(code);
            if (member is null || member.ContainsDiagnostics)
            {
                var errors = member?.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.Id + " " + d.GetMessage()) ?? Enumerable.Empty<string>();
                error = "the answer is not one member declaration: " + string.Join("; ", errors);
                return null;
            }

            if (member.Kind() != original.Kind() || NameOf(member) != NameOf(original))
            {
                error = "the answer declares a different member; keep " + NameOf(original) + " as a " + original.Kind();
                return null;
            }

            return member;
        }

        /// <summary>A whole C# file.</summary>
        public static CompilationUnitSyntax? ParseFileAnswer(string code, out string? error)
        {
            error = null;
            var unit = SyntaxFactory.ParseCompilationUnit(code);
            var errors = unit.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                error = "the answer does not parse: " + string.Join("; ", errors.Take(5).Select(d => d.Id + " " + d.GetMessage()));
                return null;
            }

            if (!unit.DescendantNodes().OfType<TypeDeclarationSyntax>().Any())
            {
                error = "the answer is not a C# file with a test class";
                return null;
            }

            return unit;
        }

        private static BaseMethodDeclarationSyntax? FindSameMethod(MemberDeclarationSyntax member, BaseMethodDeclarationSyntax original)
        {
            if (member is MethodDeclarationSyntax method && original is MethodDeclarationSyntax originalMethod
                && method.Identifier.ValueText == originalMethod.Identifier.ValueText
                && SameParameters(method.ParameterList, originalMethod.ParameterList))
            {
                return method;
            }

            if (member is ConstructorDeclarationSyntax constructor && original is ConstructorDeclarationSyntax originalConstructor
                && SameParameters(constructor.ParameterList, originalConstructor.ParameterList))
            {
                return constructor;
            }

            return null;
        }

        private static bool SameParameters(ParameterListSyntax a, ParameterListSyntax b) =>
            a.Parameters.Count == b.Parameters.Count
            && a.Parameters.Zip(b.Parameters, (x, y) => Squeeze(x.Type?.ToString()) == Squeeze(y.Type?.ToString())).All(same => same);

        private static string Squeeze(string? text) => Regex.Replace(text ?? string.Empty, @"\s+", string.Empty);

        private static BaseMethodDeclarationSyntax WithBodyOf(BaseMethodDeclarationSyntax original, BaseMethodDeclarationSyntax answer)
        {
            var result = original
                .WithBody(answer.Body?.WithoutTrivia())
                .WithExpressionBody(answer.ExpressionBody?.WithoutTrivia())
                .WithSemicolonToken(answer.ExpressionBody is null ? default : SyntaxFactory.Token(SyntaxKind.SemicolonToken));
            var answerAsync = answer.Modifiers.Any(SyntaxKind.AsyncKeyword);
            var originalAsync = original.Modifiers.Any(SyntaxKind.AsyncKeyword);
            if (answerAsync && !originalAsync)
            {
                return AddAsync(result);
            }

            if (!answerAsync && originalAsync)
            {
                var asyncToken = result.Modifiers.First(m => m.IsKind(SyntaxKind.AsyncKeyword));
                return result.WithModifiers(result.Modifiers.Remove(asyncToken));
            }

            return result;
        }

        private static bool NeedsAsync(BaseMethodDeclarationSyntax original, BlockSyntax body) =>
            !original.Modifiers.Any(SyntaxKind.AsyncKeyword)
            && body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
                .Any(n => n is AwaitExpressionSyntax || n is ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || n is UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || n is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });

        private static BaseMethodDeclarationSyntax AddAsync(BaseMethodDeclarationSyntax method)
        {
            var asyncToken = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (method.Modifiers.Count == 0 && method is MethodDeclarationSyntax plain)
            {
                // No modifiers: the async keyword takes the return type's leading trivia.
                var first = plain.ReturnType.GetFirstToken();
                var trivia = first.LeadingTrivia;
                plain = plain.ReplaceToken(first, first.WithLeadingTrivia());
                return plain.WithModifiers(SyntaxFactory.TokenList(asyncToken.WithLeadingTrivia(trivia)));
            }

            return method.WithModifiers(method.Modifiers.Add(asyncToken));
        }

        private static string Describe(BaseMethodDeclarationSyntax method) => method switch
        {
            MethodDeclarationSyntax m => m.Identifier.ValueText + m.ParameterList,
            ConstructorDeclarationSyntax c => c.Identifier.ValueText + c.ParameterList,
            _ => method.Kind().ToString(),
        };

        internal static string NameOf(MemberDeclarationSyntax member) => member switch
        {
            PropertyDeclarationSyntax p => p.Identifier.ValueText,
            FieldDeclarationSyntax f => string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.ValueText)),
            MethodDeclarationSyntax m => m.Identifier.ValueText,
            _ => member.Kind().ToString(),
        };
    }
}
