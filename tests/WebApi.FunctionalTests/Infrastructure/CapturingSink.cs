using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Keeps every log event of a hub (all levels): message, properties and exception, as text.</summary>
public sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<LogEventLevel, int> _levels = new();

    public int Count => _events.Count;

    /// <summary>How many events of <paramref name="level"/> were captured.</summary>
    public int CountAt(LogEventLevel level) => _levels.GetValueOrDefault(level);

    /// <summary>The events captured after the first <paramref name="count"/> (take <see cref="Count"/> before acting).</summary>
    public IReadOnlyList<string> Since(int count) => _events.Skip(count).ToList();

    public void Emit(LogEvent logEvent)
    {
        _levels.AddOrUpdate(logEvent.Level, 1, (_, count) => count + 1);
        var properties = string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _events.Enqueue($"{logEvent.Level} {logEvent.RenderMessage(CultureInfo.InvariantCulture)} {properties} {logEvent.Exception}");
    }

    /// <summary>Every captured event that contains any of <paramref name="secrets"/> (ordinal).</summary>
    public IReadOnlyList<string> Containing(IEnumerable<string> secrets)
    {
        var list = secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
        return _events.Where(e => list.Any(s => e.Contains(s, StringComparison.Ordinal))).ToList();
    }
}
