using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Bench;

/// <summary>
/// <c>bench/run.sh --scale</c> (not in CI): how the hub's cost grows with the number of customers. For 10,000 and then
/// 100,000 tenants with 5 installations each, seeded with SQL into the hub's database and through
/// <c>POST /_sandbox/seed</c> into the sandbox (the same ids, so a sync finds nothing changed), it measures the
/// installation sync, the CSV export, the admin query at the deep end, the token endpoint's memory per remembered
/// tenant and one reconciler pass over 10 % due accounts, and writes bench/results/scale.md with the 10k and 100k
/// figures side by side (goal: every 100k figure at most about 10× its 10k figure, hub RSS under 500 MB throughout).
/// </summary>
internal static class Scale
{
    public const string Flag = "--scale";

    private const int InstallationsPerTenant = 5;
    private const int ServerCpu = 0;
    private const int LoadCpu = 1;
    private const long RssBudget = 500L * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var outIndex = Array.IndexOf(args, "--out");
        var layout = Layout.Find("scale");
        var output = outIndex >= 0 && outIndex + 1 < args.Length
            ? Path.GetFullPath(args[outIndex + 1])
            : Path.Combine(layout.Root, "bench", "results", "scale.md");
        var sizes = args.Contains("--scale-small") ? new[] { 1_000, 10_000 } : new[] { 10_000, 100_000 };
        var clock = Stopwatch.StartNew();
        var credentials = new Credentials();
        var results = new List<ScaleFigures>();
        var failures = new List<string>();
        Progress(clock, $"scale run: {string.Join(" and ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} tenants × {InstallationsPerTenant}; logs and databases in {layout.RunFolder}");
        try
        {
            await using var sandbox = await Sandbox.StartAsync(layout, LoadCpu);
            foreach (var tenants in sizes)
            {
                results.Add(await MeasureAsync(layout, sandbox, credentials, tenants, clock, failures));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or SqliteException or TaskCanceledException)
        {
            failures.Add($"The run stopped: {ex.Message}");
        }

        var markdown = Write(results, failures, clock.Elapsed);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine(markdown);
        Console.WriteLine($"Written to {output}");
        return failures.Count == 0 && results.Count == sizes.Length ? 0 : 1;
    }

