using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A real HTTP receiver of webhooks on 127.0.0.1 (the hub's to a SaaS backend, or Alloy's to the hub): Kestrel on a
/// free port, recording every request and answering from a script per path (then 200); a path can be held to play an
/// endpoint that hangs.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _waiting = new(StringComparer.Ordinal);
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Map("/{**path}", receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public int Port => new Uri(BaseUrl).Port;

    public string Url(string path) => BaseUrl + path;

    /// <summary>The next requests to <paramref name="path"/> get these answers, in order; then 200.</summary>
    public void Script(string path, params ScriptedAnswer[] answers)
    {
        var queue = _scripts.GetOrAdd(path, _ => new ConcurrentQueue<ScriptedAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public IReadOnlyList<ReceivedWebhook> Received(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>The requests whose body mentions <paramref name="text"/> (e.g. a tenant id), on any path, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> About(string text) => _received.Where(r => r.Body.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>The next <paramref name="count"/> requests, on any path, are answered 500 (before any script).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Requests to <paramref name="path"/> wait unanswered (an endpoint that hangs) until <see cref="Release"/>.</summary>
    public void Hold(string path) => _holds[path] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers the requests held on <paramref name="path"/> and stops holding.</summary>
    public void Release(string path)
    {
        if (_holds.TryRemove(path, out var hold))
        {
            hold.TrySetResult();
        }
    }

    /// <summary>How many requests to <paramref name="path"/> are held unanswered now.</summary>
    public int Held(string path) => _waiting.GetValueOrDefault(path);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in context.Request.Headers)
        {
            headers[name] = value;
        }

        var path = context.Request.Path.Value ?? "/";
        if (_holds.TryGetValue(path, out var hold))
        {
            _waiting.AddOrUpdate(path, 1, (_, n) => n + 1);
            try
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
            finally
            {
                _waiting.AddOrUpdate(path, 0, (_, n) => n - 1);
            }
        }

        var answer = Interlocked.Decrement(ref _failuresLeft) >= 0
            ? new ScriptedAnswer(StatusCodes.Status500InternalServerError, Body: "receiver down")
            : _scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : new ScriptedAnswer(200);
        _received.Enqueue(new ReceivedWebhook(path, context.Request.Method, headers, body, answer.Status));
        context.Response.StatusCode = answer.Status;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        await context.Response.WriteAsync(answer.Body ?? "ok", context.RequestAborted);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ScriptedAnswer(int Status, string? Location = null, string? RetryAfter = null, string? Body = null);

public sealed record ReceivedWebhook(string Path, string Method, IHeaderDictionary Headers, string Body, int AnsweredStatus)
{
    /// <summary>The <c>webhook-id</c> header: the message id, the same on every retry and replay.</summary>
    public string Id => Headers["webhook-id"].ToString();

    /// <summary>The <c>webhook-timestamp</c> header (Unix seconds).</summary>
    public string Timestamp => Headers["webhook-timestamp"].ToString();

    /// <summary>The <c>webhook-signature</c> header: one or more space-separated <c>v1,…</c> signatures.</summary>
    public string Signature => Headers["webhook-signature"].ToString();

    /// <summary>The Standard Webhooks signature of this request with <paramref name="secret"/> (<c>whsec_</c> + base64 key).</summary>
    public string SignatureWith(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}
