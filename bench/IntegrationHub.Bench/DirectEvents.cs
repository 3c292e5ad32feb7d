using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Bench;

/// <summary>
/// P10's baseline: the Alloy calls the hub's event delivery makes (<c>POST /run/event</c> with the same headers and the
/// same bodies: event name, the tenant's Alloy userId, the stored data), sent straight to the sandbox by a plain
/// HttpClient with the hub's concurrency (tenants × <c>Events:MaxInFlightPerTenant</c>). Runs as its own process on
/// the server core (<c>IntegrationHub.Bench direct-events ...</c>), where the hub runs.
/// </summary>
internal static class DirectEvents
{
    public const string Command = "direct-events";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Skip(1).Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var baseUrl = new Uri(options["sandbox"].TrimEnd('/') + "/");
        var concurrency = int.Parse(options["concurrency"], CultureInfo.InvariantCulture);
        var warmup = int.Parse(options.GetValueOrDefault("warmup", "100"), CultureInfo.InvariantCulture);
        var bodies = (await File.ReadAllLinesAsync(options["payloads"])).Where(l => l.Length > 0).ToList();

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", options["key"]);
        http.DefaultRequestHeaders.Add("x-api-version", options.GetValueOrDefault("api-version", "2025-09"));

        // Warm-up (connections, JIT), as the hub is warmed up by rounds of its own.
        await SendAllAsync(http, bodies.Take(warmup).ToList(), concurrency);

        var clock = Stopwatch.StartNew();
        var (ok, failed) = await SendAllAsync(http, bodies, concurrency);
        clock.Stop();
        Console.WriteLine("DIRECTJSON " + JsonSerializer.Serialize(new { elapsedMs = clock.Elapsed.TotalMilliseconds, ok, failed, warmup = Math.Min(warmup, bodies.Count) }));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The body of one <c>POST /run/event</c>, as the hub sends it.</summary>
    public static string Body(string eventName, string userId, string compactData) =>
        $$"""{"event":{{JsonSerializer.Serialize(eventName)}},"userId":{{JsonSerializer.Serialize(userId)}},"data":{{compactData}}}""";

    private static async Task<(int Ok, int Failed)> SendAllAsync(HttpClient http, List<string> bodies, int concurrency)
    {
        var next = -1;
        var ok = 0;
        var failed = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < bodies.Count)
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("run/event", content);
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
            }
        });
        await Task.WhenAll(workers);
        return (ok, failed);
    }
}
