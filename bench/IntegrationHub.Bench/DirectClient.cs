using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Bench;

/// <summary>
/// P3's baseline: the Alloy calls provisioning makes (one <c>POST /users</c> per tenant, the hub's headers and body),
/// sent straight to the sandbox by a plain HttpClient with the hub's worker concurrency. Runs as its own process
/// on the server core (<c>IntegrationHub.Bench direct-provision ...</c>), where the hub runs.
/// </summary>
internal static class DirectClient
{
    public const string Command = "direct-provision";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Skip(1).Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var baseUrl = new Uri(options["sandbox"].TrimEnd('/') + "/");
        var count = int.Parse(options["count"], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options["concurrency"], CultureInfo.InvariantCulture);
        var prefix = options["prefix"];

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", options["key"]);
        http.DefaultRequestHeaders.Add("x-api-version", options.GetValueOrDefault("api-version", "2025-09"));

        // Warm-up (connections, JIT), as the hub's round warms up with its own tenants.
        var warmup = int.Parse(options.GetValueOrDefault("warmup", "20"), CultureInfo.InvariantCulture);
        await SendAllAsync(http, $"{prefix}-warmup", warmup, concurrency);

        var clock = Stopwatch.StartNew();
        var (ok, failed) = await SendAllAsync(http, prefix, count, concurrency);
        clock.Stop();
        Console.WriteLine("DIRECTJSON " + JsonSerializer.Serialize(new { elapsedMs = clock.Elapsed.TotalMilliseconds, ok, failed }));
        return failed == 0 ? 0 : 1;
    }

    private static async Task<(int Ok, int Failed)> SendAllAsync(HttpClient http, string prefix, int count, int concurrency)
    {
        var next = -1;
        var ok = 0;
        var failed = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var username = $"{prefix}-{i}";
                using var response = await http.PostAsJsonAsync("users", new { username, fullName = "Bench tenant " + username });
                if (response.IsSuccessStatusCode)
                {
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(workers);
        return (ok, failed);
    }
}
