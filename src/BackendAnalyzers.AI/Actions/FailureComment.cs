using System;
using System.Linq;
using System.Text.RegularExpressions;
using BackendAnalyzers.AI.Grounding;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>The one comment an action leaves when it applies nothing: <c>// Implement with AI: not applied: ...</c>.</summary>
    internal static class FailureComment
    {
        private const int MaxLength = 700;

        public static string Text(string title, string reason, SecretRedactor redactor)
        {
            var oneLine = Regex.Replace(redactor.Redact(reason), @"\s+", " ").Trim();
            if (oneLine.Length > MaxLength)
            {
                oneLine = oneLine.Substring(0, MaxLength) + " ...";
            }

            return "// " + title + ": not applied: " + oneLine;
        }

        /// <summary><paramref name="node"/> with the comment just above it; an earlier comment of the same action is replaced.</summary>
        public static TNode Add<TNode>(TNode node, string title, string reason, SecretRedactor redactor, string newLine)
            where TNode : SyntaxNode
        {
            var leading = Remove(node, title).GetLeadingTrivia();
            var indentation = leading.Reverse().TakeWhile(t => !t.IsKind(SyntaxKind.EndOfLineTrivia)).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToList();
            var updated = leading
                .Add(SyntaxFactory.Comment(Text(title, reason, redactor)))
                .Add(SyntaxFactory.EndOfLine(newLine))
                .AddRange(indentation);
            return node.WithLeadingTrivia(updated);
        }

        /// <summary><paramref name="node"/> without a comment left by an earlier run of the same action.</summary>
        public static TNode Remove<TNode>(TNode node, string title)
            where TNode : SyntaxNode
        {
            var leading = node.GetLeadingTrivia();
            var prefix = "// " + title + ": not applied";
            for (var i = 0; i < leading.Count; i++)
            {
                if (leading[i].IsKind(SyntaxKind.SingleLineCommentTrivia) && leading[i].ToString().StartsWith(prefix, StringComparison.Ordinal))
                {
                    // The comment, the end of its line and the indentation of the next line.
                    var end = i + 1;
                    if (end < leading.Count && leading[end].IsKind(SyntaxKind.EndOfLineTrivia))
                    {
                        end++;
                    }

                    while (end < leading.Count && leading[end].IsKind(SyntaxKind.WhitespaceTrivia))
                    {
                        end++;
                    }

                    var list = leading.ToList();
                    list.RemoveRange(i, end - i);
                    return node.WithLeadingTrivia(list);
                }
            }

            return node;
        }

        public static string NewLineOf(SyntaxNode root) => root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
    }
}
