using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.OutboundWebhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks;

/// <summary>
/// Writes a <see cref="WebhookMessage"/> and its deliveries into the caller's unit of work (fan-out at write time:
/// an endpoint added later does not receive older messages unless they are replayed to it).
/// </summary>
internal sealed class WebhookOutbox(IApplicationDbContext db, TimeProvider time) : IWebhookOutbox
{
    /// <summary>As the HTTP API writes JSON: camelCase, enums as strings.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private List<WebhookEndpoint>? _endpoints;

    public async Task AddAsync(string type, object data, long resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now = time.GetUtcNow();
        var message = WebhookMessage.Create(type, Body(type, data, resourceVersion, now), now);
        db.WebhookMessages.Add(message);

        // Read once per unit of work: a sync that reports many installations asks for the endpoints once.
        _endpoints ??= await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken);
        foreach (var endpoint in _endpoints.Where(e => e.Subscribes(type)))
        {
            db.WebhookDeliveries.Add(WebhookDelivery.Create(message, endpoint, now));
        }
    }

    /// <summary>
    /// Delivers <paramref name="message"/> to <paramref name="endpoint"/> again (a replay): its earlier delivery, if
    /// any, starts the retry schedule over; otherwise a first delivery is added. Saved by the caller.
    /// </summary>
    public static void DeliverAgain(
        IApplicationDbContext db, WebhookMessage message, WebhookEndpoint endpoint, WebhookDelivery? earlier, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (earlier is not null)
        {
            earlier.Replay(now);
        }
        else
        {
            db.WebhookDeliveries.Add(WebhookDelivery.Create(message, endpoint, now));
        }
    }

    /// <summary>Version in microseconds since the Unix epoch of the change: it grows, and stays exact in JavaScript numbers.</summary>
    public static long VersionOf(DateTimeOffset changedAt) => (changedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    internal static string Body(string type, object data, long version, DateTimeOffset now)
    {
        var node = JsonSerializer.SerializeToNode(data, data.GetType(), Json) as JsonObject
            ?? throw new ArgumentException("Webhook data must serialize to a JSON object.", nameof(data));
        node["version"] = version;
        var body = new JsonObject
        {
            ["type"] = type,
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = node,
        };
        return body.ToJsonString();
    }
}
