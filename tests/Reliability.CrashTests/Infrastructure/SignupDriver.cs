using System.Net;
using System.Net.Http.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// Plays the SaaS backend: signs every tenant up, a few at a time, and keeps retrying a signup that did not get its
/// answer (the hub was killed under it) until the hub accepts it. Signup is idempotent: the same body again is a 200.
/// </summary>
public sealed class SignupDriver(HttpClient service, IReadOnlyList<string> tenantIds, int parallelism)
{
    private int _completed;
    private int _created;
    private int _repeated;
    private int _transportFailures;
    private int _serverErrors;

    /// <summary>Signups answered 202 or 200.</summary>
    public int Completed => Volatile.Read(ref _completed);

    public int Created => Volatile.Read(ref _created);

    /// <summary>Answered 200: the hub had committed an earlier try whose answer was lost.</summary>
    public int Repeated => Volatile.Read(ref _repeated);

    /// <summary>Tries that got no answer (connection refused or reset: the hub was down or died mid-request).</summary>
    public int TransportFailures => Volatile.Read(ref _transportFailures);

    /// <summary>Tries answered 5xx (retried; reported, since a healthy hub should not answer them).</summary>
    public int ServerErrors => Volatile.Read(ref _serverErrors);

    public async Task RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        await Parallel.ForEachAsync(
            tenantIds,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (tenantId, ct) => await SignUpAsync(tenantId, deadline, ct));
    }

    private async Task SignUpAsync(string tenantId, DateTime deadline, CancellationToken cancellationToken)
    {
        var body = new { tenantId, name = NameOf(tenantId) };
        var backoff = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            string failure;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(15));
                using var response = await service.PostAsJsonAsync("/api/tenants", body, attempt.Token);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Accepted:
                        Interlocked.Increment(ref _created);
                        Interlocked.Increment(ref _completed);
                        return;
                    case HttpStatusCode.OK:
                        Interlocked.Increment(ref _repeated);
                        Interlocked.Increment(ref _completed);
                        return;
                    case HttpStatusCode.TooManyRequests:
                        failure = "429";
                        break;
                    case >= HttpStatusCode.InternalServerError:
                        Interlocked.Increment(ref _serverErrors);
                        failure = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
                        break;
                    default:
                        // 400/401/403/409: not something a crash explains. Stop the run with the hub's words.
                        throw new InvalidOperationException(
                            $"Signup of {tenantId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Interlocked.Increment(ref _transportFailures);
                failure = ex.GetType().Name + ": " + ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Signup of {tenantId} was not accepted before the deadline; last failure: {failure}");
            }

            // Retry backoff while the hub restarts (it is down for a second or two), not a wait for a condition.
            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 250));
        }
    }

    public static string NameOf(string tenantId) => $"Crash test tenant {tenantId}";
}