    private static async Task<ScaleFigures> MeasureAsync(
        Layout layout, Sandbox sandbox, Credentials credentials, int tenants, Stopwatch clock, List<string> failures)
    {
        var prefix = "s" + tenants.ToString(CultureInfo.InvariantCulture);
        await sandbox.ResetAsync();
        using var seeded = await sandbox.Control.PostAsJsonAsync("seed", new { prefix, users = tenants, installationsPerUser = InstallationsPerTenant });
        seeded.EnsureSuccessStatusCode();
        var seed = await seeded.Content.ReadFromJsonAsync<JsonElement>();
        var integrations = seed.GetProperty("integrations").EnumerateArray()
            .Select(i => (Id: i.GetProperty("integrationId").GetString()!, Name: i.GetProperty("name").GetString()!)).ToList();
        var installedAt = DateTimeOffset.Parse(seed.GetProperty("installedAt").GetString()!, CultureInfo.InvariantCulture);

        await using var hub = await Hub.StartAsync(layout, "scale-" + prefix, ServerCpu, sandbox, credentials, "All", 20, new Dictionary<string, string>
        {
            // As in production: the full ANALYZE hourly; PRAGMA optimize on its (short) interval must notice the intake.
            ["Database__AnalyzeInterval"] = "01:00:00",
            ["Database__OptimizeInterval"] = "00:00:05",
            ["Tokens__ReuseWindow"] = "00:20:00",
        });
        var figures = new ScaleFigures(tenants);
        Progress(clock, $"{prefix}: hub ready (pid {hub.Process.Pid}); seeding {tenants:N0} tenants and {tenants * InstallationsPerTenant:N0} installations with SQL");
        var intake = Stopwatch.StartNew();
        var installations = await SeedDatabaseAsync(hub.DatabasePath, prefix, tenants, integrations, installedAt);
        await hub.WaitForStatisticsAsync(installations, TimeSpan.FromMinutes(2));
        figures.StatisticsAfterIntakeS = intake.Elapsed.TotalSeconds;
        Progress(clock, $"{prefix}: seeded; the hub's PRAGMA optimize had statistics over them {figures.StatisticsAfterIntakeS:N1} s after the intake began");

        // 1. The installation sync, nothing changed.
        var callsBefore = await sandbox.CallsAsync();
        var (sync, syncPeak) = await WithPeakRssAsync(hub, () => PostRunAsync(hub, "_bench/scale/sync"));
        var calls = Subtract(await sandbox.CallsAsync(), callsBefore);
        figures.SyncS = sync.GetProperty("elapsedMs").GetDouble() / 1000;
        figures.SyncCommands = sync.GetProperty("commands").GetInt64();
        figures.SyncPeakRss = syncPeak;
        figures.SyncUpstreamCalls = calls.Values.Sum();
        figures.SyncUpstream = string.Join(", ", calls.Where(c => c.Value > 0).Select(c => $"{c.Key} ×{c.Value}"));
        if (sync.GetProperty("error").ValueKind == JsonValueKind.String || sync.GetProperty("installations").GetInt32() != installations)
        {
            failures.Add($"{prefix}: the sync answered {sync}; expected {installations} installations listed.");
        }

        var changed = await CountAsync(hub.DatabasePath, "SELECT COUNT(*) FROM InstallationChanges;");
        if (changed != installations)
        {
            failures.Add($"{prefix}: the sync of an unchanged account wrote history ({changed} changes for {installations} installations).");
        }

        Progress(clock, $"{prefix}: sync {figures.SyncS:N2} s, {figures.SyncCommands:N0} SQL commands, peak RSS {Mb(figures.SyncPeakRss)} MB, upstream {figures.SyncUpstream}");

        // 2. One tenant's refresh (the frontend's, after the modal): Alloy lists the whole account each time.
        var refreshRssBefore = hub.Process.Memory().Current;
        var (refreshMedian, refreshPeak) = await WithPeakRssAsync(hub, () => RefreshMedianAsync(hub, credentials, prefix, tenants));
        figures.RefreshMedianMs = refreshMedian;
        figures.RefreshRssGrowth = refreshPeak - refreshRssBefore;
        figures.RefreshRssAfter = hub.Process.Memory().Current;
        Progress(clock, $"{prefix}: refresh of one tenant, median {figures.RefreshMedianMs:N1} ms; RSS {Mb(refreshRssBefore)} → {Mb(figures.RefreshRssAfter)} MB (peak +{Mb(figures.RefreshRssGrowth)} MB)");

        // 3. The CSV export of all installations.
        var rssBefore = hub.Process.Memory().Current;
        var exportClock = Stopwatch.StartNew();
        var ((rows, bytes), exportPeak) = await WithPeakRssAsync(hub, () => ExportCsvAsync(hub));
        figures.CsvS = exportClock.Elapsed.TotalSeconds;
        figures.CsvRssGrowth = exportPeak - rssBefore;
        figures.CsvPeakRss = exportPeak;
        if (rows != installations)
        {
            failures.Add($"{prefix}: the CSV export had {rows} data lines for {installations} installations.");
        }

        Progress(clock, $"{prefix}: CSV export {rows:N0} rows, {bytes / 1024 / 1024:N0} MiB in {figures.CsvS:N2} s; RSS +{Mb(figures.CsvRssGrowth)} MB at peak");

        // 3. The admin paged query at the deep end.
        figures.DeepP95Ms = await DeepQueryP95Async(hub, integrations[0].Id);
        Progress(clock, $"{prefix}: admin query at the deep end p95 {figures.DeepP95Ms:N2} ms");

        // 4. The token endpoint's memory per remembered tenant.
        var tokenRssBefore = hub.Process.Memory().Current;
        var (tokenFailures, tokenPeak) = await WithPeakRssAsync(hub, () => TouchEveryTenantAsync(hub, credentials, prefix, tenants));
        var tokenRssAfter = hub.Process.Memory().Current;
        figures.TokenBytesPerTenant = (double)(tokenRssAfter - tokenRssBefore) / tenants;
        figures.TokenPeakRss = tokenPeak;
        if (tokenFailures > 0)
        {
            failures.Add($"{prefix}: {tokenFailures} token requests did not answer 200.");
        }

        Progress(clock, $"{prefix}: tokens for every tenant; RSS {Mb(tokenRssBefore)} → {Mb(tokenRssAfter)} MB ({figures.TokenBytesPerTenant:N0} B per tenant)");

        // 5. One reconciler pass over 10 % due accounts.
        var due = await MakeDueAsync(hub.DatabasePath);
        var reconcile = await PostRunAsync(hub, "_bench/scale/reconcile");
        figures.ReconcileMs = reconcile.GetProperty("elapsedMs").GetDouble();
        figures.ReconcileCommands = reconcile.GetProperty("commands").GetInt64();
        figures.ReconcileEnqueued = reconcile.GetProperty("count").GetInt32();
        figures.ReconcileDue = due;
        Progress(clock, $"{prefix}: reconciler pass over {due:N0} due accounts: {figures.ReconcileMs:N1} ms, {figures.ReconcileCommands} SQL commands, {figures.ReconcileEnqueued:N0} enqueued");

        figures.HubPeakRss = hub.Process.Memory().Peak;
        if (figures.HubPeakRss >= RssBudget)
        {
            failures.Add($"{prefix}: the hub's peak RSS was {Mb(figures.HubPeakRss)} MB (budget 500 MB).");
        }

        return figures;
    }

