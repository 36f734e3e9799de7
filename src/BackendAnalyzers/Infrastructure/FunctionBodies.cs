using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>
    /// Gives the operation tree of a source method's body, for the rules that look into the methods an endpoint
    /// or a loop calls. Semantic models are created once per syntax tree and compilation and only for the trees
    /// that such a call leads to; binding inside them stays lazy, so only the bodies asked for are bound.
    /// </summary>
    internal sealed class FunctionBodies
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();

        public FunctionBodies(Compilation compilation)
        {
            _compilation = compilation;
        }

        public Compilation Compilation => _compilation;

        public SemanticModel GetSemanticModel(SyntaxTree tree)
        {
#pragma warning disable RS1030 // Interprocedural rules need the bodies of the methods they follow; models are cached per tree.
            return _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030
        }

        /// <summary>The body operation (block or arrow expression) of a method declared in source, or null.</summary>
        public IOperation? GetBody(IMethodSymbol method, CancellationToken cancellationToken)
        {
            method = method.PartialImplementationPart ?? method;
            if (method.DeclaringSyntaxReferences.Length == 0 || !_compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree))
            {
                return null;
            }

            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            var model = GetSemanticModel(syntax.SyntaxTree);
            switch (model.GetOperation(syntax, cancellationToken))
            {
                case IMethodBodyBaseOperation methodBody:
                    return (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Body;
                case IAnonymousFunctionOperation lambda:
                    return lambda.Body;
                default:
                    return null;
            }
        }
    }
}
