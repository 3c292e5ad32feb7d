using System.Diagnostics;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// A framework-dependent app run as <c>dotnet app.dll</c>, its output appended to a <see cref="LogFile"/>. Killing it
/// sends SIGKILL (no graceful shutdown: that is the experiment). Every instance is also killed when the test process
/// exits, so an aborted run never leaves a server behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    // Settings a developer's or CI's environment could carry into the child and that would change what it runs.
    private static readonly string[] InheritedSettingsToDrop = ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS", "DOTNET_HTTP_PORTS"];

    private readonly Process _process;
    private readonly string _name;
    private readonly LogFile _log;
    private bool _killed;

    private ChildProcess(Process process, string name, LogFile log)
    {
        _process = process;
        _name = name;
        _log = log;
        AppDomain.CurrentDomain.ProcessExit += OnTestProcessExit;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string entryAssembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, LogFile log)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(entryAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(entryAssembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(k => InheritedSettingsToDrop.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.Write(name, e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(name + "!", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Write(name, $"--- started pid {process.Id}: dotnet {string.Join(' ', info.ArgumentList)}");
        return new ChildProcess(process, name, log);
    }

    /// <summary>SIGKILL on Linux (TerminateProcess on Windows), then waits until the process and its output are gone.</summary>
    public void Kill()
    {
        if (_killed)
        {
            return;
        }

        _killed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnTestProcessExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            if (_process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                _process.WaitForExit(); // drains the redirected output
                _log.Write(_name, $"--- pid {_process.Id} gone (exit code {_process.ExitCode})");
            }
            else
            {
                _log.Write(_name, $"--- pid {_process.Id} did not exit within 15 s of SIGKILL");
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already disposed: nothing to kill.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnTestProcessExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>The <c>dotnet</c> that runs this test (set by the SDK), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
