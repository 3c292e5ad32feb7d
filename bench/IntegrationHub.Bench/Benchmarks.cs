using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static IntegrationHub.Bench.Report;

namespace IntegrationHub.Bench;

/// <summary>P1–P10, the goals of the README's Performance section; each records its goal and a section for the results file.</summary>
internal sealed partial class Benchmarks(Layout layout, Profile profile, Report report, Credentials credentials, int serverCpu, int loadCpu)
{
    private static readonly string[] WebhookEventTypes = ["tenant.provisioned"];

    private static readonly string[] InstallationParameters = ["$tenant", "$installation", "$integration", "$name", "$enabled", "$at"];

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Wrk _wrk = new(layout.WrkScript, layout.RunFolder, loadCpu);

    private string WarmupText => $"warm-up runs of {profile.Warmup.TotalSeconds} s per side: at least {profile.MinWarmupRuns}, then until two in a row agree within 5 %, at most {profile.MaxWarmupRuns}";

    public void Progress(string message) => Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");

    /// <summary>P1 (token hit path vs a bare endpoint with the same authentication) and P2 (cold single flight).</summary>
    public async Task TokensAsync(Sandbox sandbox)
    {
        await using var hub = await Hub.StartAsync(layout, "hub-tokens", serverCpu, sandbox, credentials, "All", profile.Workers);
        Progress($"hub-tokens ready (pid {hub.Process.Pid}); P1: {profile.TokenTenants} tenants, {profile.TokenConnections} connections");

        var tenants = Enumerable.Range(1, profile.TokenTenants).Select(i => $"p1-tenant-{i:00}").ToList();
        await hub.SignUpAllAsync(tenants, 8);
        await hub.WaitProvisionedAsync(tenants.Count, TimeSpan.FromMinutes(2));
        var jwts = tenants.ToDictionary(t => t, credentials.MemberJwt);
        foreach (var tenant in tenants)
        {
            // Mint each tenant's token once: P1 measures the reuse window's hit path.
            using var client = Hub.Client(hub.BaseUrl, "Authorization", "Bearer " + jwts[tenant]);
            using var response = await client.PostAsync($"api/tenants/{tenant}/alloy-token", null);
            response.EnsureSuccessStatusCode();
        }

        var minted = Sandbox.Count(await sandbox.CallsAsync(), IsTokenCall);
        WrkRequest Token(string tenant, string path) => new("POST", path, new Dictionary<string, string> { ["Authorization"] = "Bearer " + jwts[tenant] });
        var hubRequests = tenants.Select(t => Token(t, $"/api/tenants/{t}/alloy-token")).ToList();
        var bareRequests = tenants.Select(t => Token(t, $"/_bench/tenants/{t}/bare-token")).ToList();
        var (hubSamples, bareSamples) = await AlternateAsync(
            "P1", hub, "hub token", "bare",
            round => _wrk.RunAsync(hub.BaseUrl, hubRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.TokenConnections, "p1"),
            round => _wrk.RunAsync(hub.BaseUrl, bareRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.TokenConnections, "p1"));
        var upstream = Sandbox.Count(await sandbox.CallsAsync(), IsTokenCall) - minted;

        var throughput = Median(hubSamples.Zip(bareSamples, (h, b) => h.Wrk.Throughput / b.Wrk.Throughput));
        var p99 = Median(hubSamples.Zip(bareSamples, (h, b) => h.Wrk.P99 / b.Wrk.P99));
        report.Goal(new GoalResult("P1", "token endpoint in the reuse window vs bare endpoint, same authentication",
            "≥ 0.85× throughput; p99 ≤ 2×",
            $"{F(throughput)}× throughput ({F(Median(hubSamples.Select(s => s.Wrk.Throughput)), "N0")} vs {F(Median(bareSamples.Select(s => s.Wrk.Throughput)), "N0")} req/s); p99 {F(p99)}×",
            throughput >= 0.85 && p99 <= 2));
        report.Section($"""
            ## P1: token endpoint within the reuse window

            `POST /api/tenants/{"{id}"}/alloy-token` against `POST /_bench/tenants/{"{id}"}/bare-token`, a bench-only endpoint behind the same
            authentication (HS256 JWT of a tenant member), the same tenant-access policy and the same no-store headers, that
            answers a fixed token. Both in the same hub process; wrk with {profile.TokenConnections} connections rotates over {profile.TokenTenants} tenants,
            each with its own JWT; every tenant's token was minted before the rounds, so each request is a reuse-window hit
            ({upstream} upstream token calls during the rounds). {profile.Rounds} alternating rounds of {profile.RoundDuration.TotalSeconds} s, each side
            warmed up first ({WarmupText}).

            {RoundsTable("hub", "bare", hubSamples, bareSamples)}
            Median ratios: throughput **{F(throughput)}×**, p99 **{F(p99)}×**.
            """);
        await ColdTokensAsync(hub, sandbox);
        await CoalescedListingsAsync(hub, sandbox);
        var (rss, peak) = hub.Process.Memory();
        report.Section($"Resident memory of hub-tokens after P1 and P2: {F(rss / 1048576.0, "N0")} MB (peak {F(peak / 1048576.0, "N0")} MB).");
    }

