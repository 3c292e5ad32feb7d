using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Bench;

/// <summary>Where the Release builds are and where a run writes.</summary>
internal sealed record Layout(string Root, string HubDll, string SandboxDll, string BenchDll, string WrkScript, string RunFolder)
{
    public static Layout Find(string runName)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "IntegrationHub.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
        }

        string Built(string folder, string project, string assembly)
        {
            var path = Path.Combine(root, folder, project, "bin", "Release", "net10.0", assembly + ".dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run bench/run.sh, which builds Release first.");
        }

        var run = Path.Combine(root, "bench", "results", "raw", runName);
        Directory.CreateDirectory(run);
        return new Layout(
            root,
            // The hub with the /_bench baselines: the Release WebApi run by the benchmark host (bench/IntegrationHub.Bench.Host).
            Built("bench", "IntegrationHub.Bench.Host", "IntegrationHub.Bench.Host"),
            Built("src", "AlloySandbox", "IntegrationHub.AlloySandbox"),
            typeof(Layout).Assembly.Location,
            Path.Combine(AppContext.BaseDirectory, "wrk", "requests.lua"),
            run);
    }
}

/// <summary>The standalone Alloy sandbox on the load core.</summary>
internal sealed class Sandbox : IAsyncDisposable
{
    public const string DevelopmentKey = "sandbox-development-key";

    private readonly ManagedProcess _process;

    private Sandbox(ManagedProcess process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Control = new HttpClient { BaseAddress = new Uri(baseUrl, "_sandbox/") };
    }

    public Uri BaseUrl { get; }

    public HttpClient Control { get; }

    public static async Task<Sandbox> StartAsync(Layout layout, int cpu)
    {
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var process = ManagedProcess.Start(
            "sandbox",
            cpu,
            "dotnet",
            [layout.SandboxDll, "--urls", url.ToString().TrimEnd('/')],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Benchmark", ["DOTNET_gcServer"] = "0" },
            Path.Combine(layout.RunFolder, "sandbox.log"),
            Path.GetDirectoryName(layout.SandboxDll)!);
        var sandbox = new Sandbox(process, url);
        await process.WaitReadyAsync(sandbox.Control, new Uri(url, "_sandbox/health"), TimeSpan.FromSeconds(60));
        return sandbox;
    }

