namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

public static class ServerProbe
{
    /// <summary>Polls <paramref name="path"/> until it answers 2xx; fails early if the process has exited.</summary>
    public static async Task WaitUntilAnswersAsync(
        ChildProcess process, HttpClient http, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer yet";
        while (true)
        {
            if (process.HasExited)
            {
                throw new ChildProcessExitedException($"pid {process.Id} exited before {path} answered ({last}).");
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await http.GetAsync(path, attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = ex.GetType().Name + ": " + ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not answer 2xx within {timeout.TotalSeconds} s ({last}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}

public sealed class ChildProcessExitedException(string message) : Exception(message);
