using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Scenarios;

/// <summary>
/// The hub (or the standalone sandbox) as a real child process: <c>dotnet IntegrationHub.WebApi.dll [args]</c> from
/// the WebApi's build output, configured through environment variables exactly as a container is. Output is kept
/// (bounded) for assertions and failure messages. Disposing kills the process tree if it is still running.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private const int MaxLines = 5000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubProcess(string name, Process process, Uri? baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    /// <summary>Where it listens (null for commands that serve nothing).</summary>
    public Uri? BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far (stdout and stderr interleaved), newest last.</summary>
    public string Output => string.Join('\n', _lines);

    public IReadOnlyList<string> OutputLines => _lines.ToList();

    /// <summary>Starts the hub listening on a free loopback port.</summary>
    public static HubProcess StartHub(string name, IDictionary<string, string?> environment) =>
        Start(name, BuildOutput.WebApiDll, environment, listen: true);

    /// <summary>Starts the standalone Alloy sandbox listening on a free loopback port.</summary>
    public static HubProcess StartSandbox(string name, IDictionary<string, string?> environment) =>
        Start(name, BuildOutput.SandboxDll, environment, listen: true);

    /// <summary>Runs a hub command (<c>migrate</c>, <c>healthcheck</c>): no listening port is assigned.</summary>
    public static HubProcess StartCommand(string name, IDictionary<string, string?> environment, params string[] args) =>
        Start(name, BuildOutput.WebApiDll, environment, listen: false, args);

    /// <summary>Starts a hub from another build output (a publish folder), listening on a free loopback port.</summary>
    public static HubProcess StartHubFrom(string name, string dll, IDictionary<string, string?> environment) =>
        Start(name, dll, environment, listen: true);

    /// <summary>Runs a command of the standalone sandbox (<c>healthcheck</c>).</summary>
    public static HubProcess StartSandboxCommand(string name, IDictionary<string, string?> environment, params string[] args) =>
        Start(name, BuildOutput.SandboxDll, environment, listen: false, args);

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress ?? throw new InvalidOperationException($"{Name} does not listen."), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Waits until <paramref name="path"/> answers 2xx; fails early with the output if the process exits.</summary>
    public async Task WaitUntilHealthyAsync(string path = "/health/live", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(2);
        try
        {
            await Poll.UntilAsync(
                async ct =>
                {
                    if (_process.HasExited)
                    {
                        throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before {path} answered.\n{Output}");
                    }

                    try
                    {
                        using var response = await client.GetAsync(path, ct);
                        return (Healthy: response.IsSuccessStatusCode, Seen: $"{(int)response.StatusCode}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        return (Healthy: false, Seen: ex.GetType().Name + ": " + ex.Message); // not listening yet
                    }
                },
                answer => answer.Healthy,
                $"{Name}: {path} to answer 2xx",
                timeout ?? TimeSpan.FromSeconds(60),
                TimeSpan.FromMilliseconds(200),
                cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Output}", ex);
        }
    }

    /// <summary>Waits for the process to exit and its output to be read; kills it on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s.\n{Output}");
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            // Killed; the OS reaps it.
        }

        _process.Dispose();
    }

    /// <summary>A TCP port free on the loopback address right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HubProcess Start(string name, string dll, IDictionary<string, string?> environment, bool listen, params string[] args)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build output not found: {dll}. Build the solution first.", dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Nothing inherited may decide where it listens or which environment it is in.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Uri? baseAddress = null;
        if (listen)
        {
            baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
            info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var hub = new HubProcess(name, process, baseAddress);
        process.OutputDataReceived += (_, e) => hub.Capture(e.Data, hub._outputClosed);
        process.ErrorDataReceived += (_, e) => hub.Capture(e.Data, hub._errorClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    private void Capture(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }
}

/// <summary>Where the solution's build output is, found from the test assembly's own location.</summary>
public static class BuildOutput
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The repository root (the folder holding IntegrationHub.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string WebApiDll => Path.Combine(RepositoryRoot, "src", "WebApi", "bin", Configuration, "net10.0", "IntegrationHub.WebApi.dll");

    public static string SandboxDll => Path.Combine(RepositoryRoot, "src", "AlloySandbox", "bin", Configuration, "net10.0", "IntegrationHub.AlloySandbox.dll");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "IntegrationHub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"IntegrationHub.sln not found above {AppContext.BaseDirectory}.");
    }
}
