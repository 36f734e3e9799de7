using System.Collections.Immutable;
using BackendAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Integration
{
    /// <summary>
    /// BA6004: the content of an HttpResponseMessage is read (ReadAsStringAsync, ReadFromJsonAsync, ...) and the
    /// method never looks at the response's status: a 404 or 500 body is then treated as data. The response must
    /// come from an HttpClient send in the same method (a local, or the awaited call itself); responses handed in
    /// or out of the method are not judged.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ResponseUsedWithoutStatusCheckAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the name of the response local the fix checks; absent when the response is not in a local.</summary>
        public const string ResponseProperty = "Response";

        internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
            RuleIds.ResponseUsedWithoutStatusCheck,
            title: "HTTP response used without a status check",
            messageFormat: "The content of {0} is read without checking its status code; call EnsureSuccessStatusCode() or test IsSuccessStatusCode first",
            RuleCategories.Integration,
            DiagnosticSeverity.Info,
            description: "HttpClient does not throw on 4xx/5xx responses from GetAsync/PostAsync/SendAsync. Reading the content without a status check treats an error page or problem-details body as data, which fails later and far from the cause. GetStringAsync/GetFromJsonAsync throw on failure and need no check.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = new KnownTypes(start.Compilation);
                if (types.HttpResponseMessage is null || types.HttpContent is null || types.HttpMessageInvoker is null)
                {
                    return;
                }

                var analyzer = new Analyzer(types);
                start.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
            });
        }

        internal static bool IsContentReadName(string name) => name switch
        {
            "ReadAsStringAsync" or "ReadAsStreamAsync" or "ReadAsStream" or "ReadAsByteArrayAsync"
                or "ReadFromJsonAsync" or "ReadFromJsonAsAsyncEnumerable" => true,
            _ => false,
        };

        private sealed class Analyzer
        {
            private readonly KnownTypes _types;

            public Analyzer(KnownTypes types)
            {
                _types = types;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var read = (IInvocationOperation)context.Operation;
                if (!IsContentReadName(read.TargetMethod.Name) || GetResponseContent(read) is not { } content)
                {
                    return;
                }

                var response = content.Instance?.WalkDownConversion();
                if (response is null)
                {
                    return;
                }

                var additional = new[] { content.Syntax.GetLocation() };
                if (response is ILocalReferenceOperation local)
                {
                    var root = read.GetRoot();
                    if (!IsAssignedOnlyFromSends(local.Local, root) || IsCheckedOrHandedOn(local.Local, root) || HasEarlierRead(read, local.Local, root))
                    {
                        return;
                    }

                    var properties = ImmutableDictionary<string, string?>.Empty.Add(ResponseProperty, local.Local.Name);
                    context.ReportDiagnostic(Diagnostic.Create(Rule, read.Syntax.GetLocation(), additional, properties, "'" + local.Local.Name + "'"));
                    return;
                }

                // (await client.GetAsync(url)).Content.ReadAsStringAsync(): nothing can have checked it.
                if (response.WalkDownConversionAndAwait() is IInvocationOperation send && IsSend(send))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, read.Syntax.GetLocation(), additional, "the response of '" + send.TargetMethod.Name + "'"));
                }
            }

            /// <summary>The <c>response.Content</c> the read works on, directly or through a local holding it.</summary>
            private IPropertyReferenceOperation? GetResponseContent(IInvocationOperation read)
            {
                var method = read.TargetMethod;
                var isContentMethod = method.IsStatic
                    ? method.ContainingType.IsSame(_types.HttpContentJsonExtensions)
                    : method.ContainingType.InheritsFromOrEquals(_types.HttpContent);
                if (!isContentMethod)
                {
                    return null;
                }

                var receiver = read.GetReceiverOrThisArgument()?.WalkDownConversion();
                if (receiver is ILocalReferenceOperation contentLocal && contentLocal.Type.InheritsFromOrEquals(_types.HttpContent))
                {
                    receiver = SingleAssignedValue(contentLocal.Local, read.GetRoot())?.WalkDownConversion();
                }

                return receiver is IPropertyReferenceOperation { Property.Name: "Content" } property
                    && property.Property.ContainingType.IsSame(_types.HttpResponseMessage)
                    ? property
                    : null;
            }

            /// <summary>GetAsync/PostAsync/PutAsync/PatchAsync/DeleteAsync/SendAsync/Send and the *AsJsonAsync helpers.</summary>
            private bool IsSend(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var containing = method.ContainingType;
                var sender = method.IsStatic
                    ? containing.IsSame(_types.HttpClientJsonExtensions)
                    : containing.InheritsFromOrEquals(_types.HttpMessageInvoker);
                return sender && method.ReturnType.UnwrapTask(_types).IsSame(_types.HttpResponseMessage);
            }

            private bool IsAssignedOnlyFromSends(ILocalSymbol local, IOperation root)
            {
                var assignments = 0;
                foreach (var operation in root.Descendants())
                {
                    IOperation? value = null;
                    if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local))
                    {
                        value = declarator.GetVariableInitializer()?.Value;
                        if (value is null)
                        {
                            continue;
                        }
                    }
                    else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(local))
                    {
                        value = assignment.Value;
                    }
                    else if (operation is ILocalReferenceOperation { IsDeclaration: true } declared && declared.Local.IsSame(local)
                        && declared.Parent is not IVariableDeclaratorOperation)
                    {
                        return false; // out var, deconstruction, pattern: filled in by someone else
                    }
                    else
                    {
                        continue;
                    }

                    if (value.WalkDownConversionAndAwait() is not IInvocationOperation send || !IsSend(send))
                    {
                        return false; // a helper may well have checked the status before returning it
                    }

                    assignments++;
                }

                return assignments > 0;
            }

            /// <summary>
            /// Any status check anywhere in the method counts (reading an error body first and checking after is a
            /// fine pattern), and so does handing the response to other code, which may check it.
            /// </summary>
            private static bool IsCheckedOrHandedOn(ILocalSymbol local, IOperation root)
            {
                foreach (var operation in root.Descendants())
                {
                    if (operation is not ILocalReferenceOperation reference || !reference.Local.IsSame(local))
                    {
                        continue;
                    }

                    IOperation child = reference;
                    var parent = reference.Parent;
                    while (parent is IConversionOperation or IParenthesizedOperation)
                    {
                        child = parent;
                        parent = parent.Parent;
                    }

                    switch (parent)
                    {
                        case IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode" } invocation when ReferenceEquals(invocation.Instance, child):
                        case IPropertyReferenceOperation { Property.Name: "IsSuccessStatusCode" or "StatusCode" } property when ReferenceEquals(property.Instance, child):
                        case IConditionalAccessOperation access when ReferenceEquals(access.Operation, child) && IsCheckOnConditionalInstance(access.WhenNotNull):
                        case IArgumentOperation:
                        case IReturnOperation:
                        case IIsPatternOperation:
                        case ISwitchExpressionOperation:
                        case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, child):
                        case IVariableInitializerOperation:
                            return true;
                    }
                }

                return false;
            }

            private static bool IsCheckOnConditionalInstance(IOperation whenNotNull) => whenNotNull.WalkDownConversion() switch
            {
                IPropertyReferenceOperation { Property.Name: "IsSuccessStatusCode" or "StatusCode", Instance: IConditionalAccessInstanceOperation } => true,
                IInvocationOperation { TargetMethod.Name: "EnsureSuccessStatusCode", Instance: IConditionalAccessInstanceOperation } => true,
                _ => false,
            };

            /// <summary>Only the first read of a response is reported: one check before it covers the rest.</summary>
            private bool HasEarlierRead(IInvocationOperation read, ILocalSymbol local, IOperation root)
            {
                var start = read.Syntax.SpanStart;
                foreach (var operation in root.Descendants())
                {
                    if (operation is IInvocationOperation other && other.Syntax.SpanStart < start && IsContentReadName(other.TargetMethod.Name)
                        && GetResponseContent(other)?.Instance?.WalkDownConversion() is ILocalReferenceOperation otherLocal
                        && otherLocal.Local.IsSame(local))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static IOperation? SingleAssignedValue(ILocalSymbol local, IOperation root)
            {
                IOperation? value = null;
                var count = 0;
                foreach (var operation in root.Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator && declarator.Symbol.IsSame(local) && declarator.GetVariableInitializer() is { } initializer)
                    {
                        value = initializer.Value;
                        count++;
                    }
                    else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && target.Local.IsSame(local))
                    {
                        value = assignment.Value;
                        count++;
                    }
                }

                return count == 1 ? value : null;
            }
        }
    }
}
