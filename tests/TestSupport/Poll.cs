using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The one way a test waits: probe, check, and try again until a deadline, then fail with what was last seen.
/// A fixed sleep is not a wait. Every wait honours a cancellation token: the one given, or else the running
/// test's (<see cref="TestContext.Current"/>), so that a cancelled run stops waiting at once.
/// </summary>
public static class Poll
{
    /// <summary>How long a wait lasts unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The pause between two probes unless told otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the probed value and returns that value; throws a
    /// <see cref="TimeoutException"/> naming <paramref name="because"/> and the last value after <paramref name="timeout"/>.
    /// An exception thrown by the probe ends the wait (a probe that must survive failures catches them itself).
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        string because,
        TimeSpan? timeout = null,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : TestContext.Current.CancellationToken;
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        var probes = 0;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            var value = await probe(token);
            probes++;
            if (done(value))
            {
                return value;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Not done within {limit.TotalSeconds:0.###} s ({probes} probes): {because}. Last seen: {Describe(value)}"));
            }

            await Task.Delay(interval ?? DefaultInterval, token);
        }
    }

    /// <inheritdoc cref="UntilAsync{T}(Func{CancellationToken, Task{T}}, Func{T, bool}, string, TimeSpan?, TimeSpan?, CancellationToken)"/>
    public static Task<T> UntilAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        string because,
        TimeSpan? timeout = null,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return UntilAsync(_ => probe(), done, because, timeout, interval, cancellationToken);
    }

    /// <summary>Waits until <paramref name="condition"/> holds (a condition read from memory, e.g. a counter or a log).</summary>
    public static Task UntilAsync(
        Func<bool> condition,
        string because,
        TimeSpan? timeout = null,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(_ => Task.FromResult(condition()), held => held, because, timeout, interval, cancellationToken);
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        JsonElement json => json.GetRawText(),
        string text => '"' + text + '"',
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
