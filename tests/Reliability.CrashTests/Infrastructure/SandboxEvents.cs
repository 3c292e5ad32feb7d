using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>What the sandbox received through Alloy's <c>POST /run/event</c> (E2), as <c>GET /_sandbox/events</c> lists it.</summary>
public static class SandboxEvents
{
    /// <summary>The sandbox holds and lists at most this many received events.</summary>
    public const int MaxListed = 100_000;

    /// <summary>
    /// Every custom event the sandbox received in Development that carries <paramref name="runId"/> in its
    /// <c>data.runId</c>, with its <c>data.clientSeq</c>: one entry per arrival, repeats included.
    /// </summary>
    public static async Task<IReadOnlyList<SandboxArrival>> ReceivedAsync(this SandboxClient sandbox, string runId, CancellationToken cancellationToken)
    {
        using var response = await sandbox.Http.GetAsync(
            $"_sandbox/events?environment=Development&limit={MaxListed.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Sandbox GET /_sandbox/events answered {(int)response.StatusCode}: {text}");
        }

        var body = JsonDocument.Parse(text).RootElement;
        var matched = body.GetProperty("matched").GetInt32();
        var count = body.GetProperty("count").GetInt32();
        if (matched != count)
        {
            throw new InvalidOperationException($"The sandbox listed {count} of {matched} received events: some would be missed.");
        }

        return body.GetProperty("data").EnumerateArray()
            .Select(SandboxArrival.From)
            .Where(a => string.Equals(a.RunId, runId, StringComparison.Ordinal))
            .ToList();
    }
}

/// <summary>One arrival at Alloy: to which user, which event, the client's sequence number in its data, and when.</summary>
public sealed record SandboxArrival(string Id, string UserId, string Event, string? RunId, int? ClientSeq, DateTimeOffset ReceivedAt)
{
    public static SandboxArrival From(JsonElement e)
    {
        var data = e.GetProperty("data");
        var runId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("runId", out var run) && run.ValueKind == JsonValueKind.String ? run.GetString() : null;
        int? clientSeq = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("clientSeq", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt32() : null;
        return new SandboxArrival(
            e.GetProperty("id").GetString()!,
            e.GetProperty("userId").GetString()!,
            e.GetProperty("event").GetString()!,
            runId,
            clientSeq,
            DateTimeOffset.Parse(e.GetProperty("receivedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }
}
