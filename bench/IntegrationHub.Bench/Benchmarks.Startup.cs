using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection.PortableExecutable;
using static IntegrationHub.Bench.Report;

namespace IntegrationHub.Bench;

internal sealed partial class Benchmarks
{
    private const string StartupTenant = "p11-tenant";

    /// <summary>
    /// P11: time to first token. The hub published twice (as the Dockerfile publishes it, ReadyToRun, and the same
    /// publish with <c>-p:PublishReadyToRun=false</c>, plain IL) into temporary folders; a database prepared
    /// beforehand with one provisioned tenant; then, in alternating runs, each published hub started on it and timed
    /// from process start to its first 200 answer of <c>POST /api/tenants/{id}/alloy-token</c> (the account read
    /// and the Alloy call of a cold token included).
    /// </summary>
    public async Task StartupAsync(Sandbox sandbox)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-startup-" + Guid.NewGuid().ToString("N"));
        try
        {
            Progress("P11: publishing the hub ReadyToRun and as plain IL into temporary folders");
            var r2r = await PublishAsync(root, "r2r", readyToRun: true);
            var il = await PublishAsync(root, "il", readyToRun: false);
            var r2rImages = ReadyToRunImages(r2r);
            var ilImages = ReadyToRunImages(il);
            if (r2rImages.Native == 0 || ilImages.Native > r2rImages.Native)
            {
                report.Fail($"P11: the ReadyToRun publish holds {r2rImages.Native} ReadyToRun assemblies (plain IL publish: {ilImages.Native} of the framework-dependent output's {ilImages.Total})");
            }

            // The database beforehand: one tenant, provisioned, by the benchmark host's hub (same migrations).
            const string name = "hub-startup";
            await using (var preparing = await Hub.StartAsync(layout, name, serverCpu, sandbox, credentials, "All", profile.Workers))
            {
                await preparing.SignUpAllAsync([StartupTenant], 1);
                await preparing.WaitProvisionedAsync(1, TimeSpan.FromMinutes(1));
            }

            var database = Path.Combine(layout.RunFolder, name + ".db");
            var runs = profile.Quick ? 2 : 7;
            var r2rRuns = new List<StartupRun>();
            var ilRuns = new List<StartupRun>();
            for (var run = 0; run < runs; run++)
            {
                // Alternating which goes first, as the other benchmarks alternate their sides.
                foreach (var readyToRun in run % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    var folder = readyToRun ? r2r : il;
                    var result = await FirstTokenAsync(sandbox, folder, database, $"p11-{(readyToRun ? "r2r" : "il")}-{run + 1}");
                    (readyToRun ? r2rRuns : ilRuns).Add(result);
                    Progress($"P11 run {run + 1}/{runs} {(readyToRun ? "ReadyToRun" : "plain IL"),-10}  first token {F(result.FirstToken.TotalSeconds)} s  (listening {F(result.Listening.TotalSeconds)} s, {result.Attempts} attempts)");
                }
            }

            var r2rMedian = Median(r2rRuns.Select(r => r.FirstToken.TotalSeconds));
            var ilMedian = Median(ilRuns.Select(r => r.FirstToken.TotalSeconds));
            report.Goal(new GoalResult("P11", "process start to first 200 token answer, published hub (ReadyToRun vs plain IL)",
                "≤ 1.5 s (median)",
                $"{F(r2rMedian)} s ReadyToRun vs {F(ilMedian)} s plain IL ({F(r2rMedian / ilMedian)}×)",
                r2rMedian <= 1.5));
            report.Section($"""
                ## P11: time to first token

                The hub published as the Dockerfile publishes it (`dotnet publish src/WebApi -c Release`: ReadyToRun, linux-x64,
                framework-dependent; {r2rImages.Native} of its {r2rImages.Total} assemblies carry native code) and the same publish with
                `-p:PublishReadyToRun=false` (plain IL; {ilImages.Native} of {ilImages.Total}), each into a temporary folder. A database
                prepared beforehand with one provisioned tenant; each run starts `dotnet IntegrationHub.WebApi.dll` on it (Hub:Role=All,
                pinned to the hub core, the standalone sandbox answering at once) and times from process start until
                `POST /api/tenants/{StartupTenant}/alloy-token` first answers 200, asking every 5 ms (the first token is cold: the account
                is read and the token minted at Alloy). "Listening" is the first HTTP answer of any status. {runs} alternating runs per side.

                | run | ReadyToRun first token s | ReadyToRun listening s | plain IL first token s | plain IL listening s |
                |---|---|---|---|---|
                {string.Join("\n", r2rRuns.Zip(ilRuns, (r, i) => (r, i)).Select((p, n) => $"| {n + 1} | {F(p.r.FirstToken.TotalSeconds)} | {F(p.r.Listening.TotalSeconds)} | {F(p.i.FirstToken.TotalSeconds)} | {F(p.i.Listening.TotalSeconds)} |"))}

                Medians: ReadyToRun **{F(r2rMedian)} s**, plain IL **{F(ilMedian)} s** ({F(r2rMedian / ilMedian)}×).
                """);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private async Task<string> PublishAsync(string root, string name, bool readyToRun)
    {
        var folder = Path.Combine(root, name);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = layout.Root,
        };
        foreach (var argument in new[]
                 {
                     "publish", Path.Combine("src", "WebApi", "WebApi.csproj"), "-c", "Release", "-o", folder,
                     "--artifacts-path", Path.Combine(root, name + "-artifacts"), "-p:SkipClientApp=true", "-p:UseAppHost=false",
                     "-p:PublishReadyToRun=" + (readyToRun ? "true" : "false"), "-nologo", "-v:q",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish ({name}) failed with {process.ExitCode}:\n{await output}\n{await error}");
        }

        return folder;
    }

    /// <summary>How many of the folder's assemblies are ReadyToRun images (a managed native header) out of all managed ones.</summary>
    private static (int Native, int Total) ReadyToRunImages(string folder)
    {
        int native = 0, total = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.dll"))
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (pe.PEHeaders.CorHeader is not { } cor)
            {
                continue;
            }

            total++;
            if (cor.ManagedNativeHeaderDirectory.Size > 0)
            {
                native++;
            }
        }

        return (native, total);
    }

    private async Task<StartupRun> FirstTokenAsync(Sandbox sandbox, string folder, string database, string name)
    {
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var settings = Hub.BaseSettings(credentials, sandbox, url, database, "Production", "All", profile.Workers);

        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var jwt = credentials.MemberJwt(StartupTenant);
        var clock = Stopwatch.StartNew();
        await using var process = ManagedProcess.Start(
            name, serverCpu, "dotnet", [Path.Combine(folder, "IntegrationHub.WebApi.dll")], settings, Path.Combine(layout.RunFolder, name + ".log"), folder);
        TimeSpan? listening = null;
        var attempts = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited before its first token. Last lines of {process.LogPath}:\n{ManagedProcess.Tail(process.LogPath)}");
            }

            attempts++;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{StartupTenant}/alloy-token");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
                using var response = await http.SendAsync(request);
                listening ??= clock.Elapsed;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new StartupRun(clock.Elapsed, listening.Value, attempts);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"{name} answered no token within 60 s. Last lines of {process.LogPath}:\n{ManagedProcess.Tail(process.LogPath)}");
    }

    private sealed record StartupRun(TimeSpan FirstToken, TimeSpan Listening, int Attempts);
}
