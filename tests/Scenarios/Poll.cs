namespace IntegrationHub.Scenarios;

/// <summary>Polls with a deadline: a fixed sleep is not a wait.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string because, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not done within {timeout.TotalSeconds} s: {because}. Last value: {value}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
