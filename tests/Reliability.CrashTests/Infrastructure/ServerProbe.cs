namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

public static class ServerProbe
{
    /// <summary>Polls <paramref name="path"/> until it answers 2xx; fails early if the process has exited.</summary>
    public static async Task WaitUntilAnswersAsync(
        ChildProcess process, HttpClient http, string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        await Poll.UntilAsync(
            async ct =>
            {
                if (process.HasExited)
                {
                    throw new ChildProcessExitedException($"pid {process.Id} exited before {path} answered.");
                }

                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    attempt.CancelAfter(TimeSpan.FromSeconds(5));
                    using var response = await http.GetAsync(path, attempt.Token);
                    return (Answered: response.IsSuccessStatusCode, Seen: $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    return (Answered: false, Seen: ex.GetType().Name + ": " + ex.Message);
                }
            },
            probe => probe.Answered,
            $"{path} to answer 2xx",
            timeout,
            cancellationToken: cancellationToken);
}

public sealed class ChildProcessExitedException(string message) : Exception(message);