    /// <summary>P2: 200 concurrent requests per tenant for 20 tenants whose tokens were never minted.</summary>
    private async Task ColdTokensAsync(Hub hub, Sandbox sandbox)
    {
        var tenants = Enumerable.Range(1, profile.ColdTenants).Select(i => $"p2-tenant-{i:00}").ToList();
        await hub.SignUpAllAsync(tenants, 8);
        await hub.WaitProvisionedAsync(profile.TokenTenants + tenants.Count, TimeSpan.FromMinutes(2));
        await sandbox.SetLatencyAsync(profile.AlloyLatencyMs);
        var before = Sandbox.Count(await sandbox.CallsAsync(), IsTokenCall);
        Progress($"P2: {profile.ColdRequestsPerTenant} concurrent cold token requests for each of {tenants.Count} tenants (Alloy latency {profile.AlloyLatencyMs} ms)");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = hub.BaseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var requests = tenants.SelectMany(tenant => Enumerable.Range(0, profile.ColdRequestsPerTenant).Select(async _ =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{tenant}/alloy-token");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.MemberJwt(tenant));
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var token = response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetProperty("token").GetString() : null;
            return (Tenant: tenant, response.StatusCode, Token: token);
        })).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(requests);
        clock.Stop();
        await sandbox.SetLatencyAsync(0);
        var upstream = Sandbox.Count(await sandbox.CallsAsync(), IsTokenCall) - before;

        var failed = answers.Count(a => a.StatusCode != HttpStatusCode.OK);
        var tokensPerTenant = answers.Where(a => a.Token is not null).GroupBy(a => a.Tenant).ToDictionary(g => g.Key, g => g.Select(a => a.Token).Distinct(StringComparer.Ordinal).Count());
        var exact = upstream == tenants.Count && failed == 0 && tokensPerTenant.Count == tenants.Count && tokensPerTenant.Values.All(c => c == 1);
        report.Goal(new GoalResult("P2", $"{profile.ColdRequestsPerTenant} concurrent cold token requests per tenant, {tenants.Count} tenants",
            "exactly 1 upstream token call per tenant",
            $"{upstream} upstream calls for {tenants.Count} tenants; {answers.Length - failed}/{answers.Length} answered 200, one token per tenant: {(tokensPerTenant.Values.All(c => c == 1) ? "yes" : "no")}",
            exact));
        if (!exact)
        {
            report.Fail($"P2: {upstream} upstream token calls for {tenants.Count} tenants, {failed} requests not 200, distinct tokens per tenant: {string.Join(',', tokensPerTenant.Values.Distinct())}");
        }

