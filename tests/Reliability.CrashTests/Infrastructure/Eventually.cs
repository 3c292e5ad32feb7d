namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>Polls with a deadline: a fixed sleep is not a wait.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string because,
        CancellationToken cancellationToken,
        TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe(cancellationToken);
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds} s: {because}. Last value: {value}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
