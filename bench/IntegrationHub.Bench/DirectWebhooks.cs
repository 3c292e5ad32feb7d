using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StandardWebhooks;

namespace IntegrationHub.Bench;

/// <summary>
/// P7's baseline: the webhooks the hub delivers (the same message ids and bodies, the same Standard Webhooks headers,
/// signed with the endpoint's secret by the StandardWebhooks package at send time), POSTed by a plain HttpClient
/// configured as the hub's webhook client, with the hub's worker concurrency. Runs as its own process on the server
/// core (<c>IntegrationHub.Bench direct-webhooks ...</c>), where the hub runs; trusts the receiver's certificate
/// through <c>SSL_CERT_FILE</c>, as the hub does.
/// </summary>
internal static class DirectWebhooks
{
    public const string Command = "direct-webhooks";

    /// <summary>The endpoint's secret comes through the environment, not the command line.</summary>
    public const string SecretVariable = "BENCH_WEBHOOK_SECRET";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Skip(1).Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var url = new Uri(options["url"]);
        var secret = Environment.GetEnvironmentVariable(SecretVariable) ?? throw new InvalidOperationException(SecretVariable + " is not set.");
        var concurrency = int.Parse(options["concurrency"], CultureInfo.InvariantCulture);
        var warmup = int.Parse(options.GetValueOrDefault("warmup", "50"), CultureInfo.InvariantCulture);
        var payloads = (await File.ReadAllLinesAsync(options["payloads"]))
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t', 2))
            .Select(p => (Id: p[0], Body: p[1]))
            .ToList();

        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

        // Warm-up (connections, TLS, JIT) under message ids of its own, so the timed pass is what the receiver counts.
        await SendAllAsync(http, url, secret, payloads.Take(warmup).Select(p => (p.Id + "_warmup", p.Body)).ToList(), concurrency);

        var clock = Stopwatch.StartNew();
        var (ok, failed) = await SendAllAsync(http, url, secret, payloads, concurrency);
        clock.Stop();
        Console.WriteLine("DIRECTJSON " + JsonSerializer.Serialize(new { elapsedMs = clock.Elapsed.TotalMilliseconds, ok, failed }));
        return failed == 0 ? 0 : 1;
    }

    private static async Task<(int Ok, int Failed)> SendAllAsync(HttpClient http, Uri url, string secret, List<(string Id, string Body)> payloads, int concurrency)
    {
        var next = -1;
        var ok = 0;
        var failed = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < payloads.Count)
            {
                var (id, body) = payloads[i];
                var now = DateTimeOffset.UtcNow;
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("webhook-id", id);
                request.Headers.TryAddWithoutValidation("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("webhook-signature", new StandardWebhook(secret).Sign(id, now, body));
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(workers);
        return (ok, failed);
    }
}
