using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.CodeFixes.Infrastructure;
using BackendAnalyzers.ErrorHandling;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.CodeFixes.ErrorHandling
{
    /// <summary>
    /// BA2002: replaces the exception's text in the response with a generic message ("An unexpected error occurred.").
    /// The text is replaced as a whole string: an interpolation, concatenation or string.Format that carries it becomes
    /// the generic message. When an ILogger (field, property, parameter or local) and the exception are in scope, the
    /// fix also logs the exception right before the statement: <c>_logger.LogError(ex, "An unexpected error occurred.");</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExceptionDetailsReturnedCodeFix)), Shared]
    public sealed class ExceptionDetailsReturnedCodeFix : EditorCodeFix
    {
        /// <summary>The statements a Fix All run has already logged before: two diagnostics of one statement log once.</summary>
        private static readonly ConditionalWeakTable<DocumentEditor, HashSet<StatementSyntax>> Logged = new ConditionalWeakTable<DocumentEditor, HashSet<StatementSyntax>>();

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ExceptionDetailsReturned);

        protected override string GetTitle(Diagnostic diagnostic) => "Return a generic message (and log the exception)";

        protected override async Task<bool> CanFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return root is not null && model is not null && FindTargets(root, model, diagnostic, cancellationToken) is not null;
        }

        /// <summary>
        /// The expressions to replace: for each place the exception's text enters the response, the whole string built
        /// around it. Null when one of them is not a string or object slot (the literal would not compile there).
        /// </summary>
        private static List<ExpressionSyntax>? FindTargets(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var targets = new List<ExpressionSyntax>();
            foreach (var location in new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations))
            {
                var span = location.SourceSpan;
                if (!location.IsInSource || location.SourceTree != root.SyntaxTree || span.End > root.FullSpan.End
                    || root.FindNode(span, getInnermostNodeForTie: true) is not ExpressionSyntax anchor || anchor.Span != span)
                {
                    return null;
                }

                var target = WidenToString(anchor, model, cancellationToken);
                if (!AcceptsString(target, model, cancellationToken))
                {
                    return null;
                }

                if (!targets.Any(t => t.Span.Contains(target.Span)))
                {
                    targets.RemoveAll(t => target.Span.Contains(t.Span));
                    targets.Add(target);
                }
            }

            return targets.Count > 0 ? targets : null;
        }

        /// <summary>From <c>ex.Message</c> up to the string that carries it: the interpolation, concatenation, string method or string.Format around it.</summary>
        private static ExpressionSyntax WidenToString(ExpressionSyntax anchor, SemanticModel model, CancellationToken cancellationToken)
        {
            var current = anchor;
            while (true)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case MemberBindingExpressionSyntax or MemberAccessExpressionSyntax when parent.Parent is InvocationExpressionSyntax call && IsStringMethod(call, model, cancellationToken):
                        current = call;
                        continue;
                    case ConditionalAccessExpressionSyntax access when access.WhenNotNull == current:
                        current = access;
                        continue;
                    case InterpolationSyntax { Parent: InterpolatedStringExpressionSyntax interpolated }:
                        current = interpolated;
                        continue;
                    case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) && IsString(binary, model, cancellationToken):
                        current = binary;
                        continue;
                    case BinaryExpressionSyntax coalesce when coalesce.IsKind(SyntaxKind.CoalesceExpression) && coalesce.Left == current:
                        current = coalesce;
                        continue;
                    case ParenthesizedExpressionSyntax parenthesized:
                        current = parenthesized;
                        continue;
                    case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax format } } when IsStringMethod(format, model, cancellationToken):
                        current = format;
                        continue;
                    default:
                        return current;
                }
            }
        }

        private static bool IsStringMethod(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken) =>
            model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType.SpecialType: SpecialType.System_String } method && method.ReturnType.SpecialType == SpecialType.System_String;

        private static bool IsString(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) =>
            model.GetTypeInfo(expression, cancellationToken).Type?.SpecialType == SpecialType.System_String;

        /// <summary>A string fits where the expression is: it is a string, or it is converted to object (or stored in an anonymous object).</summary>
        private static bool AcceptsString(ExpressionSyntax target, SemanticModel model, CancellationToken cancellationToken)
        {
            var info = model.GetTypeInfo(target, cancellationToken);
            if (info.Type?.SpecialType == SpecialType.System_String || info.ConvertedType?.SpecialType is SpecialType.System_String or SpecialType.System_Object)
            {
                return true;
            }

            return target.Parent is AnonymousObjectMemberDeclaratorSyntax;
        }

        protected override async Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var model = await editor.OriginalDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                return;
            }

            var targets = FindTargets(editor.OriginalRoot, model, diagnostic, cancellationToken);
            if (targets is null)
            {
                return;
            }

            foreach (var target in targets)
            {
                editor.ReplaceNode(target, (current, _) =>
                    SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(ExceptionDetailsReturnedAnalyzer.GenericMessage)).WithTriviaFrom(current));
            }

            if (diagnostic.Properties.TryGetValue(ExceptionDetailsReturnedAnalyzer.ExceptionProperty, out var exception) && !string.IsNullOrEmpty(exception))
            {
                InsertLog(editor, model, targets[0], exception!, cancellationToken);
            }
        }

        private static void InsertLog(DocumentEditor editor, SemanticModel model, ExpressionSyntax target, string exception, CancellationToken cancellationToken)
        {
            var statement = target.FirstAncestorOrSelf<StatementSyntax>();
            if (statement?.Parent is not BlockSyntax block
                || target.Ancestors().TakeWhile(a => a != statement).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                return;
            }

            var logged = Logged.GetValue(editor, _ => new HashSet<StatementSyntax>());
            lock (logged)
            {
                if (!logged.Add(statement))
                {
                    return;
                }
            }

            var position = statement.SpanStart;
            var exceptionSymbol = model.LookupSymbols(position, name: exception).FirstOrDefault(s => s is ILocalSymbol or IParameterSymbol);
            var types = new KnownTypes(model.Compilation);
            var logger = FindLogger(model, position, types);
            var extensionsImported = !model.LookupNamespacesAndTypes(position, name: "LoggerExtensions").IsEmpty;
            if (exceptionSymbol is null || logger is null || !extensionsImported || AlreadyLogs(block, model, exceptionSymbol, types, cancellationToken))
            {
                return;
            }

            var log = FixSyntax.Statement($"{logger}.LogError({exception}, \"{ExceptionDetailsReturnedAnalyzer.GenericMessage}\");", statement);
            editor.InsertBefore(statement, log);
        }

        /// <summary>An ILogger in scope: a local, a parameter, a field or property (not from a static context), preferring names like <c>_logger</c>.</summary>
        private static string? FindLogger(SemanticModel model, int position, KnownTypes types)
        {
            var logger = types.ILogger;
            if (logger is null || types.LoggerExtensions is null)
            {
                return null;
            }

            var inStatic = model.GetEnclosingSymbol(position) is { } enclosing && IsStaticContext(enclosing);
            string? found = null;
            foreach (var symbol in model.LookupSymbols(position))
            {
                var type = symbol switch
                {
                    ILocalSymbol local => local.Type,
                    IParameterSymbol parameter => parameter.Type,
                    IFieldSymbol field when field.IsStatic || !inStatic => field.Type,
                    IPropertySymbol property when (property.IsStatic || !inStatic) && !property.IsIndexer => property.Type,
                    _ => null,
                };

                if (type is null || !type.IsOrImplements(logger))
                {
                    continue;
                }

                if (symbol.Name.IndexOf("logger", System.StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return symbol.Name;
                }

                found ??= symbol.Name;
            }

            return found;
        }

        private static bool IsStaticContext(ISymbol symbol)
        {
            for (var current = symbol; current is not null; current = current.ContainingSymbol)
            {
                if (current is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested)
                {
                    if (nested.IsStatic)
                    {
                        return true;
                    }

                    continue;
                }

                return current.IsStatic;
            }

            return false;
        }

        /// <summary>Does the block already pass the exception to a logger?</summary>
        private static bool AlreadyLogs(BlockSyntax block, SemanticModel model, ISymbol exception, KnownTypes types, CancellationToken cancellationToken)
        {
            foreach (var call in block.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(call, cancellationToken) is IInvocationOperation invocation && LoggerCalls.IsLoggerCall(invocation, types)
                    && LoggerCalls.GetExceptionArgument(invocation, types) is { } argument
                    && argument.Value.WalkDownConversion() is ILocalReferenceOperation or IParameterReferenceOperation
                    && (argument.Value.WalkDownConversion() is ILocalReferenceOperation { Local: var local } && local.IsSame(exception)
                        || argument.Value.WalkDownConversion() is IParameterReferenceOperation { Parameter: var parameter } && parameter.IsSame(exception)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
