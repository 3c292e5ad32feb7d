using System.Text;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>One file that collects the output of every child process, each line tagged with its source.</summary>
public sealed class LogFile : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;

    public LogFile(string path)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };
    }

    public string Path { get; }

    public void Write(string source, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{source}] {line}");
        }
    }

    /// <summary>The last lines written, for a failure message.</summary>
    public string Tail(int lines = 60)
    {
        lock (_gate)
        {
            _writer.Flush();
        }

        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var queue = new Queue<string>(lines);
        while (reader.ReadLine() is { } line)
        {
            if (queue.Count == lines)
            {
                queue.Dequeue();
            }

            queue.Enqueue(line);
        }

        return string.Join(Environment.NewLine, queue);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
