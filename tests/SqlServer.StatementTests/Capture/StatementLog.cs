using System.Collections.Concurrent;
using System.Data;

namespace IntegrationHub.SqlServer.StatementTests.Capture;

/// <summary>One parameter of a captured command.</summary>
public sealed record CapturedParameter(string Name, DbType DbType, object? Value);

/// <summary>A distinct statement text, where it was first seen and the parameters it was first sent with.</summary>
public sealed record CapturedStatement(string Text, string Source, IReadOnlyList<CapturedParameter> Parameters);

/// <summary>
/// Every distinct command text sent through a <see cref="CaptureConnection"/>, labelled with what was running when it
/// was first seen (<see cref="Source"/>: a use case, an entity's save shape, the bulk insert).
/// </summary>
public sealed class StatementLog
{
    private readonly ConcurrentDictionary<string, CapturedStatement> _statements = new(StringComparer.Ordinal);
    private readonly AsyncLocal<string?> _source = new();
    private readonly ConcurrentDictionary<string, int> _commandsBySource = new(StringComparer.Ordinal);
    private int _commands;

    /// <summary>What the current flow is running (flows into the commands it sends).</summary>
    public string Source
    {
        get => _source.Value ?? "(unlabelled)";
        set => _source.Value = value;
    }

    /// <summary>How many commands were executed, repeated texts included.</summary>
    public int Commands => Volatile.Read(ref _commands);

    public IReadOnlyCollection<CapturedStatement> Statements => _statements.Values.ToList();

    /// <summary>How many commands <paramref name="source"/> executed (repeated texts and texts seen before included).</summary>
    public int CommandsFrom(string source) => _commandsBySource.GetValueOrDefault(source);

    /// <summary>The distinct statements first seen while <paramref name="source"/> ran.</summary>
    public IReadOnlyList<CapturedStatement> From(string source) => _statements.Values.Where(s => s.Source == source).ToList();

    public void Record(string text, IReadOnlyList<CapturedParameter> parameters)
    {
        Interlocked.Increment(ref _commands);
        _commandsBySource.AddOrUpdate(Source, 1, (_, n) => n + 1);
        _statements.TryAdd(text, new CapturedStatement(text, Source, parameters));
    }
}
