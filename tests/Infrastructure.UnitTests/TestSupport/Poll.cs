using System.Diagnostics;

namespace IntegrationHub.Infrastructure.UnitTests.TestSupport;

internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing the test after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Not true within {limit.TotalSeconds} s: {because}.");
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
