using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>The Alloy sandbox as its own process on a loopback port: the "Alloy" that outlives every hub crash.</summary>
public sealed class SandboxProcess : IDisposable
{
    /// <summary>Accepted as a Development key by default (<c>SandboxDefaults.DevelopmentKey</c>).</summary>
    public const string DevelopmentKey = "sandbox-development-key";

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SandboxProcess(ChildProcess process, HttpClient http)
    {
        _process = process;
        _http = http;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public static async Task<SandboxProcess> StartAsync(LogFile log, CancellationToken cancellationToken)
    {
        // The port was free a moment ago; if another process took it meanwhile, the sandbox exits: pick another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ChildProcess.Start(
                "sandbox",
                AppPaths.AlloySandbox,
                ["--urls", $"http://127.0.0.1:{port}"],
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Logging__LogLevel__Default"] = "Warning" },
                log);
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                await ServerProbe.WaitUntilAnswersAsync(process, http, "/_sandbox/health", TimeSpan.FromSeconds(60), cancellationToken);
                return new SandboxProcess(process, http);
            }
            catch (ChildProcessExitedException) when (attempt < 3)
            {
                process.Dispose();
                http.Dispose();
            }
            catch
            {
                process.Dispose();
                http.Dispose();
                throw;
            }
        }
    }

    public async Task SetFaultsAsync(object faults, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync("/_sandbox/faults", faults, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<SandboxStats> StatsAsync(CancellationToken cancellationToken)
    {
        var stats = await _http.GetFromJsonAsync<JsonElement>("/_sandbox/stats", cancellationToken);
        var users = stats.GetProperty("usersByEnvironment").TryGetProperty("Development", out var count) ? count.GetInt32() : 0;
        var calls = stats.GetProperty("calls").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new SandboxStats(users, calls);
    }

    /// <summary>Every user of the Development partition (the hub's key is a development key).</summary>
    public async Task<IReadOnlyList<SandboxUser>> UsersAsync(CancellationToken cancellationToken)
    {
        var body = await _http.GetFromJsonAsync<JsonElement>("/_sandbox/users?environment=Development", cancellationToken);
        return body.GetProperty("data").EnumerateArray()
            .Select(u => new SandboxUser(u.GetProperty("userId").GetString()!, u.GetProperty("username").GetString() ?? string.Empty))
            .ToList();
    }

    public void Dispose()
    {
        _process.Dispose();
        _http.Dispose();
    }
}

public sealed record SandboxUser(string UserId, string Username);

public sealed record SandboxStats(int DevelopmentUsers, IReadOnlyDictionary<string, long> Calls)
{
    public long CallsTo(string operation) => Calls.GetValueOrDefault(operation);
}
