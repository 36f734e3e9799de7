using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Grounding;
using BackendAnalyzers.AI.Transport;
using BackendAnalyzers.AI.Verification;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>An answer put into a fork of the solution, or why it could not be.</summary>
    internal sealed class Candidate
    {
        private Candidate(Solution? fork, string? problem)
        {
            Fork = fork;
            Problem = problem;
        }

        public Solution? Fork { get; }

        public string? Problem { get; }

        public static Candidate Of(Solution fork) => new Candidate(fork, null);

        public static Candidate Rejected(string problem) => new Candidate(null, problem);
    }

    /// <summary>Everything one invocation of an AI action needs; built when the user applies the action, never before.</summary>
    internal abstract class AiActionPlan
    {
        protected AiActionPlan(AiActionKind kind, string title, AiClient client, Solution original, ProjectId verifiedProject)
        {
            Kind = kind;
            Title = title;
            Client = client;
            Original = original;
            VerifiedProject = verifiedProject;
            Redactor = new SecretRedactor(new[] { client.Settings.ApiKey });
        }

        public AiActionKind Kind { get; }

        public string Title { get; }

        public AiClient Client { get; }

        public Solution Original { get; }

        /// <summary>The project whose errors and BA diagnostics are compared before and after.</summary>
        public ProjectId VerifiedProject { get; }

        public SecretRedactor Redactor { get; }

        public abstract Task<List<AiChatMessage>> BuildMessagesAsync(CancellationToken cancellationToken);

        /// <summary>The answer's code put into a fork of <see cref="Original"/>.</summary>
        public abstract Task<Candidate> ApplyAsync(string code, CancellationToken cancellationToken);

        /// <summary>The original solution with one comment at the target saying why nothing was applied.</summary>
        public abstract Task<Solution> LeaveCommentAsync(string reason, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Request, verify, retry once with the errors, and apply only what adds no compiler error and no BA diagnostic;
    /// otherwise leave the code as it was with one comment saying why.
    /// </summary>
    internal static class AiActionRunner
    {
        private const int MaxProblems = 10;

        public static async Task<Solution> RunAsync(AiActionPlan plan, CancellationToken cancellationToken)
        {
            var verifiedProject = plan.Original.GetProject(plan.VerifiedProject);
            if (verifiedProject is null)
            {
                return plan.Original;
            }

            // The "before" picture is taken while the service thinks.
            var before = DiagnosticSnapshot.TakeAsync(verifiedProject, cancellationToken);
            var messages = await plan.BuildMessagesAsync(cancellationToken).ConfigureAwait(false);
            if (messages.Count == 0)
            {
                // The target no longer binds (the code changed under the action): nothing to ask.
                return plan.Original;
            }

            var first = await plan.Client.CompleteAsync(messages, cancellationToken).ConfigureAwait(false);
            if (!first.Succeeded)
            {
                return await plan.LeaveCommentAsync("the AI request failed: " + first.Failure, cancellationToken).ConfigureAwait(false);
            }

            var (firstFork, firstProblems) = await VerifyAsync(plan, first.Content!, before, cancellationToken).ConfigureAwait(false);
            if (firstFork is not null)
            {
                return firstFork;
            }

            var retry = new List<AiChatMessage>(messages)
            {
                new AiChatMessage(ChatRole.Assistant, first.Content!),
                new AiChatMessage(ChatRole.User, plan.Redactor.Redact(PromptComposer.RetryPrompt(plan.Kind, firstProblems))),
            };
            var second = await plan.Client.CompleteAsync(retry, cancellationToken).ConfigureAwait(false);
            if (!second.Succeeded)
            {
                return await plan.LeaveCommentAsync(
                    Join(firstProblems) + " (and the second AI request failed: " + second.Failure + ")", cancellationToken).ConfigureAwait(false);
            }

            var (secondFork, secondProblems) = await VerifyAsync(plan, second.Content!, before, cancellationToken).ConfigureAwait(false);
            if (secondFork is not null)
            {
                return secondFork;
            }

            return await plan.LeaveCommentAsync(Join(secondProblems), cancellationToken).ConfigureAwait(false);
        }

        private static async Task<(Solution? Fork, IReadOnlyList<string> Problems)> VerifyAsync(
            AiActionPlan plan, string answer, Task<DiagnosticSnapshot> before, CancellationToken cancellationToken)
        {
            var code = AnswerParser.ExtractCode(answer);
            if (code.IndexOf(SecretRedactor.Marker, StringComparison.Ordinal) >= 0)
            {
                return (null, new[] { "it writes the placeholder " + SecretRedactor.Marker + " (a secret left out of the prompt); read such values from configuration" });
            }

            var candidate = await plan.ApplyAsync(code, cancellationToken).ConfigureAwait(false);
            if (candidate.Fork is null)
            {
                return (null, new[] { candidate.Problem ?? "the answer could not be used" });
            }

            var project = candidate.Fork.GetProject(plan.VerifiedProject);
            if (project is null)
            {
                return (null, new[] { "the project to verify is gone" });
            }

            var after = await DiagnosticSnapshot.TakeAsync(project, cancellationToken).ConfigureAwait(false);
            var added = (await before.ConfigureAwait(false)).NewIn(after);
            if (added.Count == 0)
            {
                return (candidate.Fork, Array.Empty<string>());
            }

            return (null, added.Take(MaxProblems).Select(Describe).ToList());
        }

        internal static string Describe(Diagnostic diagnostic)
        {
            var text = diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            if (diagnostic.Location.IsInSource && diagnostic.Location.SourceTree is { } tree)
            {
                var line = tree.GetText().Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start);
                text += " (at `" + line.ToString().Trim() + "`)";
            }

            return text;
        }

        private static string Join(IReadOnlyList<string> problems) => string.Join("; ", problems);
    }
}
