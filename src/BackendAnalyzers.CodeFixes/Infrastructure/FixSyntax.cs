using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace BackendAnalyzers.CodeFixes.Infrastructure
{
    /// <summary>Small syntax helpers the code fixes share.</summary>
    internal static class FixSyntax
    {
        /// <summary>The end-of-line the file uses (taken from the given node's surroundings), so inserted lines match.</summary>
        public static SyntaxTrivia EndOfLine(SyntaxNode near)
        {
            foreach (var trivia in near.GetTrailingTrivia().Concat(near.SyntaxTree?.GetRoot().DescendantTrivia().Take(200) ?? Enumerable.Empty<SyntaxTrivia>()))
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return trivia;
                }
            }

            return SyntaxFactory.ElasticCarriageReturnLineFeed;
        }

        /// <summary>A statement parsed from text, ready to be inserted and formatted in place.</summary>
        public static StatementSyntax Statement(string text, SyntaxNode near) =>
            SyntaxFactory.ParseStatement(text)
                .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                .WithTrailingTrivia(EndOfLine(near))
                .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
