using System.Diagnostics;
using IntegrationHub.Bench;

// bench/run.sh builds Release and runs this on the load core: `IntegrationHub.Bench [--quick] [--out FILE]`.
if (args is [DirectClient.Command, ..])
{
    return await DirectClient.RunAsync(args);
}

if (args is [DirectWebhooks.Command, ..])
{
    return await DirectWebhooks.RunAsync(args);
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var profile = quick ? Profile.QuickRun : Profile.Full;
var layout = Layout.Find(quick ? "quick" : "full");
var output = outIndex >= 0 && outIndex + 1 < args.Length
    ? Path.GetFullPath(args[outIndex + 1])
    : Path.Combine(layout.Root, "bench", "results", quick ? "raw/quick.md" : "latest.md");
const int serverCpu = 0;
const int loadCpu = 1;

var report = new Report();
var benchmarks = new Benchmarks(layout, profile, report, new Credentials(), serverCpu, loadCpu);
var clock = Stopwatch.StartNew();
benchmarks.Progress($"{(quick ? "quick" : "full")} run; logs and databases in {layout.RunFolder}");
try
{
    await using var sandbox = await Sandbox.StartAsync(layout, loadCpu);
    benchmarks.Progress($"sandbox ready at {sandbox.BaseUrl}");
    await benchmarks.TokensAsync(sandbox);
    await benchmarks.SignupsAsync(sandbox);
    await benchmarks.ProvisioningAndQueriesAsync(sandbox);
    await benchmarks.DeliveriesAsync(sandbox);
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
