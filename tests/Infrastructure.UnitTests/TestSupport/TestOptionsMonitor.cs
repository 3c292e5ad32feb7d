using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.UnitTests.TestSupport;

/// <summary>An options monitor whose value a test can change between calls, as a configuration reload would.</summary>
internal sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; private set; } = value;

    public void Set(T value) => CurrentValue = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
