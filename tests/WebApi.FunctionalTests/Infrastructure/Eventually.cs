namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Polls with a deadline: a fixed sleep is not a wait.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s{(because is null ? string.Empty : ": " + because)}. Last value: {value}");
            }

            await Task.Delay(100);
        }
    }
}
