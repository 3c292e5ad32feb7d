using System.Diagnostics;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// The real WebApi as a child process on a SQLite file, pointed at a standalone sandbox, with in-memory Hangfire (the
/// default): every kill loses the job store, and only the database and the reconciler carry the work over. Every
/// start uses the same port and the same database file.
/// </summary>
public sealed class HubProcess(string databasePath, Uri alloyBaseAddress, LogFile log, IReadOnlyDictionary<string, string>? settings = null) : IDisposable
{
    /// <summary>Development keys from appsettings.Development.json (their SHA-256 hashes are configured there).</summary>
    public const string ServiceKey = "dev-service-key";

    public const string AdminKey = "dev-admin-key";

    private ChildProcess? _process;
    private int _port;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    /// <summary>How many times the hub was started.</summary>
    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the hub and waits until <c>/health/ready</c> answers; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The hub is already running.");
        }

        var firstStart = _port == 0;
        for (var attempt = 1; ; attempt++)
        {
            if (firstStart)
            {
                _port = FreePort.Next();
            }

            Starts++;
            var clock = Stopwatch.StartNew();
            _process?.Dispose();
            _process = ChildProcess.Start($"hub#{Starts}", AppPaths.WebApi, ["--urls", BaseAddress.ToString().TrimEnd('/')], Environment(), log);
            using var http = new HttpClient { BaseAddress = BaseAddress };
            try
            {
                await ServerProbe.WaitUntilAnswersAsync(_process, http, "/health/ready", TimeSpan.FromSeconds(60), cancellationToken);
                return clock.Elapsed;
            }
            catch (ChildProcessExitedException) when (firstStart && attempt < 3)
            {
                // The port was taken between our probe and the hub's bind: try another one.
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, in-flight requests and jobs cut wherever they are.</summary>
    public void Kill() => _process?.Kill();

    public HttpClient CreateClient(string apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public void Dispose() => _process?.Dispose();

    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Hub"] = $"Data Source={databasePath}",
            ["Database__Provider"] = "Sqlite",
            ["Hangfire__Storage"] = "InMemory",
            ["Alloy__Sandbox"] = "false",
            ["Alloy__BaseUrl"] = alloyBaseAddress.ToString().TrimEnd('/'),
            ["Alloy__ApiKey"] = SandboxClient.DevelopmentKey,
            ["Alloy__Environment"] = "Development",
            ["Hangfire__SchedulePollingInterval"] = "00:00:00.500",
            ["Provisioning__Lease"] = "00:00:03",
            ["Provisioning__BaseDelay"] = "00:00:00.200",
            ["Provisioning__MaxDelay"] = "00:00:02",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
