using System.Diagnostics;
using IntegrationHub.Bench;

// bench/run.sh builds Release and runs this on the load core: `IntegrationHub.Bench [--quick] [--only P9,P10] [--out FILE]`.
// --only runs the benchmarks of the goals named (P1, P2 and P8 run together, as do P3, P5 and P6).
if (args.Contains(Scale.Flag))
{
    return await Scale.RunAsync(args);
}

if (args is [DirectClient.Command, ..])
{
    return await DirectClient.RunAsync(args);
}

if (args is [DirectEvents.Command, ..])
{
    return await DirectEvents.RunAsync(args);
}

if (args is [DirectWebhooks.Command, ..])
{
    return await DirectWebhooks.RunAsync(args);
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length
    ? args[onlyIndex + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
    : null;
bool Runs(params string[] goals) => only is null || goals.Any(only.Contains);
var profile = quick ? Profile.QuickRun : Profile.Full;
var layout = Layout.Find(quick ? "quick" : "full");
var output = outIndex >= 0 && outIndex + 1 < args.Length
    ? Path.GetFullPath(args[outIndex + 1])
    : Path.Combine(layout.Root, "bench", "results", quick ? "raw/quick.md" : only is null ? "latest.md" : "raw/selected.md");
const int serverCpu = 0;
const int loadCpu = 1;

var report = new Report();
var benchmarks = new Benchmarks(layout, profile, report, new Credentials(), serverCpu, loadCpu);
var clock = Stopwatch.StartNew();
benchmarks.Progress($"{(quick ? "quick" : "full")} run{(only is null ? string.Empty : " of " + string.Join(", ", only))}; logs and databases in {layout.RunFolder}");
try
{
    await using var sandbox = await Sandbox.StartAsync(layout, loadCpu);
    benchmarks.Progress($"sandbox ready at {sandbox.BaseUrl}");
    if (Runs("P1", "P2", "P8"))
    {
        await benchmarks.TokensAsync(sandbox);
    }

    if (Runs("P4"))
    {
        await benchmarks.SignupsAsync(sandbox);
    }

    if (Runs("P9"))
    {
        await benchmarks.IntakeAsync(sandbox);
    }

    if (Runs("P3", "P5", "P6"))
    {
        await benchmarks.ProvisioningAndQueriesAsync(sandbox);
    }

    if (Runs("P7"))
    {
        await benchmarks.DeliveriesAsync(sandbox);
    }

    if (Runs("P10"))
    {
        await benchmarks.EventDeliveriesAsync(sandbox);
    }

    if (Runs("P11"))
    {
        await benchmarks.StartupAsync(sandbox);
    }
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
{
    report.Fail($"The run stopped: {ex.Message}");
}

report.PrintTable(Console.Out);
report.Write(output, quick ? "quick" : "full", quick ? "bench/run.sh --quick" : "bench/run.sh", clock.Elapsed);
Console.WriteLine($"Results written to {Path.GetRelativePath(layout.Root, output)} in {clock.Elapsed.TotalMinutes:N1} min.");
if (report.Failures.Count > 0)
{
    Console.WriteLine($"{report.Failures.Count} benchmark(s) did not complete or broke an invariant.");
    return 1;
}

return 0;
