using Microsoft.Extensions.Options;

namespace IntegrationHub.TestSupport;

/// <summary>
/// An options monitor whose value a test sets, and changes between calls as a configuration reload would:
/// <see cref="Set"/> notifies the listeners registered through <see cref="OnChange"/>, like the real monitor.
/// </summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    private readonly Lock _gate = new();
    private readonly List<Action<T, string?>> _listeners = [];

    public T CurrentValue { get; private set; } = value;

    /// <summary>Replaces the value and tells every listener, as a reload does.</summary>
    public void Set(T value)
    {
        Action<T, string?>[] listeners;
        lock (_gate)
        {
            CurrentValue = value;
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener(value, Options.DefaultName);
        }
    }

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return new Registration(this, listener);
    }

    private sealed class Registration(TestOptionsMonitor<T> monitor, Action<T, string?> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (monitor._gate)
            {
                monitor._listeners.Remove(listener);
            }
        }
    }
}
