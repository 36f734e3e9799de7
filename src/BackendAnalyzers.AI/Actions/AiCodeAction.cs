using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeActions;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>
    /// An AI action as the IDE sees it. Its preview is a description computed without any network call; the request
    /// goes out only from <see cref="ComputeOperationsAsync"/>, when the user applies the action. Low priority, no Fix
    /// All (the providers return none), cancellable, and nothing thrown but the caller's cancellation.
    /// </summary>
    internal sealed class AiCodeAction : CodeAction
    {
        private readonly string _title;
        private readonly string _equivalenceKey;
        private readonly string _description;
        private readonly Func<CancellationToken, Task<AiActionPlan?>> _createPlan;

        public AiCodeAction(string title, string equivalenceKey, string description, Func<CancellationToken, Task<AiActionPlan?>> createPlan)
        {
            _title = title;
            _equivalenceKey = equivalenceKey;
            _description = description;
            _createPlan = createPlan;
        }

        public override string Title => _title;

        public override string EquivalenceKey => _equivalenceKey;

        /// <summary>What the preview shows.</summary>
        public string Description => _description;

        protected override CodeActionPriority ComputePriority() => CodeActionPriority.Low;

        protected override Task<IEnumerable<CodeActionOperation>> ComputePreviewOperationsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<CodeActionOperation>>(new CodeActionOperation[] { new DescriptionPreviewOperation(_description) });

        protected override async Task<IEnumerable<CodeActionOperation>> ComputeOperationsAsync(CancellationToken cancellationToken)
        {
            try
            {
                var plan = await _createPlan(cancellationToken).ConfigureAwait(false);
                if (plan is null)
                {
                    return Array.Empty<CodeActionOperation>();
                }

                var solution = await AiActionRunner.RunAsync(plan, cancellationToken).ConfigureAwait(false);
                return new CodeActionOperation[] { new ApplyChangesOperation(solution) };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception)
            {
                // Never break the IDE: an action that fails changes nothing.
                return Array.Empty<CodeActionOperation>();
            }
        }

        /// <summary>A preview that is only words: what will be sent where, and what is checked.</summary>
        private sealed class DescriptionPreviewOperation : PreviewOperation
        {
            private readonly string _text;

            public DescriptionPreviewOperation(string text)
            {
                _text = text;
            }

            public override string Title => _text;

            public override Task<object?> GetPreviewAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(_text);
        }
    }
}
