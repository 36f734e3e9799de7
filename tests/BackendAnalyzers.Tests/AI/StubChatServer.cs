using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BackendAnalyzers.Tests.AI;

/// <summary>One request the stub received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonDocument Json => JsonDocument.Parse(Body);

    /// <summary>The concatenated content of the request's messages.</summary>
    public string Messages()
    {
        using var json = Json;
        return string.Join("\n---\n", json.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString() + ": " + m.GetProperty("content").GetString()));
    }
}

/// <summary>What the stub answers to one request.</summary>
public sealed record StubReply(int Status, string Body, TimeSpan Delay)
{
    /// <summary>A chat completion whose assistant message is <paramref name="content"/>.</summary>
    public static StubReply Answer(string content) => new(200, CompletionJson(content), TimeSpan.Zero);

    public static StubReply Error(int status) =>
        new(status, JsonSerializer.Serialize(new { error = new { message = "stub error " + status, type = "stub", code = status.ToString() } }), TimeSpan.Zero);

    public static StubReply Slow(TimeSpan delay, string content) => new(200, CompletionJson(content), delay);

    public static string CompletionJson(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-stub",
        @object = "chat.completion",
        created = 1700000000,
        model = "stub-model",
        system_fingerprint = "fp_stub",
        choices = new[]
        {
            new { index = 0, message = new { role = "assistant", content, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" },
        },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    });
}

/// <summary>
/// A chat-completions server on 127.0.0.1 (a free port) for the AI tests. It answers both the Azure OpenAI path
/// (<c>/openai/deployments/{deployment}/chat/completions</c>) and the OpenAI path (<c>/v1/chat/completions</c>) with
/// scripted replies, in order, and records every request. Nothing leaves the machine.
/// </summary>
public sealed class StubChatServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<StubReply> _replies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public StubChatServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The base address for the Azure provider (backend_analyzers.ai.endpoint).</summary>
    public string AzureEndpoint => $"http://127.0.0.1:{Port}/";

    /// <summary>The base address for the OpenAI provider, as OPENAI_BASE_URL would give it.</summary>
    public string OpenAIEndpoint => $"http://127.0.0.1:{Port}/v1";

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public void Enqueue(params StubReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }

            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url?.AbsolutePath ?? string.Empty;
            _requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, path, context.Request.Url?.Query ?? string.Empty, headers, body));

            StubReply reply;
            if (!IsChatPath(path))
            {
                reply = StubReply.Error(404);
            }
            else if (!_replies.TryDequeue(out reply!))
            {
                reply = StubReply.Error(500);
            }

            if (reply.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(reply.Delay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client went away (a timeout test): nothing to answer.
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    private static bool IsChatPath(string path) =>
        path == "/v1/chat/completions"
        || (path.StartsWith("/openai/deployments/", StringComparison.Ordinal) && path.EndsWith("/chat/completions", StringComparison.Ordinal));

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
