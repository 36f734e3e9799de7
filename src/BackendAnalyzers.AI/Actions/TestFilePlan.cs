using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendAnalyzers.AI.Grounding;
using BackendAnalyzers.AI.Transport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackendAnalyzers.AI.Actions
{
    /// <summary>Write tests with AI: one new file in the test project, verified by compiling that project.</summary>
    internal sealed class TestFilePlan : AiActionPlan
    {
        private readonly Document _document;
        private readonly SyntaxNode _target;
        private readonly TestProjectInfo _tests;
        private readonly string _fileName;
        private readonly IReadOnlyList<string> _folders;

        public TestFilePlan(string title, AiClient client, Document document, SyntaxNode target, TestProjectInfo tests, string targetName)
            : base(AiActionKind.WriteTests, title, client, document.Project.Solution, tests.Project.Id)
        {
            _document = document;
            _target = target;
            _tests = tests;
            _folders = document.Folders.ToList();
            _fileName = FreeFileName(tests.Project, _folders, targetName + "Tests");
        }

        /// <summary>The new file's path inside the test project, folders mirroring the target's.</summary>
        public string RelativePath => _folders.Count == 0 ? _fileName : string.Join("/", _folders) + "/" + _fileName;

        public override async Task<List<AiChatMessage>> BuildMessagesAsync(CancellationToken cancellationToken)
        {
            var model = await _document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var symbol = model?.GetDeclaredSymbol(_target, cancellationToken);
            if (model is null || symbol is null)
            {
                return new List<AiChatMessage>();
            }

            var target = new GroundingTarget(_document, model, _target, symbol);
            var sections = await ContextBuilder.BuildAsync(target, null, _tests, RelativePath, Redactor, cancellationToken).ConfigureAwait(false);
            return PromptComposer.Compose(Kind, sections, Client.Settings.MaxPromptTokens, out _);
        }

        public override Task<Candidate> ApplyAsync(string code, CancellationToken cancellationToken)
        {
            var unit = AnswerParser.ParseFileAnswer(code, out var error);
            if (unit is null)
            {
                return Task.FromResult(Candidate.Rejected(error ?? "the answer is not a C# file"));
            }

            var project = Original.GetProject(_tests.Project.Id)!;
            string? path = null;
            if (project.FilePath is { } projectPath && Path.GetDirectoryName(projectPath) is { } directory)
            {
                path = Path.Combine(new[] { directory }.Concat(_folders).Concat(new[] { _fileName }).ToArray());
            }

            var text = code.TrimEnd() + "\n";
            var document = project.AddDocument(_fileName, SourceText.From(text, System.Text.Encoding.UTF8), _folders, path);
            return Task.FromResult(Candidate.Of(document.Project.Solution));
        }

        public override async Task<Solution> LeaveCommentAsync(string reason, CancellationToken cancellationToken)
        {
            var root = await _document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return Original;
            }

            var commented = FailureComment.Add(_target, Title, reason, Redactor, FailureComment.NewLineOf(root));
            return _document.WithSyntaxRoot(root.ReplaceNode(_target, commented)).Project.Solution;
        }

        private static string FreeFileName(Project project, IReadOnlyList<string> folders, string stem)
        {
            var taken = new HashSet<string>(
                project.Documents.Select(d => string.Join("/", d.Folders) + "/" + d.Name),
                System.StringComparer.OrdinalIgnoreCase);
            var prefix = string.Join("/", folders) + "/";
            var name = stem + ".cs";
            for (var n = 2; taken.Contains(prefix + name) || project.Documents.Any(d => string.Equals(d.Name, name, System.StringComparison.OrdinalIgnoreCase)); n++)
            {
                name = stem + n + ".cs";
            }

            return name;
        }
    }
}
