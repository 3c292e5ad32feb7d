using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// Plays the SaaS backend's webhook endpoint: Kestrel on 127.0.0.1 inside the test process, so it outlives every kill
/// of the hub. It verifies each delivery's signature with the StandardWebhooks library as a real receiver would
/// (answering 200 when it verifies, 401 when not) and records every arrival, repeats included.
/// </summary>
public sealed class VerifyingWebhookReceiver : IAsyncDisposable
{
    public const string Path = "/hooks/integration-hub";

    private readonly WebApplication _app;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<WebhookArrival> _arrivals = new();
    private volatile StandardWebhook? _verifier;

    private VerifyingWebhookReceiver(WebApplication app, Stopwatch clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The URL to register with the hub.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<WebhookArrival> Arrivals => [.. _arrivals];

    /// <summary>Distinct tenants with a verified delivery so far.</summary>
    public int TenantsReceived => _arrivals.Where(a => a.Verified).Select(a => a.TenantId).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Requests that arrived after <paramref name="since"/> on the test's timeline.</summary>
    public int ArrivalsSince(TimeSpan since) => _arrivals.Count(a => a.At > since);

    /// <summary>Starts on a free loopback port; <paramref name="clock"/> stamps each arrival (the test's own timeline).</summary>
    public static async Task<VerifyingWebhookReceiver> StartAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new VerifyingWebhookReceiver(app, clock);
        app.MapPost(Path, receiver.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + Path;
        return receiver;
    }

    /// <summary>The endpoint's signing secret, as the hub answered it at registration.</summary>
    public void UseSecret(string secret) => _verifier = new StandardWebhook(secret);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var verified = Verify(body, context.Request.Headers);
        string? type = null, tenantId = null, state = null;
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            type = json.GetProperty("type").GetString();
            var data = json.GetProperty("data");
            tenantId = data.TryGetProperty("tenantId", out var id) ? id.GetString() : null;
            state = data.TryGetProperty("alloy", out var alloy) && alloy.ValueKind == JsonValueKind.Object ? alloy.GetProperty("state").GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            verified = false; // a body that is not the documented shape counts as a failure, whatever its signature
        }

        _arrivals.Enqueue(new WebhookArrival(context.Request.Headers["webhook-id"].ToString(), type, tenantId, state, verified, _clock.Elapsed));
        context.Response.StatusCode = verified ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
    }

    private bool Verify(string body, IHeaderDictionary headers)
    {
        if (_verifier is not { } verifier)
        {
            return false;
        }

        try
        {
            verifier.Verify(body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request as the receiver saw it: the message id, what the body says, and whether its signature verified.</summary>
public sealed record WebhookArrival(string MessageId, string? Type, string? TenantId, string? AlloyState, bool Verified, TimeSpan At);
