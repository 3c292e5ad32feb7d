using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Bench;

/// <summary>One request that wrk replays; "{n}" in the body becomes a unique value per request.</summary>
internal sealed record WrkRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body = "");

/// <summary>What one wrk run measured; latencies in microseconds.</summary>
internal sealed record WrkResult(
    long Requests, long DurationUs, long ConnectErrors, long ReadErrors, long WriteErrors, long StatusErrors, long Timeouts,
    double P50, double P90, double P95, double P99, double Max, double Mean)
{
    public double Throughput => Requests / (DurationUs / 1_000_000.0);

    public long Errors => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts;
}

/// <summary>Runs wrk (Debian's package) on the load core with the replay script.</summary>
internal sealed class Wrk(string scriptPath, string workFolder, int cpu)
{
    private int _runs;

    public async Task<WrkResult> RunAsync(Uri baseUrl, IReadOnlyList<WrkRequest> requests, TimeSpan duration, int connections, string prefix)
    {
        var run = Interlocked.Increment(ref _runs);
        var file = Path.Combine(workFolder, $"wrk-requests-{run}.tsv");
        var lines = new StringBuilder();
        foreach (var r in requests)
        {
            var headers = string.Join('|', r.Headers.Select(h => $"{h.Key}: {h.Value}"));
            lines.Append(r.Method).Append('\t').Append(r.Path).Append('\t').Append(headers).Append('\t').Append(r.Body).Append('\n');
        }

        await File.WriteAllTextAsync(file, lines.ToString());
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var (exit, output, error) = await ManagedProcess.RunAsync(
            cpu,
            "wrk",
            ["-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "-s", scriptPath, baseUrl.ToString().TrimEnd('/')],
            new Dictionary<string, string> { ["BENCH_REQUESTS"] = file, ["BENCH_PREFIX"] = $"{prefix}-w{run}" });
        var json = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal));
        if (exit != 0 || json is null)
        {
            throw new InvalidOperationException($"wrk failed (exit {exit}): {error}\n{output}");
        }

        using var doc = JsonDocument.Parse(json["WRKJSON ".Length..]);
        var root = doc.RootElement;
        long L(string name) => root.GetProperty(name).GetInt64();
        double D(string name) => root.GetProperty(name).GetDouble();
        return new WrkResult(
            L("requests"), L("durationUs"), L("connectErrors"), L("readErrors"), L("writeErrors"), L("statusErrors"), L("timeouts"),
            D("p50"), D("p90"), D("p95"), D("p99"), D("max"), D("mean"));
    }

    public static string Describe(WrkResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"{r.Throughput,9:N0} req/s  p50 {r.P50 / 1000,6:N2} ms  p95 {r.P95 / 1000,6:N2} ms  p99 {r.P99 / 1000,6:N2} ms  errors {r.Errors}");
}