    public async Task SetLatencyAsync(int milliseconds)
    {
        using var response = await Control.PutAsJsonAsync("faults", new { latencyMs = milliseconds });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Holds the next <paramref name="times"/> calls of <paramref name="method"/> <paramref name="path"/> at the sandbox's gate until <see cref="OpenGateAsync"/>.</summary>
    public async Task CloseGateAsync(string method, string path, int times)
    {
        using var response = await Control.PutAsJsonAsync("gate", new { method, path, times });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls waiting at the gate now.</summary>
    public async Task<int> HeldAtGateAsync() =>
        (await Control.GetFromJsonAsync<JsonElement>("gate")).GetProperty("held").GetInt32();

    public async Task OpenGateAsync()
    {
        using var response = await Control.DeleteAsync("gate");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Custom events (E2) the sandbox has accepted since its last reset.</summary>
    public async Task<long> ReceivedEventsAsync() =>
        (await Control.GetFromJsonAsync<JsonElement>("stats")).GetProperty("receivedEvents").GetProperty("total").GetInt64();

    public async Task ResetAsync()
    {
        using var response = await Control.PostAsync("reset", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls the sandbox has answered so far, by operation ("POST /users", "GET /users/{userId}/token", ...).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CallsAsync()
    {
        var stats = await Control.GetFromJsonAsync<JsonElement>("stats");
        return stats.GetProperty("calls").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>How many Alloy users of the Development partition have a username containing <paramref name="part"/>.</summary>
    public async Task<int> UsersContainingAsync(string part)
    {
        var body = await Control.GetFromJsonAsync<JsonElement>("users?environment=Development");
        var list = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("data");
        return list.EnumerateArray().Count(u => u.GetProperty("username").GetString()?.Contains(part, StringComparison.Ordinal) == true);
    }

    public static long Count(IReadOnlyDictionary<string, long> calls, Func<string, bool> operation) =>
        calls.Where(c => operation(c.Key)).Sum(c => c.Value);

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _process.DisposeAsync();
    }
}

/// <summary>
/// The hub as a production process would run it (Release, its own keys, a SQLite file), on the server core, started
/// through the benchmark host, which adds the /_bench baselines to the unchanged hub.
/// </summary>
internal sealed class Hub : IAsyncDisposable
{
    private Hub(ManagedProcess process, Uri baseUrl, string databasePath, Credentials credentials)
    {
        Process = process;
        BaseUrl = baseUrl;
        DatabasePath = databasePath;
        Service = Client(baseUrl, "X-Api-Key", credentials.ServiceKey);
        Admin = Client(baseUrl, "X-Api-Key", credentials.AdminKey);
    }

    public ManagedProcess Process { get; }

    public Uri BaseUrl { get; }

    public string DatabasePath { get; }

    public HttpClient Service { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// What every hub a benchmark starts is configured with: its keys, its URL, a SQLite file, the standalone sandbox as
    /// Alloy, its role and worker count.
    /// </summary>
    public static Dictionary<string, string> BaseSettings(
        Credentials credentials, Sandbox sandbox, Uri url, string database, string environment, string role, int workers) =>
        new(credentials.HubSettings())
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ConnectionStrings__Hub"] = $"Data Source={database}",
            ["Database__Provider"] = "Sqlite",
            ["Alloy__BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Alloy__ApiKey"] = Sandbox.DevelopmentKey,
            ["Alloy__Sandbox"] = "false",
            ["Alloy__Environment"] = "Development",
            ["Hub__Role"] = role,
            ["Hangfire__WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
        };

    /// <param name="keepDatabase">Start on the database an earlier hub of the same name left (else a fresh one).</param>
    public static async Task<Hub> StartAsync(Layout layout, string name, int cpu, Sandbox sandbox, Credentials credentials, string role, int workers,
        IReadOnlyDictionary<string, string>? extraSettings = null, bool keepDatabase = false)
    {
        var port = ManagedProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var database = Path.Combine(layout.RunFolder, name + ".db");
        foreach (var file in keepDatabase ? [] : new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var settings = new Dictionary<string, string>(BaseSettings(credentials, sandbox, url, database, "Benchmark", role, workers))
        {
            // The 15-minute installation sync would land inside some round at random: moved out of the run.
            ["Hangfire__InstallationSyncCron"] = "0 0 31 2 *",
            // Budgets far above what one core can serve: the limiter still runs on every request.
            ["RateLimits__TenantTokenPerMinute"] = "1000000000",
            ["RateLimits__TenantRefreshPerMinute"] = "1000000000",
            ["RateLimits__ServiceKeyPerMinute"] = "1000000000",
            // P1 measures the reuse window's hit path; 20 minutes stays inside the sandbox token's 30-minute life.
            ["Tokens__ReuseWindow"] = "00:20:00",
            // The hub refreshes SQLite's planner statistics hourly; P5's seeded rows should not wait an hour for theirs.
            ["Database__AnalyzeInterval"] = "00:00:10",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var process = ManagedProcess.Start(name, cpu, "dotnet", [layout.HubDll], settings, Path.Combine(layout.RunFolder, name + ".log"), Path.GetDirectoryName(layout.HubDll)!);
        var hub = new Hub(process, url, database, credentials);
        using var probe = new HttpClient();
        await process.WaitReadyAsync(probe, new Uri(url, "health/ready"), TimeSpan.FromSeconds(90));
        return hub;
    }

    public static HttpClient Client(Uri baseUrl, string header, string value)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        return client;
    }

    public async Task SignUpAsync(string tenantId)
    {
        using var response = await Service.PostAsJsonAsync("api/tenants", new { tenantId, name = "Bench tenant " + tenantId });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signup of {tenantId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task SignUpAllAsync(IReadOnlyList<string> tenantIds, int concurrency)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < tenantIds.Count)
            {
                await SignUpAsync(tenantIds[i]);
            }
        }));
    }

    /// <summary>Reads the hub's database (read-only, beside the running hub) for how many accounts are provisioned.</summary>
    public async Task<(long Provisioned, long Failed)> AccountStatesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=True");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT SUM(State = 'Provisioned'), SUM(State = 'Failed') FROM AlloyAccounts;";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1));
    }

    /// <summary>Waits until <paramref name="expected"/> accounts are provisioned; polls every 20 ms.</summary>
    public async Task WaitProvisionedAsync(long expected, TimeSpan timeout, Action<long>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var (provisioned, failed) = await AccountStatesAsync();
            if (provisioned >= expected)
            {
                return;
            }

            if (failed > 0)
            {
                throw new InvalidOperationException($"{failed} account(s) failed provisioning; see {Process.LogPath}.");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {provisioned} of {expected} accounts were provisioned after {timeout.TotalSeconds} s; see {Process.LogPath}.");
            }

            if (progress is not null && clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                progress(provisioned);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the hub's own statistics refresh (<c>ANALYZE</c>) has seen at least <paramref name="installations"/> rows.</summary>
    public async Task WaitForStatisticsAsync(long installations, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT stat FROM sqlite_stat1 WHERE idx = 'IX_Installations_Environment_Enabled';";
            try
            {
                if (await command.ExecuteScalarAsync() is string stat
                    && long.TryParse(stat.Split(' ')[0], CultureInfo.InvariantCulture, out var rows) && rows >= installations)
                {
                    return;
                }
            }
            catch (SqliteException)
            {
                // No sqlite_stat1 yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The hub did not refresh its SQLite statistics within {timeout.TotalSeconds} s; see {Process.LogPath}.");
    }

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        Admin.Dispose();
        await Process.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