    /// <summary>Tenants, provisioned accounts (user <c>{prefix}-u{n}</c>, as the sandbox seeded), installations and their first history entry, in one transaction.</summary>
    private static async Task<int> SeedDatabaseAsync(
        string databasePath, string prefix, int tenants, List<(string Id, string Name)> integrations, DateTimeOffset installedAt)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=120");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        await using var tenant = Command(connection, transaction,
            "INSERT INTO Tenants (TenantId, Name, CreatedAt, DeletedAt) VALUES ($t, $t, $at, NULL);", "$t", "$at");
        await using var account = Command(connection, transaction,
            "INSERT INTO AlloyAccounts (TenantId, Environment, State, UserId, Username, Attempts, ConcurrencyStamp, CreatedAt, ProvisionedAt, NextAttemptAt, LastError, DeprovisionedAt) " +
            "VALUES ($t, 'Development', 'Provisioned', $u, $name, 1, $stamp, $at, $at, NULL, NULL, NULL);", "$t", "$u", "$name", "$stamp", "$at");
        await using var installation = Command(connection, transaction,
            "INSERT INTO Installations (TenantId, Environment, InstallationId, IntegrationId, IntegrationName, Enabled, InstalledAt, FirstSeenAt, LastSyncedAt, RemovedAt) " +
            "VALUES ($t, 'Development', $i, $integration, $name, 1, $installed, $at, $at, NULL) RETURNING Id;", "$t", "$i", "$integration", "$name", "$installed", "$at");
        await using var change = Command(connection, transaction,
            "INSERT INTO InstallationChanges (InstallationRef, Kind, At, Source) VALUES ($ref, 'Installed', $at, 'Sync');", "$ref", "$at");
        var count = 0;
        for (var n = 0; n < tenants; n++)
        {
            var tenantId = $"{prefix}-t{n}";
            Set(tenant, tenantId, created);
            await tenant.ExecuteNonQueryAsync();
            Set(account, tenantId, $"{prefix}-u{n}", tenantId, Guid.NewGuid().ToString().ToUpperInvariant(), created);
            await account.ExecuteNonQueryAsync();
            for (var k = 0; k < InstallationsPerTenant; k++)
            {
                var (integrationId, name) = integrations[k % integrations.Count];
                Set(installation, tenantId, $"{prefix}-i{n}-{k}", integrationId, name, installedAt.UtcTicks, created);
                var id = (long)(await installation.ExecuteScalarAsync())!;
                Set(change, id, created);
                await change.ExecuteNonQueryAsync();
                count++;
            }
        }

        await transaction.CommitAsync();
        return count;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private static void Set(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static async Task<long> CountAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every tenth provisioned account becomes Pending and due now, as after a lost job store.</summary>
    private static async Task<int> MakeDueAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=60;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE AlloyAccounts SET State = 'Pending', NextAttemptAt = $at WHERE Id % 10 = 0;";
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.AddMinutes(-1).UtcTicks);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<JsonElement> PostRunAsync(Hub hub, string path)
    {
        using var client = new HttpClient { BaseAddress = hub.BaseUrl, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", hub.Admin.DefaultRequestHeaders.GetValues("X-Api-Key").First());
        using var response = await client.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Runs <paramref name="work"/> while sampling the hub's RSS every 20 ms; answers its result and the highest sample.</summary>
    private static async Task<(T Result, long PeakRss)> WithPeakRssAsync<T>(Hub hub, Func<Task<T>> work)
    {
        var peak = hub.Process.Memory().Current;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, hub.Process.Memory().Current);
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var result = await work();
        await stop.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, hub.Process.Memory().Current));
    }

    private static async Task<(long Rows, long Bytes)> ExportCsvAsync(Hub hub)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/installations");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await hub.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long lines = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (lines - 1, bytes); // the header line
    }

    /// <summary>Pages of 100 from cursors at the end of the table (no filter, by integration, enabled only): 40 warm-up, then 300 timed, one at a time.</summary>
    private static async Task<double> DeepQueryP95Async(Hub hub, string integrationId)
    {
        var last = await CountAsync(hub.DatabasePath, "SELECT MAX(Id) FROM Installations;");
        var queries = new List<string>();
        for (var back = 150; back <= 1650; back += 300)
        {
            var cursor = EncodeCursor(last - back);
            queries.Add($"api/admin/installations?limit=100&cursor={cursor}");
            queries.Add($"api/admin/installations?integrationId={integrationId}&limit=100&cursor={cursor}");
            queries.Add($"api/admin/installations?enabled=true&limit=100&cursor={cursor}");
        }

        var timings = new List<double>();
        for (var i = 0; i < 340; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await hub.Admin.GetAsync(queries[i % queries.Count]);
            await response.Content.LoadIntoBufferAsync();
            response.EnsureSuccessStatusCode();
            if (i >= 40)
            {
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        return timings[(int)Math.Ceiling(timings.Count * 0.95) - 1];
    }

    /// <summary>Refreshes of different tenants, one at a time: 5 warm-up, then 20 timed; the median in ms.</summary>
    private static async Task<double> RefreshMedianAsync(Hub hub, Credentials credentials, string prefix, int tenants)
    {
        using var client = new HttpClient { BaseAddress = hub.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var timings = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var tenantId = $"{prefix}-t{(i * 7919) % tenants}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{tenantId}/installations/refresh");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.MemberJwt(tenantId));
            var clock = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The refresh of {tenantId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            if (i >= 5)
            {
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        return (timings[(timings.Count / 2) - 1] + timings[timings.Count / 2]) / 2;
    }

    /// <summary>The hub's keyset cursor: the last row id, big-endian, base64url.</summary>
    private static string EncodeCursor(long lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, lastId);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>One token request per tenant (each a first: the hub mints and remembers it), 32 at a time.</summary>
    private static async Task<int> TouchEveryTenantAsync(Hub hub, Credentials credentials, string prefix, int tenants)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = hub.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var n && n < tenants)
            {
                var tenantId = $"{prefix}-t{n}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenants/{tenantId}/alloy-token");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.MemberJwt(tenantId));
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return failed;
    }

    private static Dictionary<string, long> Subtract(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key), StringComparer.Ordinal);

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture);

    private static void Progress(Stopwatch clock, string message) =>
        Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");

    private static string Write(List<ScaleFigures> results, List<string> failures, TimeSpan elapsed)
    {
        static string F(double value, string format = "N2") => value.ToString(format, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine("# Scale results");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Written by `bench/run.sh --scale` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC ({F(elapsed.TotalMinutes, "N1")} min), commit {Git("rev-parse --short HEAD")}.");
        text.AppendLine("Absolute figures from a shared 2-core machine: the ratio between the two sizes is what this page is for.");
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- CPU: {CpuModel()}, {File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal))} cores; OS: {RuntimeInformation.OSDescription}; .NET {Environment.Version}");
        text.AppendLine("- The hub (benchmark host, Release, SQLite in WAL, 20 Hangfire workers) pinned to core 0; the sandbox and this driver to core 1; the sandbox answers at once (no latency)");
        text.AppendLine();
        if (results.Count == 0)
        {
            text.AppendLine("No size completed.");
        }
        else
        {
            var small = results[0];
            var large = results[^1];
            var ratio = large.Tenants / (double)small.Tenants;
            text.AppendLine("## Figures");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"| figure | {small.Tenants:N0} tenants | {large.Tenants:N0} tenants | growth | goal | |");
            text.AppendLine("|---|---|---|---|---|---|");
            // under: an absolute bound at both sizes instead of the growth bound (the CSV export's memory: it streams).
            void Row(string what, double a, double b, string unit, string format = "N2", bool rss = false, double? under = null)
            {
                var growth = a > 0 ? b / a : double.NaN;
                var met = under is { } bound ? Math.Max(a, b) < bound
                    : rss ? Math.Max(a, b) < RssBudget / 1024.0 / 1024.0 : growth <= ratio * 1.1 || b <= a;
                var goal = under is { } limit ? $"< {F(limit, "N0")} {unit}" : rss ? "< 500 MB" : $"≤ ~{F(ratio, "N0")}×";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {F(a, format)} {unit} | {F(b, format)} {unit} | {(double.IsNaN(growth) ? "–" : F(growth) + "×")} | {goal} | {(met ? "met" : "**missed**")} |");
            }

            static double MbOf(long bytes) => bytes / 1024.0 / 1024.0;
            Row("installation sync, nothing changed: duration", small.SyncS, large.SyncS, "s");
            Row("installation sync: SQL commands", small.SyncCommands, large.SyncCommands, "", "N0");
            Row("installation sync: upstream calls (sandbox stats)", small.SyncUpstreamCalls, large.SyncUpstreamCalls, "", "N0");
            Row("installation sync: peak hub RSS", MbOf(small.SyncPeakRss), MbOf(large.SyncPeakRss), "MB", "N0", rss: true);
            Row("one tenant's refresh (lists the whole account): median", small.RefreshMedianMs, large.RefreshMedianMs, "ms", "N1");
            Row("20 refreshes: hub RSS growth at peak", MbOf(small.RefreshRssGrowth), MbOf(large.RefreshRssGrowth), "MB", "N0");
            Row("hub RSS after the refreshes", MbOf(small.RefreshRssAfter), MbOf(large.RefreshRssAfter), "MB", "N0", rss: true);
            Row("reconciler pass over 10 % due accounts: duration", small.ReconcileMs, large.ReconcileMs, "ms", "N1");
            Row("reconciler pass: SQL commands", small.ReconcileCommands, large.ReconcileCommands, "", "N0");
            Row("CSV export of all installations: duration", small.CsvS, large.CsvS, "s");
            Row("CSV export: hub RSS growth at peak", MbOf(small.CsvRssGrowth), MbOf(large.CsvRssGrowth), "MB", "N0", under: 50);
            Row("CSV export: peak hub RSS", MbOf(small.CsvPeakRss), MbOf(large.CsvPeakRss), "MB", "N0", rss: true);
            Row("token endpoint: RSS per remembered tenant", small.TokenBytesPerTenant, large.TokenBytesPerTenant, "B", "N0");
            Row("token pass: peak hub RSS", MbOf(small.TokenPeakRss), MbOf(large.TokenPeakRss), "MB", "N0", rss: true);
            Row("admin paged query at the deep end: p95", small.DeepP95Ms, large.DeepP95Ms, "ms");
            Row("hub peak RSS over the whole size (VmHWM)", MbOf(small.HubPeakRss), MbOf(large.HubPeakRss), "MB", "N0", rss: true);
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Upstream calls of the sync: {small.Tenants:N0}: {small.SyncUpstream}; {large.Tenants:N0}: {large.SyncUpstream}.");
            text.AppendLine(CultureInfo.InvariantCulture, $"Planner statistics current after the intake (PRAGMA optimize every 5 s here): {F(small.StatisticsAfterIntakeS, "N1")} s and {F(large.StatisticsAfterIntakeS, "N1")} s after the seeding began (seeding included).");
            text.AppendLine(CultureInfo.InvariantCulture, $"Reconciler: {small.ReconcileDue:N0} and {large.ReconcileDue:N0} accounts made due; the pass enqueued {small.ReconcileEnqueued:N0} and {large.ReconcileEnqueued:N0} (at most `Provisioning:ReconcilerBatchSize` a pass).");
        }

        if (failures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Failures");
            text.AppendLine();
            foreach (var failure in failures)
            {
                text.AppendLine("- " + failure);
            }
        }

        text.AppendLine();
        text.AppendLine("""
            ## Method

            Each size runs on a fresh hub and a reset sandbox. `POST /_sandbox/seed` adds the Alloy users `{prefix}-u{n}` with five
            enabled installations `{prefix}-i{n}-{k}` each; the driver inserts the same tenants, provisioned accounts, installations
            (with their integration names as the hub reads them) and one history entry each with SQL into the running hub's database,
            in one transaction, as a large intake would. The hub runs with its production statistics settings except
            `Database:OptimizeInterval` = 5 s: the driver waits until SQLite's `sqlite_stat1` covers the new rows (the hub's own
            `PRAGMA optimize`, not a restart or a forced `ANALYZE`).

            **Sync**: `POST /_bench/scale/sync` (benchmark host only, admin key) runs the installation sync in the hub and answers its
            duration and the SQL commands it issued (EF Core's `CommandExecuted` diagnostic events of that request's flow). The
            hub's RSS is sampled every 20 ms during the call; the sandbox's `/_sandbox/stats` counts the upstream calls. Nothing
            changed, so the run must write no history (checked).
            **Refresh**: `POST /api/tenants/{id}/installations/refresh` of 25 different tenants one at a time (a member JWT each;
            Alloy lists the whole account every time), median of the last 20; RSS growth at peak and RSS after.
            **CSV export**: `GET /api/admin/installations` with `Accept: text/csv`, read to the end; duration, and the highest RSS
            sampled during it minus the RSS before it.
            **Admin query at the deep end**: pages of 100 from cursors 150 to 1,650 rows before the end of the table (no filter, by
            integration, `enabled=true`), one request at a time: 40 warm-up, 300 timed, p95.
            **Token memory**: one `POST /api/tenants/{id}/alloy-token` per tenant (a member JWT each; every one a first, so the hub
            mints and remembers a token per tenant), 32 at a time; RSS after minus RSS before, divided by the tenants.
            **Reconciler**: every tenth account is set Pending and due with SQL, then `POST /_bench/scale/reconcile` runs one
            reconciler pass (duration and SQL commands as for the sync).
            """);
        return text.ToString();
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private sealed class ScaleFigures(int tenants)
    {
        public int Tenants { get; } = tenants;

        public double StatisticsAfterIntakeS { get; set; }

        public double SyncS { get; set; }

        public long SyncCommands { get; set; }

        public long SyncPeakRss { get; set; }

        public long SyncUpstreamCalls { get; set; }

        public string SyncUpstream { get; set; } = string.Empty;

        public double RefreshMedianMs { get; set; }

        public long RefreshRssGrowth { get; set; }

        public long RefreshRssAfter { get; set; }

        public double CsvS { get; set; }

        public long CsvRssGrowth { get; set; }

        public long CsvPeakRss { get; set; }

        public double DeepP95Ms { get; set; }

        public double TokenBytesPerTenant { get; set; }

        public long TokenPeakRss { get; set; }

        public double ReconcileMs { get; set; }

        public long ReconcileCommands { get; set; }

        public int ReconcileEnqueued { get; set; }

        public int ReconcileDue { get; set; }

        public long HubPeakRss { get; set; }
    }
}
