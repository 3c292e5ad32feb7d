namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>The Alloy sandbox as its own process on a loopback port: the "Alloy" that outlives every hub crash.</summary>
public sealed class SandboxProcess : IDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SandboxProcess(ChildProcess process, HttpClient http)
    {
        _process = process;
        _http = http;
        Client = new SandboxClient(http);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Its control API (faults, stats, users) and its Alloy API.</summary>
    public SandboxClient Client { get; }

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

    public void Dispose()
    {
        _process.Dispose();
        _http.Dispose();
    }
}
