using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The SaaS backend's side of the hub's webhooks: Kestrel on 127.0.0.1, recording every request and answering 500 to
/// the first <see cref="FailNext"/> requests, then 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
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

    public string Url(string path) => BaseUrl + path;

    /// <summary>The next <paramref name="count"/> requests are answered 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>The requests whose body mentions <paramref name="text"/> (e.g. a tenant id), in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> About(string text) =>
        _received.Where(r => r.Body.Contains(text, StringComparison.Ordinal)).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        _received.Enqueue(new ReceivedWebhook(
            context.Request.Headers["webhook-id"].ToString(),
            context.Request.Headers["webhook-timestamp"].ToString(),
            context.Request.Headers["webhook-signature"].ToString(),
            body,
            status));
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(status == StatusCodes.Status200OK ? "ok" : "receiver down", context.RequestAborted);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <param name="Id">The <c>webhook-id</c> header: the message id, the same on every retry and replay.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> header (Unix seconds).</param>
/// <param name="Signature">The <c>webhook-signature</c> header: one or more space-separated <c>v1,…</c> signatures.</param>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, int AnsweredStatus)
{
    /// <summary>The Standard Webhooks signature of this request with <paramref name="secret"/> (<c>whsec_</c> + base64 key).</summary>
    public string SignatureWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
