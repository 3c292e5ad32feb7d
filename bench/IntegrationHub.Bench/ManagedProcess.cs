using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Bench;

/// <summary>
/// A server (the hub, the sandbox) or tool (wrk, the direct client) started on one CPU core with <c>taskset</c>,
/// its output written to a log file. <c>taskset</c> execs the program, so <see cref="Pid"/> is the program's own.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;

    private ManagedProcess(string name, Process process, StreamWriter log, Task pump)
    {
        Name = name;
        _process = process;
        _log = log;
        _pump = pump;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = string.Empty;

    /// <param name="workingDirectory">The app's folder: ASP.NET Core reads appsettings.json from its content root, the working directory.</param>
    public static ManagedProcess Start(
        string name, int cpu, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, string workingDirectory)
    {
        var start = Pinned(cpu, program, arguments, environment, workingDirectory);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name} ({program}).");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var pump = Task.WhenAll(PumpAsync(process.StandardOutput, log), PumpAsync(process.StandardError, log));
        return new ManagedProcess(name, process, log, pump) { LogPath = logPath };
    }

    /// <summary>Runs a tool to completion on one core and returns its standard output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        int cpu, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = Pinned(cpu, program, arguments, environment ?? new Dictionary<string, string>(), workingDirectory: null);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, failing early (with the log's tail) if the process dies.</summary>
    public async Task WaitReadyAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready. Last lines of {LogPath}:\n{Tail(LogPath)}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready at {url} within {timeout.TotalSeconds} s. Last lines of {LogPath}:\n{Tail(LogPath)}");
    }

    /// <summary>Resident set size now (VmRSS) and its peak (VmHWM), in bytes.</summary>
    public (long Current, long Peak) Memory()
    {
        long current = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = KilobytesOf(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KilobytesOf(line) * 1024;
            }
        }

        return (current, peak);
    }

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first: the hub stops its jobs and flushes its audit buffer, as in production.
            using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _pump;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Tail(string path, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException ex)
        {
            return $"(could not read {path}: {ex.Message})";
        }
    }

    /// <summary><c>taskset -c CPU PROGRAM ARGS...</c> with the output redirected.</summary>
    private static ProcessStartInfo Pinned(
        int cpu, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(cpu.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static long KilobytesOf(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static async Task PumpAsync(StreamReader source, StreamWriter log)
    {
        while (await source.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
