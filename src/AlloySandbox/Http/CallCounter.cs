using System.Runtime.CompilerServices;
using System.Collections.Concurrent;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>Calls per operation key (<c>POST /users</c>), failed and faulted ones included.</summary>
internal sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _calls = new(StringComparer.Ordinal);

    public void Increment(string key) => Interlocked.Increment(ref _calls.GetOrAdd(key, static _ => new StrongBox<long>()).Value);

    public IReadOnlyDictionary<string, long> Snapshot() =>
        new SortedDictionary<string, long>(_calls.ToDictionary(c => c.Key, c => Interlocked.Read(ref c.Value.Value), StringComparer.Ordinal), StringComparer.Ordinal);

    public void Clear() => _calls.Clear();
}