        report.Section($"""
            ## P2: cold token requests, single flight

            {tenants.Count} provisioned tenants whose tokens were never minted; {answers.Length} requests ({profile.ColdRequestsPerTenant} per tenant, each with
            its own member JWT) released at once from one client, the sandbox answering after {profile.AlloyLatencyMs} ms. Upstream
            `GET /users/{"{userId}"}/token` calls counted by the sandbox: **{upstream}** ({F(upstream / (double)tenants.Count)} per tenant). Every
            request answered 200: {failed == 0}; every tenant's requests got one and the same token: {tokensPerTenant.Values.All(c => c == 1)}. All answers within {F(clock.Elapsed.TotalSeconds)} s.
            """);
    }

    /// <summary>P8: 200 tenants' frontends refresh their installations at once; Alloy lists only the whole account.</summary>
    private async Task CoalescedListingsAsync(Hub hub, Sandbox sandbox)
    {
        const int refreshing = 200;
        var tenants = Enumerable.Range(1, refreshing).Select(i => $"p8-tenant-{i:000}").ToList();
        var provisionedBefore = profile.TokenTenants + profile.ColdTenants;
        await hub.SignUpAllAsync(tenants, 8);
        await hub.WaitProvisionedAsync(provisionedBefore + tenants.Count, TimeSpan.FromMinutes(2));
        await sandbox.SetLatencyAsync(profile.AlloyLatencyMs);
        var before = Sandbox.Count(await sandbox.CallsAsync(), IsInstallationListing);
        Progress($"P8: {refreshing} concurrent installation refreshes of different tenants (Alloy latency {profile.AlloyLatencyMs} ms)");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = hub.BaseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var requests = tenants.Select(async tenant =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{tenant}/installations/refresh");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.MemberJwt(tenant));
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(requests);
        clock.Stop();
        await sandbox.SetLatencyAsync(0);
        var listings = Sandbox.Count(await sandbox.CallsAsync(), IsInstallationListing) - before;
        var failed = answers.Count(s => s != HttpStatusCode.OK);
        report.Goal(new GoalResult("P8", $"{refreshing} concurrent installation refreshes of different tenants",
            "≤ 2 upstream account listings",
            $"{listings} upstream `GET /installations`; {refreshing - failed}/{refreshing} answered 200 within {F(clock.Elapsed.TotalSeconds)} s",
            listings <= 2 && failed == 0));
        if (failed > 0)
        {
            report.Fail($"P8: {failed} of {refreshing} refreshes did not answer 200");
        }

        report.Section($"""
            ## P8: installation refreshes share Alloy's account listing

            {refreshing} provisioned tenants, each refreshing with its own member JWT, released at once from one client; the sandbox
            answering after {profile.AlloyLatencyMs} ms. Alloy lists installations only for the whole account, so every refresh
            needs the same list; the hub answers each caller with a listing that started after it asked and lets callers that
            arrive together share it. Upstream `GET /installations` calls counted by the sandbox: **{listings}**.
            """);
    }

    /// <summary>P4: signup vs one raw SQLite insert, in an API-only hub.</summary>
    public async Task SignupsAsync(Sandbox sandbox)
    {
        await using var hub = await Hub.StartAsync(layout, "hub-signups", serverCpu, sandbox, credentials, "Api", profile.Workers);
        Progress($"hub-signups ready (pid {hub.Process.Pid}); P4: {profile.SignupConnections} connections");
        var headers = new Dictionary<string, string> { ["X-Api-Key"] = credentials.ServiceKey, ["Content-Type"] = "application/json" };
        const string body = """{"tenantId":"{n}","name":"Bench tenant {n}"}""";
        WrkRequest[] hubRequests = [new("POST", "/api/tenants", headers, body)];
        WrkRequest[] bareRequests = [new("POST", "/_bench/signups", headers, body)];
        var (hubSamples, bareSamples) = await AlternateAsync(
            "P4", hub, "signup", "raw insert",
            round => _wrk.RunAsync(hub.BaseUrl, hubRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.SignupConnections, $"p4-r{round + 1}-hub"),
            round => _wrk.RunAsync(hub.BaseUrl, bareRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.SignupConnections, $"p4-r{round + 1}-raw"));
        var throughput = Median(hubSamples.Zip(bareSamples, (h, b) => h.Wrk.Throughput / b.Wrk.Throughput));
        report.Goal(new GoalResult("P4", "signup endpoint vs bare endpoint doing one raw SQLite insert", "≥ 0.5× throughput",
            $"{F(throughput)}× throughput ({F(Median(hubSamples.Select(s => s.Wrk.Throughput)), "N0")} vs {F(Median(bareSamples.Select(s => s.Wrk.Throughput)), "N0")} req/s)",
            throughput >= 0.5));
        report.Section($"""
            ## P4: signup

            `POST /api/tenants` (validation, the tenant, its Alloy account, a durable audit entry and the outbox row for the
            provisioning job in one transaction, then the job enqueued) against `POST /_bench/signups`, a bench-only endpoint behind the same
            service-key authentication that binds the same JSON body and runs one `INSERT` through a pooled raw Microsoft.Data.Sqlite
            connection on the same database file, with the same `synchronous = NORMAL`. Every request signs a new tenant up.
            The hub runs as `Hub:Role=Api` (jobs are enqueued, a worker process would run them), so provisioning does not share the
            measured core: P3 measures it. wrk with {profile.SignupConnections} connections, {profile.Rounds} alternating rounds of {profile.RoundDuration.TotalSeconds} s
            ({WarmupText}).

            {RoundsTable("signup", "raw", hubSamples, bareSamples)}
            Median throughput ratio: **{F(throughput)}×**.
            """);
    }

    /// <summary>P3 (provisioning vs a direct client), then P5 (admin query) and P6 (memory) on the last provisioning hub.</summary>
    public async Task ProvisioningAndQueriesAsync(Sandbox sandbox)
    {
        var rows = new List<(double Direct, double Hub, double HubCpu, long HubCalls, double DrainRate)>();
        Hub? last = null;
        List<string>? lastTenants = null;
        try
        {
            for (var round = 1; round <= profile.ProvisionRounds; round++)
            {
                await sandbox.ResetAsync();
                await sandbox.SetLatencyAsync(profile.AlloyLatencyMs);
                var direct = await DirectRoundAsync(sandbox, round);
                Progress($"P3 round {round}/{profile.ProvisionRounds} direct client: {F(profile.ProvisionTenants / direct.TotalSeconds, "N0")} users/s ({F(direct.TotalSeconds)} s)");

                if (last is not null)
                {
                    await last.DisposeAsync();
                }

                await sandbox.ResetAsync();
                await sandbox.SetLatencyAsync(profile.AlloyLatencyMs);
                last = await Hub.StartAsync(layout, $"hub-provisioning-{round}", serverCpu, sandbox, credentials, "All", profile.Workers);
                var (elapsed, cpu, calls, tenants, drain) = await HubProvisioningRoundAsync(last, sandbox, round);
                lastTenants = tenants;
                rows.Add((direct.TotalSeconds, elapsed.TotalSeconds, cpu, calls, drain));
                Progress($"P3 round {round}/{profile.ProvisionRounds} hub: {F(profile.ProvisionTenants / elapsed.TotalSeconds, "N0")} tenants/s ({F(elapsed.TotalSeconds)} s, hub core {F(cpu, "N0")} % busy, {calls} create calls: POST /users and /users/batch); after the last signup: {F(drain, "N0")} tenants/s");
            }

            await sandbox.SetLatencyAsync(0);
            var ratio = Median(rows.Select(r => r.Direct / r.Hub));
            var drainRatio = Median(rows.Select(r => r.DrainRate / (profile.ProvisionTenants / r.Direct)));
            var table = string.Join('\n', rows.Select((r, i) =>
                $"| {i + 1} | {F(profile.ProvisionTenants / r.Direct, "N0")} | {F(profile.ProvisionTenants / r.Hub, "N0")} | {F(r.Direct / r.Hub)} | {F(r.DrainRate, "N0")} ({F(r.DrainRate / (profile.ProvisionTenants / r.Direct))}×) | {F(r.Direct, "N1")} s | {F(r.Hub, "N1")} s | {F(r.HubCpu, "N0")} % | {r.HubCalls} |"));
            report.Goal(new GoalResult("P3", $"provision {profile.ProvisionTenants:N0} tenants, Alloy at {profile.AlloyLatencyMs} ms, vs a direct client", "≥ 1.5× throughput",
                $"{F(ratio)}× signup to provisioned ({F(Median(rows.Select(r => profile.ProvisionTenants / r.Hub)), "N0")} vs {F(Median(rows.Select(r => profile.ProvisionTenants / r.Direct)), "N0")} tenants/s); provisioning alone {F(drainRatio)}×",
                ratio >= 1.5));
            report.Section($"""
                ## P3: provisioning throughput

                The hub (fresh database each round, `Hub:Role=All`, {profile.Workers} Hangfire workers) gets {profile.ProvisionTenants:N0} signups through
                `POST /api/tenants` ({profile.Workers} at a time) and provisions each tenant's Alloy user in the background; the clock runs from the
                first signup until the database shows every account `Provisioned`. The baseline is a plain HttpClient in its own
                process on the hub's core sending the same Alloy call (`POST /users`, same headers and body size) for {profile.ProvisionTenants:N0}
                usernames with the same concurrency ({profile.Workers}). The sandbox answers every call after {profile.AlloyLatencyMs} ms and is reset before each
                side; both warm up first ({profile.ProvisionWarmupTenants} tenants, not timed). At this latency the ceiling is {profile.Workers} / {F(profile.AlloyLatencyMs / 1000.0)} s = {profile.Workers * 1000 / profile.AlloyLatencyMs} calls/s.

                | round | direct users/s | hub tenants/s (signup to provisioned) | ratio | hub tenants/s after the last signup (ratio) | direct time | hub time | hub core busy | hub create calls (`POST /users`, `/users/batch`) |
                |---|---|---|---|---|---|---|---|---|
                {table}

                Median ratio: **{F(ratio)}×** from first signup to last provisioned. The signups (P4's endpoint, about a quarter of a
                tenant's CPU) run on the same core as the provisioning; once the last signup is accepted, the hub provisions the rest at
                **{F(drainRatio)}×** the direct client's rate. Every tenant got exactly one Alloy user (counted at the sandbox); most of them went to Alloy
                in batches (`POST /users/batch`), so the create calls are far fewer than the tenants.
                """);

            await QueriesAsync(last!, lastTenants!);
            var (rss, peak) = last!.Process.Memory();
            var mb = rss / 1048576.0;
            report.Goal(new GoalResult("P6", "resident memory of the hub after P3 and P5", "≤ 200 MB",
                $"{F(mb, "N0")} MB (peak {F(peak / 1048576.0, "N0")} MB)", mb <= 200));
            report.Section($"""
                ## P6: memory

                Resident set size (VmRSS from /proc) of the process that ran the last P3 round and all of P5, read right after P5:
                **{F(mb, "N0")} MB**, peak (VmHWM) {F(peak / 1048576.0, "N0")} MB. It holds {profile.ProvisionTenants + profile.ProvisionWarmupTenants:N0} tenants' worth of Hangfire job
                history in memory (few jobs since signups ask for drains; finished ones expire after `Hangfire:InMemoryJobExpiration`), the SQLite page caches, the JIT's code
                and the mapped runtime and framework images (about 100 MB of the total are file-backed pages of those images, shared
                with any other .NET process).
                """);
        }
        finally
        {
            if (last is not null)
            {
                await last.DisposeAsync();
            }
        }
    }

    private async Task<TimeSpan> DirectRoundAsync(Sandbox sandbox, int round)
    {
        var (exit, output, error) = await ManagedProcess.RunAsync(serverCpu, "dotnet",
        [
            layout.BenchDll, DirectClient.Command,
            "--sandbox", sandbox.BaseUrl.ToString(), "--key", Sandbox.DevelopmentKey,
            "--count", profile.ProvisionTenants.ToString(CultureInfo.InvariantCulture),
            "--concurrency", profile.Workers.ToString(CultureInfo.InvariantCulture),
            "--warmup", profile.ProvisionWarmupTenants.ToString(CultureInfo.InvariantCulture),
            "--prefix", $"direct-r{round}",
        ]);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("DIRECTJSON ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"The direct client failed (exit {exit}): {error}\n{output}");
        }

        using var json = JsonDocument.Parse(line["DIRECTJSON ".Length..]);
        return TimeSpan.FromMilliseconds(json.RootElement.GetProperty("elapsedMs").GetDouble());
    }

    private async Task<(TimeSpan Elapsed, double HubCpu, long Calls, List<string> Tenants, double DrainRate)> HubProvisioningRoundAsync(Hub hub, Sandbox sandbox, int round)
    {
        var warmup = Enumerable.Range(0, profile.ProvisionWarmupTenants).Select(i => $"p3-r{round}-warmup-{i:0000}").ToList();
        await hub.SignUpAllAsync(warmup, profile.Workers);
        await hub.WaitProvisionedAsync(warmup.Count, TimeSpan.FromMinutes(5));
        var callsBefore = Sandbox.Count(await sandbox.CallsAsync(), IsCreateUser);

        var tenants = Enumerable.Range(0, profile.ProvisionTenants).Select(i => $"p3-r{round}-tenant-{i:00000}").ToList();
        var cpuBefore = hub.Process.CpuTime();
        var clock = Stopwatch.StartNew();
        // When the last signup is accepted, how many are provisioned: the rest is provisioning alone (the drain).
        var lastSignup = hub.SignUpAllAsync(tenants, profile.Workers)
            .ContinueWith(
                async signups =>
                {
                    await signups; // a failed signup fails the round
                    return (At: clock.Elapsed, (await hub.AccountStatesAsync()).Provisioned);
                },
                TaskScheduler.Default).Unwrap();
        await hub.WaitProvisionedAsync(
            warmup.Count + tenants.Count,
            TimeSpan.FromMinutes(15),
            done => Progress($"P3 round {round}: {done - warmup.Count:N0}/{tenants.Count:N0} provisioned"));
        clock.Stop();
        var (signupsDoneAt, provisionedThen) = await lastSignup;
        var drained = warmup.Count + tenants.Count - provisionedThen;
        var drainRate = drained / Math.Max(0.001, (clock.Elapsed - signupsDoneAt).TotalSeconds);
        var cpu = (hub.Process.CpuTime() - cpuBefore).TotalMilliseconds / clock.Elapsed.TotalMilliseconds * 100;
        var calls = Sandbox.Count(await sandbox.CallsAsync(), IsCreateUser) - callsBefore;
        // Exactly one Alloy user per tenant, however they were created (one by one, or in batches of POST /users/batch).
        var users = await sandbox.UsersContainingAsync($"p3-r{round}-tenant-");
        if (users != tenants.Count)
        {
            report.Fail($"P3 round {round}: the sandbox has {users} Alloy users for {tenants.Count} tenants (after {calls} create calls).");
        }

        return (clock.Elapsed, cpu, calls, tenants, drainRate);
    }

    /// <summary>P5: the admin installation query at scale against the same SQL written by hand.</summary>
    private async Task QueriesAsync(Hub hub, List<string> tenants)
    {
        var count = await SeedInstallationsAsync(hub.DatabasePath, tenants, profile.InstallationsPerTenant);
        Progress($"P5: seeded {count:N0} installations for {tenants.Count:N0} tenants; waiting for the hub's statistics refresh");
        await hub.WaitForStatisticsAsync(count, TimeSpan.FromMinutes(2));
        var queries = await QueriesForAsync(hub, tenants, count);

        // The baseline must answer exactly what the hub answers, or the comparison means nothing.
        foreach (var query in queries)
        {
            var fromHub = await hub.Admin.GetStringAsync("api/admin/installations" + query);
            var fromSql = await hub.Admin.GetStringAsync("_bench/installations" + query);
            if (!string.Equals(fromHub, fromSql, StringComparison.Ordinal))
            {
                report.Fail($"P5: the raw SQL baseline answered differently from the hub for {query}.");
                break;
            }
        }

        var headers = new Dictionary<string, string> { ["X-Api-Key"] = credentials.AdminKey };
        var hubRequests = queries.Select(q => new WrkRequest("GET", "/api/admin/installations" + q, headers)).ToList();
        var rawRequests = queries.Select(q => new WrkRequest("GET", "/_bench/installations" + q, headers)).ToList();
        var (hubSamples, rawSamples) = await AlternateAsync(
            "P5", hub, "hub query", "raw SQL",
            round => _wrk.RunAsync(hub.BaseUrl, hubRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.QueryConnections, "p5"),
            round => _wrk.RunAsync(hub.BaseUrl, rawRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.QueryConnections, "p5"));
        var p95 = Median(hubSamples.Zip(rawSamples, (h, r) => h.Wrk.P95 / r.Wrk.P95));
        report.Goal(new GoalResult("P5", $"admin installation query, {tenants.Count:N0} tenants / {count:N0} installations, vs raw SQL", "p95 ≤ 1.5×",
            $"p95 {F(p95)}× ({F(Median(hubSamples.Select(s => s.Wrk.P95)) / 1000)} vs {F(Median(rawSamples.Select(s => s.Wrk.P95)) / 1000)} ms)", p95 <= 1.5));
        report.Section($"""
            ## P5: admin installation query

            {count:N0} installations ({profile.InstallationsPerTenant} per tenant over 20 integrations, 80 % enabled, each with its history entry) seeded with
            SQL into the database of the last P3 round ({tenants.Count:N0} tenants). wrk with {profile.QueryConnections} connections rotates over {queries.Count} filtered,
            paged queries: by integration and enabled (first page of 50), by tenant, by integration from the middle of its listing
            (pages of 100), and by `enabled=false` from deep in its listing (cursors taken from the hub's own answers). `GET /api/admin/installations` (Mediator pipeline, validation, EF Core, audit
            entry) against `GET /_bench/installations`, a bench-only endpoint behind the same admin authentication that runs the
            same query as hand-written SQL through a pooled raw connection and serializes the same page type. Before timing,
            every query was checked to answer byte-for-byte the same from both, and the hub's periodic `ANALYZE` (here every 10 s
            instead of hourly) had refreshed SQLite's planner statistics over the seeded rows. {profile.Rounds} alternating rounds of {profile.RoundDuration.TotalSeconds} s ({WarmupText}).

            {RoundsTable("hub", "raw", hubSamples, rawSamples)}
            Median p95 ratio: **{F(p95)}×**; median throughput ratio {F(Median(hubSamples.Zip(rawSamples, (h, r) => h.Wrk.Throughput / r.Wrk.Throughput)))}×.
            """);
    }

    /// <summary>
    /// P7: webhooks delivered per second by the hub (a replay of N messages to one endpoint) against a plain HttpClient
    /// posting the same signed payloads with the same concurrency, both to the same receiver.
    /// </summary>
    public async Task DeliveriesAsync(Sandbox sandbox)
    {
        await using var receiver = await WebhookReceiver.StartAsync(layout.RunFolder);
        var trust = new Dictionary<string, string> { ["SSL_CERT_FILE"] = receiver.CertificatePath };
        await using var hub = await Hub.StartAsync(layout, "hub-webhooks", serverCpu, sandbox, credentials, "All", profile.Workers,
            new Dictionary<string, string>(trust)
            {
                ["Webhooks__AllowPrivateNetworks"] = "true",
                // One endpoint against a baseline with the workers' concurrency: every worker may deliver to it.
                ["Webhooks__MaxConcurrentPerEndpoint"] = profile.Workers.ToString(CultureInfo.InvariantCulture),
            });
        var count = profile.WebhookMessages;
        Progress($"hub-webhooks ready (pid {hub.Process.Pid}); receiver at {receiver.Url}; P7: {count:N0} messages, {profile.Workers} workers");

        using var created = await hub.Admin.PostAsJsonAsync("api/admin/webhook-endpoints", new
        {
            url = receiver.Url.ToString(),
            description = "bench receiver",
            eventTypes = WebhookEventTypes,
        });
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering the receiver answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        }

        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>();
        var endpointId = endpoint.GetProperty("id").GetString()!;
        var secret = endpoint.GetProperty("secret").GetString()!;

        // The messages: one tenant.provisioned per signup, delivered once (checked and kept by the receiver).
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var tenants = Enumerable.Range(0, count).Select(i => $"p7-tenant-{i:00000}").ToList();
        receiver.Capture = secret;
        receiver.BeginRound();
        await hub.SignUpAllAsync(tenants, profile.Workers);
        await hub.WaitProvisionedAsync(tenants.Count, TimeSpan.FromMinutes(5));
        if (!await receiver.WaitForAsync(count, TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException($"P7: the receiver got {receiver.Distinct} of {count} tenant.provisioned webhooks; see {hub.Process.LogPath}.");
        }

        receiver.Capture = null;
        if (receiver.BadSignatures > 0 || receiver.Bodies.Count != count)
        {
            report.Fail($"P7: {receiver.BadSignatures} webhooks failed signature verification; {receiver.Bodies.Count} of {count} verified.");
        }

        var ids = receiver.Bodies.Keys.Order(StringComparer.Ordinal).ToList();
        var payloads = Path.Combine(layout.RunFolder, "p7-payloads.tsv");
        await File.WriteAllLinesAsync(payloads, ids.Select(id => id + "\t" + receiver.Bodies[id]));
        var bodyBytes = receiver.Bodies.Values.Select(b => (double)System.Text.Encoding.UTF8.GetByteCount(b)).ToList();
        await WaitDeliveredAsync(hub, endpointId, count);

        async Task<(double Rate, double Cpu, double CpuMsPerMessage, double ReplayMs, long Duplicates)> HubRoundAsync(string label)
        {
            receiver.BeginRound();
            var cpuBefore = hub.Process.CpuTime();
            var clock = Stopwatch.StartNew();
            using var response = await hub.Admin.PostAsync(
                $"api/admin/webhook-endpoints/{endpointId}/replay?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}", null);
            var answer = await response.Content.ReadAsStringAsync();
            var replayMs = clock.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted || JsonDocument.Parse(answer).RootElement.GetProperty("deliveries").GetInt32() != count)
            {
                throw new InvalidOperationException($"P7: the replay answered {(int)response.StatusCode}: {answer}");
            }

            var complete = await receiver.WaitForAsync(count, TimeSpan.FromMinutes(5));
            clock.Stop();
            var cpuMs = (hub.Process.CpuTime() - cpuBefore).TotalMilliseconds;
            var cpu = cpuMs / clock.Elapsed.TotalMilliseconds * 100;
            CheckAllSeen(receiver, ids, label, complete);
            await WaitDeliveredAsync(hub, endpointId, count);
            var rate = count / clock.Elapsed.TotalSeconds;
            Progress($"{label,-32} {F(rate, "N0"),9} msg/s  {F(clock.Elapsed.TotalSeconds)} s (replay answered in {F(replayMs, "N0")} ms)  hub core {F(cpu, "N0")} %, {F(cpuMs / count)} ms per message  duplicates {receiver.Requests - count}");
            return (rate, cpu, cpuMs / count, replayMs, receiver.Requests - count);
        }

        async Task<double> DirectRoundAsync(string label)
        {
            receiver.BeginRound();
            var (exit, output, error) = await ManagedProcess.RunAsync(serverCpu, "dotnet",
            [
                layout.BenchDll, DirectWebhooks.Command,
                "--url", receiver.Url.ToString(), "--payloads", payloads,
                "--concurrency", profile.Workers.ToString(CultureInfo.InvariantCulture),
                "--warmup", Math.Min(count, 1000).ToString(CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string>(trust) { [DirectWebhooks.SecretVariable] = secret });
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("DIRECTJSON ", StringComparison.Ordinal));
            if (exit != 0 || line is null)
            {
                throw new InvalidOperationException($"P7: the direct sender failed (exit {exit}): {error}\n{output}");
            }

            using var json = JsonDocument.Parse(line["DIRECTJSON ".Length..]);
            var elapsed = TimeSpan.FromMilliseconds(json.RootElement.GetProperty("elapsedMs").GetDouble());
            CheckAllSeen(receiver, ids, label, complete: true);
            var rate = count / elapsed.TotalSeconds;
            Progress($"{label,-32} {F(rate, "N0"),9} msg/s  {F(elapsed.TotalSeconds)} s");
            return rate;
        }

        // The delivery path needs several replays before tiered compilation settles: at least WebhookWarmupRounds, then
        // until two in a row agree within 5 %, at most WebhookMaxWarmupRounds.
        double? previous = null;
        var warmups = 0;
        while (warmups < profile.WebhookMaxWarmupRounds)
        {
            var rate = (await HubRoundAsync($"P7 warm-up {++warmups} hub")).Rate;
            if (warmups >= profile.WebhookWarmupRounds && previous is { } last && Math.Abs(rate - last) <= 0.05 * Math.Max(rate, last))
            {
                break;
            }

            previous = rate;
        }

        List<(double Rate, double Cpu, double CpuMsPerMessage, double ReplayMs, long Duplicates)> hubRounds = [];
        List<double> directRounds = [];
        for (var round = 0; round < profile.Rounds; round++)
        {
            var label = $"P7 round {round + 1}/{profile.Rounds}";
            if (round % 2 == 0)
            {
                hubRounds.Add(await HubRoundAsync($"{label} hub"));
                directRounds.Add(await DirectRoundAsync($"{label} direct"));
            }
            else
            {
                directRounds.Add(await DirectRoundAsync($"{label} direct"));
                hubRounds.Add(await HubRoundAsync($"{label} hub"));
            }
        }

        var ratio = Median(hubRounds.Zip(directRounds, (h, d) => h.Rate / d));
        report.Goal(new GoalResult("P7", $"outbound webhook delivery, {count:N0} messages, {profile.Workers} workers, vs plain HttpClient",
            "≥ 0.8× messages/s",
            $"{F(ratio)}× ({F(Median(hubRounds.Select(r => r.Rate)), "N0")} vs {F(Median(directRounds), "N0")} msg/s); hub {F(Median(hubRounds.Select(r => r.CpuMsPerMessage)))} CPU ms per message",
            ratio >= 0.8));
        var rows = string.Join('\n', hubRounds.Zip(directRounds, (h, d) => (h, d)).Select((r, i) =>
            $"| {i + 1} | {F(r.h.Rate, "N0")} | {F(r.d, "N0")} | {F(r.h.Rate / r.d)} | {F(r.h.ReplayMs, "N0")} | {F(r.h.Cpu, "N0")} % | {F(r.h.CpuMsPerMessage)} | {r.h.Duplicates} |"));
        report.Section($"""
            ## P7: outbound webhook delivery

            One endpoint registered through the admin API (`tenant.provisioned` only) pointing at a receiver inside the driver:
            Kestrel on `https://127.0.0.1` (outside Development the hub delivers to https only; a self-signed certificate
            trusted through `SSL_CERT_FILE` by the hub and the baseline alike, `Webhooks:AllowPrivateNetworks=true`), which reads
            each body, counts it by `webhook-id` and answers 200 at once. {count:N0} tenants were signed up; their
            `tenant.provisioned` webhooks (bodies of {F(Median(bodyBytes), "N0")} bytes, median) were delivered once and their signatures
            checked with the StandardWebhooks package; then each hub round is `POST /api/admin/webhook-endpoints/{"{id}"}/replay?since=`:
            one transaction resets the endpoint's {count:N0} deliveries to pending, after the commit {count:N0} Hangfire jobs are enqueued,
            and each job loads its delivery, takes the attempt, signs and POSTs, records the attempt and the outcome. Timed from the replay
            request until the receiver has seen every message id again (then every delivery is checked `Delivered` in the database).
            So the cost is the delivery alone: no provisioning, no Alloy call. The baseline (`direct-webhooks`, its own process on the
            hub's core) POSTs the same {count:N0} bodies under the same ids with the same Standard Webhooks headers, signed at send time
            with the endpoint's secret by the StandardWebhooks package, from {profile.Workers} concurrent loops (the hub's Hangfire worker
            count) over one HttpClient configured like the hub's webhook client, after a warm-up pass of its own (up to 1,000
            messages under other ids); timed from the first request to the last answer. The hub was warmed up with {warmups}
            replay(s) besides the first delivery (at least {profile.WebhookWarmupRounds}, then until two in a row agreed within 5 %,
            at most {profile.WebhookMaxWarmupRounds}). {profile.Rounds} alternating rounds.

            | round | hub msg/s | direct msg/s | ratio | replay answered (ms) | hub core busy | hub CPU ms per message | duplicates |
            |---|---|---|---|---|---|---|---|
            {rows}

            Median ratio: **{F(ratio)}×**; the hub spent a median {F(Median(hubRounds.Select(r => r.CpuMsPerMessage)))} ms of CPU per delivered message.
            """);
    }

    private void CheckAllSeen(WebhookReceiver receiver, List<string> ids, string label, bool complete)
    {
        var missing = receiver.Missing(ids);
        if (!complete || missing.Count > 0)
        {
            report.Fail($"{label}: the receiver did not see {missing.Count} of {ids.Count} message ids (first: {missing.FirstOrDefault()}).");
        }
    }

    /// <summary>Polls the hub's database until the endpoint's <paramref name="count"/> deliveries are all Delivered; a failed or late one fails P7.</summary>
    private async Task WaitDeliveredAsync(Hub hub, string endpointId, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new SqliteConnection($"Data Source={hub.DatabasePath};Mode=ReadOnly;Pooling=True");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT SUM(State = 'Delivered'), SUM(State <> 'Delivered') FROM WebhookDeliveries WHERE EndpointId = $endpoint;";
            command.Parameters.AddWithValue("$endpoint", endpointId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var delivered = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            var other = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            if (delivered == count && other == 0)
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                report.Fail($"P7: {delivered} of {count} deliveries Delivered in the database, {other} in another state, a minute after the receiver saw them all; see {hub.Process.LogPath}.");
                return;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Warm-up of both sides until each is steady (the JIT's tiering takes a minute or more of load on one busy core),
    /// then alternating rounds (A B, B A, ...), with the hub's CPU use per run.
    /// </summary>
    private async Task<(List<Sample> A, List<Sample> B)> AlternateAsync(
        string id, Hub hub, string a, string b, Func<int, Task<WrkResult>> runA, Func<int, Task<WrkResult>> runB)
    {
        await WarmUpAsync(hub, () => runA(-1), id + " warm-up " + a);
        await WarmUpAsync(hub, () => runB(-1), id + " warm-up " + b);
        List<Sample> samplesA = [], samplesB = [];
        for (var round = 0; round < profile.Rounds; round++)
        {
            var label = $"{id} round {round + 1}/{profile.Rounds}";
            if (round % 2 == 0)
            {
                samplesA.Add(await Measure(hub, () => runA(round), $"{label} {a}", check: true));
                samplesB.Add(await Measure(hub, () => runB(round), $"{label} {b}", check: true));
            }
            else
            {
                samplesB.Add(await Measure(hub, () => runB(round), $"{label} {b}", check: true));
                samplesA.Add(await Measure(hub, () => runA(round), $"{label} {a}", check: true));
            }
        }

        return (samplesA, samplesB);
    }

    /// <summary>
    /// Warm-up runs: at least <see cref="Profile.MinWarmupRuns"/> (tiering takes about a minute of load here), then until two
    /// in a row are within 5 % of each other, at most <see cref="Profile.MaxWarmupRuns"/>.
    /// </summary>
    private async Task WarmUpAsync(Hub hub, Func<Task<WrkResult>> run, string label)
    {
        double? previous = null;
        for (var i = 1; i <= profile.MaxWarmupRuns; i++)
        {
            var sample = await Measure(hub, run, $"{label} {i}", check: false);
            var throughput = sample.Wrk.Throughput;
            if (i >= profile.MinWarmupRuns && previous is { } last && Math.Abs(throughput - last) <= 0.05 * Math.Max(throughput, last))
            {
                return;
            }

            previous = throughput;
        }
    }

    private async Task<Sample> Measure(Hub hub, Func<Task<WrkResult>> run, string label, bool check)
    {
        var cpuBefore = hub.Process.CpuTime();
        var clock = Stopwatch.StartNew();
        var result = await run();
        var cpu = (hub.Process.CpuTime() - cpuBefore).TotalMilliseconds / clock.Elapsed.TotalMilliseconds * 100;
        Progress($"{label,-32} {Wrk.Describe(result)}  hub core {F(cpu, "N0")} %");
        if (check && (result.Errors > 0 || result.Requests == 0))
        {
            report.Fail($"{label}: {result.Requests} requests, {result.Errors} errors (non-2xx, timeouts or socket errors); see {hub.Process.LogPath}.");
        }

        return new Sample(result, cpu);
    }

    private static bool IsTokenCall(string operation) => operation.EndsWith("/token", StringComparison.Ordinal);

    private static bool IsInstallationListing(string operation) => operation == "GET /installations";

    private static bool IsCreateUser(string operation) => operation is "POST /users" or "POST /users/batch";

    /// <summary>Installations and their first history entry, as the synchronizer would have stored them.</summary>
    private static async Task<int> SeedInstallationsAsync(string databasePath, List<string> tenants, int perTenant)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=60");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var installation = connection.CreateCommand();
        installation.Transaction = transaction;
        installation.CommandText =
            "INSERT INTO Installations (TenantId, Environment, InstallationId, IntegrationId, IntegrationName, Enabled, InstalledAt, FirstSeenAt, LastSyncedAt, RemovedAt) " +
            "VALUES ($tenant, 'Development', $installation, $integration, $name, $enabled, $at, $at, $at, NULL) RETURNING Id;";
        var p = InstallationParameters.Select(n => installation.Parameters.Add(n, SqliteType.Text)).ToArray();
        await using var change = connection.CreateCommand();
        change.Transaction = transaction;
        change.CommandText = "INSERT INTO InstallationChanges (InstallationRef, Kind, At, Source) VALUES ($ref, 'Installed', $at, 'Sync');";
        var changeRef = change.Parameters.Add("$ref", SqliteType.Integer);
        var changeAt = change.Parameters.Add("$at", SqliteType.Integer);
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var count = 0;
        for (var t = 0; t < tenants.Count; t++)
        {
            for (var j = 0; j < perTenant; j++)
            {
                var integration = (t + j) % 20;
                var at = origin + (count * TimeSpan.TicksPerSecond);
                p[0].Value = tenants[t];
                p[1].Value = $"bench-installation-{t}-{j}";
                p[2].Value = $"integration-{integration:00}";
                p[3].Value = $"Integration {integration:00}";
                p[4].Value = (t * 7 + j) % 5 != 0;
                p[5].Value = at;
                var id = (long)(await installation.ExecuteScalarAsync())!;
                changeRef.Value = id;
                changeAt.Value = at;
                await change.ExecuteNonQueryAsync();
                count++;
            }
        }

        await transaction.CommitAsync();
        return count;
    }

    /// <summary>
    /// Filtered, paged queries. Cursors are opaque: the ones deep in a listing are taken from the hub's own answers
    /// (the <c>nextCursor</c> after a first page of up to 500), never built here.
    /// </summary>
    private static async Task<List<string>> QueriesForAsync(Hub hub, List<string> tenants, int installations)
    {
        var random = new Random(20261128);
        async Task<string?> CursorAfterAsync(string filter, int rows)
        {
            var page = await hub.Admin.GetFromJsonAsync<JsonElement>($"api/admin/installations?{filter}&limit={Math.Clamp(rows, 1, 500)}");
            return page.GetProperty("nextCursor").GetString();
        }

        var perIntegration = installations / 20;
        var queries = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            queries.Add($"?integrationId=integration-{i * 2:00}&enabled=true&limit=50");
            queries.Add($"?tenantId={tenants[random.Next(tenants.Count)]}&limit=50");
            var integration = $"integrationId=integration-{(i * 2) + 1:00}";
            if (await CursorAfterAsync(integration, perIntegration / 2) is { } middle)
            {
                queries.Add($"?{integration}&limit=100&cursor={middle}");
            }
        }

        if (await CursorAfterAsync("enabled=false", installations / 10) is { } deep)
        {
            for (var i = 0; i < 5; i++)
            {
                queries.Add($"?enabled=false&limit=50&cursor={deep}");
            }
        }

        return queries;
    }
}
