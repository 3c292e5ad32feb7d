using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace IntegrationHub.Bench;

/// <summary>What one CSV export of every installation cost the hub.</summary>
/// <param name="Duration">From sending the request to reading the last byte.</param>
/// <param name="RssBeforeBytes">The hub's resident set size (VmRSS) just before the request.</param>
/// <param name="PeakRssGrowthBytes">The highest VmRSS sampled during the export (every 50 ms) minus <paramref name="RssBeforeBytes"/>.</param>
/// <param name="Rows">Data rows received (lines after the header).</param>
public sealed record CsvExportMeasurement(TimeSpan Duration, long RssBeforeBytes, long PeakRssGrowthBytes, long Rows);

/// <summary>
/// The scale check of the admin CSV export: <c>GET /api/admin/installations</c> with <c>Accept: text/csv</c> over
/// every row must stream (the hub's memory must not grow with the row count).
/// </summary>
public static class CsvExportScale
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Exports every installation from the hub at <paramref name="baseUrl"/> (admin key <paramref name="adminKey"/>),
    /// reading the body as it arrives, while VmRSS of process <paramref name="hubPid"/> is sampled every 50 ms from
    /// <c>/proc</c> (a peak reset of VmHWM is not available to an unprivileged reader, so the peak is sampled).
    /// </summary>
    public static async Task<CsvExportMeasurement> MeasureAsync(Uri baseUrl, string adminKey, int hubPid, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/installations");
        request.Headers.TryAddWithoutValidation("X-Api-Key", adminKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var before = ResidentBytes(hubPid);
        var peak = before;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(SampleEvery);
                try
                {
                    while (await timer.WaitForNextTickAsync(sampling.Token))
                    {
                        var now = ResidentBytes(hubPid);
                        if (now > Volatile.Read(ref peak))
                        {
                            Volatile.Write(ref peak, now);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The export ended.
                }
            },
            CancellationToken.None);

        var clock = Stopwatch.StartNew();
        long lines = 0;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        finally
        {
            clock.Stop();
            await sampling.CancelAsync();
            await sampler;
        }

        var last = ResidentBytes(hubPid);
        var highest = Math.Max(Volatile.Read(ref peak), last);
        return new CsvExportMeasurement(clock.Elapsed, before, highest - before, Math.Max(0, lines - 1));
    }

    /// <summary>VmRSS of <paramref name="pid"/> in bytes, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line: is {pid} a running process?");
    }
}
