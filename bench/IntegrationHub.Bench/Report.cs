using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace IntegrationHub.Bench;

/// <summary>One performance goal (P1–P7 of the README's Performance section), with what this run measured.</summary>
internal sealed record GoalResult(string Id, string What, string Goal, string Measured, bool Met);

/// <summary>A wrk run together with how busy the hub's core was during it.</summary>
internal sealed record Sample(WrkResult Wrk, double HubCpuPercent);

/// <summary>Collects goals, per-benchmark sections and failures; prints the table and writes the results file.</summary>
internal sealed class Report
{
    private readonly List<GoalResult> _goals = [];
    private readonly List<string> _sections = [];
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    public void Goal(GoalResult goal) => _goals.Add(goal);

    public void Section(string markdown) => _sections.Add(markdown);

    public void Fail(string what) => _failures.Add(what);

    public static string F(double value, string format = "N2") => value.ToString(format, CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The A/B rounds of a wrk comparison as a markdown table.</summary>
    public static string RoundsTable(string a, string b, IReadOnlyList<Sample> hub, IReadOnlyList<Sample> bare)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| round | {a} req/s | {b} req/s | ratio | {a} p95 ms | {b} p95 ms | {a} p99 ms | {b} p99 ms | hub core busy ({a} / {b}) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < hub.Count; i++)
        {
            var (h, r) = (hub[i].Wrk, bare[i].Wrk);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1} | {F(h.Throughput, "N0")} | {F(r.Throughput, "N0")} | {F(h.Throughput / r.Throughput)} | {F(h.P95 / 1000)} | {F(r.P95 / 1000)} | {F(h.P99 / 1000)} | {F(r.P99 / 1000)} | {F(hub[i].HubCpuPercent, "N0")} % / {F(bare[i].HubCpuPercent, "N0")} % |");
        }

        return text.ToString();
    }

    public string Write(string path, string mode, string command, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmark results");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Written by `{command}` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC ({mode} mode, {F(elapsed.TotalMinutes, "N1")} min), commit {Git("rev-parse --short HEAD")}{(Git("status --porcelain --untracked-files=no") is { Length: > 0 } changes && changes != "unknown" ? " with uncommitted changes" : string.Empty)}.");
        text.AppendLine("Every figure is a ratio against a baseline measured in the same run, in alternating rounds: this machine is shared and noisy, so absolute numbers mean little from one run to the next.");
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        foreach (var line in Machine())
        {
            text.AppendLine("- " + line);
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        text.AppendLine();
        text.AppendLine("| id | what | goal | measured | |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var g in _goals)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {g.Id} | {g.What} | {g.Goal} | {g.Measured} | {(g.Met ? "met" : "**missed**")} |");
        }

        if (_failures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Failures");
            text.AppendLine();
            foreach (var failure in _failures)
            {
                text.AppendLine("- " + failure);
            }
        }

        foreach (var section in _sections)
        {
            text.AppendLine();
            text.Append(section.TrimEnd()).AppendLine();
        }

        // The hand-written analysis of what limits each figure (from profiles), kept beside the driver.
        var analysis = Path.Combine(Path.GetDirectoryName(path)!, "..", "analysis.md");
        if (File.Exists(analysis))
        {
            text.AppendLine();
            text.Append(File.ReadAllText(analysis).TrimEnd()).AppendLine();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        return text.ToString();
    }

    public void PrintTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"id",-3} {"goal",-34} {"measured",-58} result");
        foreach (var g in _goals)
        {
            output.WriteLine($"{g.Id,-3} {g.Goal,-34} {g.Measured,-58} {(g.Met ? "met" : "MISSED")}");
        }

        foreach (var failure in _failures)
        {
            output.WriteLine("FAILED: " + failure);
        }
    }

    private static IEnumerable<string> Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gib = memory is null ? "unknown" : F(long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, "N1") + " GiB";
        // Not Environment.ProcessorCount: the driver itself is pinned to one core.
        var cores = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        yield return $"CPU: {cpu}, {cores} cores";
        yield return $"Memory: {gib}";
        yield return $"OS: {RuntimeInformation.OSDescription.Trim()} ({RuntimeInformation.OSArchitecture})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}; hub and sandbox Release builds, server GC as ASP.NET Core defaults";
        yield return $"Load generator: {WrkVersion()} (Debian package), one thread";
        yield return "Placement (taskset): the hub, P3's direct client and P7's direct sender on core 0; the sandbox, wrk and the bench driver (with P7's webhook receiver) on core 1";
        yield return "Hub: SQLite file (WAL), in-memory Hangfire storage, 20 Hangfire workers, Serilog request logging at Information to a file, rate limiter on with budgets far above the load";
    }

    private static string WrkVersion()
    {
        try
        {
            var (_, output, error) = ManagedProcess.RunAsync(0, "wrk", ["-v"]).GetAwaiter().GetResult();
            var line = (output + error).Split('\n').FirstOrDefault(l => l.StartsWith("wrk", StringComparison.Ordinal))?.Trim();
            return string.IsNullOrEmpty(line) ? "wrk" : line.Split(" Copyright", 2)[0];
        }
        catch (InvalidOperationException)
        {
            return "wrk";
        }
    }

    private static string Git(string arguments)
    {
        try
        {
            var (exit, output, _) = ManagedProcess.RunAsync(1, "git", arguments.Split(' ')).GetAwaiter().GetResult();
            return exit == 0 ? output.Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
