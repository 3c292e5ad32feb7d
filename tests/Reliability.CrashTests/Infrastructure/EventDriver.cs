using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// Plays the SaaS backend sending application events: each event has its own client sequence number (inside
/// <c>data.clientSeq</c>, so that its arrivals at Alloy can be matched) and its own <c>Idempotency-Key</c>; some go one
/// by one (<c>POST /api/tenants/{id}/events</c>), some in batches (<c>POST /api/events</c>). A request that got no answer
/// (the hub was killed under it), a 5xx or a 429 is sent again with the same keys until the hub answers 200 or 202 for
/// every event in it: only then does an event count as accepted. A tenant is signed up just before its first event, so
/// its first events arrive while it is still being provisioned (the hub holds them).
/// </summary>
public sealed class EventDriver
{
    public const string EventName = "ticket.created";

    private readonly HttpClient _service;
    private readonly IReadOnlyList<EventUnit> _units;
    private readonly int _parallelism;
    private readonly string _runId;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _signups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, AcceptedClientEvent> _accepted = new();
    private readonly ConcurrentDictionary<int, ConcurrentBag<string>> _answeredIds = new();
    private int _repeated;
    private int _transportFailures;
    private int _serverErrors;
    private int _throttled;

    public EventDriver(HttpClient service, IReadOnlyList<EventUnit> units, int parallelism, string runId)
    {
        _service = service;
        _units = units;
        _parallelism = parallelism;
        _runId = runId;
        Total = units.Sum(u => u.Events.Count);
    }

    /// <summary>Events to send in all.</summary>
    public int Total { get; }

    /// <summary>Events the hub answered 200 or 202 for.</summary>
    public int Accepted => _accepted.Count;

    /// <summary>What the hub answered for each accepted event, by client sequence number (the first 200/202 answer).</summary>
    public IReadOnlyDictionary<int, AcceptedClientEvent> AcceptedEvents => _accepted;

    /// <summary>Every event id the hub answered for one client sequence number, retries included (one id per key when nothing is stored twice).</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> AnsweredIds =>
        _answeredIds.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Distinct(StringComparer.Ordinal)]);

    /// <summary>Events answered 200: an earlier try with the same key had been stored, its answer lost.</summary>
    public int Repeated => Volatile.Read(ref _repeated);

    /// <summary>Tries that got no answer (connection refused or reset: the hub was down or died mid-request).</summary>
    public int TransportFailures => Volatile.Read(ref _transportFailures);

    /// <summary>Tries answered 5xx (whole request, or an item of a batch).</summary>
    public int ServerErrors => Volatile.Read(ref _serverErrors);

    /// <summary>Tries answered 429.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Tenants signed up so far (each just before its first event).</summary>
    public int TenantsSignedUp => _signups.Count;

    /// <summary>The <c>data</c> of an event: a ticket, plus the run and the client sequence number that identify it at Alloy.</summary>
    public static object DataOf(string runId, int clientSeq) => new
    {
        ticketId = $"T-{clientSeq:D5}",
        subject = $"Crash test ticket {clientSeq}",
        priority = (clientSeq % 3) switch { 0 => "low", 1 => "normal", _ => "high" },
        runId,
        clientSeq,
    };

    public static string KeyOf(string runId, int clientSeq) => $"{runId}-evt-{clientSeq:D5}";

    /// <summary>Sends every unit, <c>parallelism</c> at a time, in order; fails when one is not accepted before the deadline.</summary>
    public async Task RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        await Parallel.ForEachAsync(
            _units,
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                foreach (var tenantId in unit.Events.Select(e => e.TenantId).Distinct(StringComparer.Ordinal))
                {
                    await _signups.GetOrAdd(tenantId, t => new Lazy<Task>(() => SignUpAsync(t, deadline, ct))).Value;
                }

                if (unit.Batch)
                {
                    await SendBatchAsync(unit.Events, deadline, ct);
                }
                else
                {
                    await SendOneAsync(unit.Events[0], deadline, ct);
                }
            });
    }

    private async Task SignUpAsync(string tenantId, DateTime deadline, CancellationToken cancellationToken)
    {
        var body = new { tenantId, name = SignupDriver.NameOf(tenantId) };
        await RetryAsync(
            $"signup of {tenantId}",
            deadline,
            async ct =>
            {
                using var response = await _service.PostAsJsonAsync("/api/tenants", body, ct);
                return response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK
                    ? null
                    : await FailureOrThrowAsync(response, $"Signup of {tenantId}", ct);
            },
            cancellationToken);
    }

    private async Task SendOneAsync(PlannedEvent planned, DateTime deadline, CancellationToken cancellationToken)
    {
        await RetryAsync(
            $"event {planned.ClientSeq}",
            deadline,
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{Uri.EscapeDataString(planned.TenantId)}/events")
                {
                    Content = JsonContent.Create(new { @event = EventName, data = DataOf(_runId, planned.ClientSeq) }),
                };
                request.Headers.Add("Idempotency-Key", KeyOf(_runId, planned.ClientSeq));
                using var response = await _service.SendAsync(request, ct);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                    Record(planned, (int)response.StatusCode, body);
                    return null;
                }

                return await FailureOrThrowAsync(response, $"Event {planned.ClientSeq} of {planned.TenantId}", ct);
            },
            cancellationToken);
    }

    /// <summary>Sends the batch; items refused with a 5xx or 429 are sent again (with their keys) in a smaller batch.</summary>
    private async Task SendBatchAsync(IReadOnlyList<PlannedEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        var left = events.ToList();
        await RetryAsync(
            $"batch of events {events[0].ClientSeq}..{events[^1].ClientSeq}",
            deadline,
            async ct =>
            {
                var items = left.Select(e => new
                {
                    tenantId = e.TenantId,
                    @event = EventName,
                    data = DataOf(_runId, e.ClientSeq),
                    idempotencyKey = KeyOf(_runId, e.ClientSeq),
                }).ToList();
                using var response = await _service.PostAsJsonAsync("/api/events", new { events = items }, ct);
                if (response.StatusCode != HttpStatusCode.MultiStatus)
                {
                    return await FailureOrThrowAsync(response, $"Batch of {left.Count} events", ct);
                }

                var results = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("results").EnumerateArray().ToList();
                var retry = new List<PlannedEvent>();
                string? failure = null;
                foreach (var result in results)
                {
                    var planned = left[result.GetProperty("index").GetInt32()];
                    var status = result.GetProperty("status").GetInt32();
                    if (status is 200 or 202)
                    {
                        Record(planned, status, result.GetProperty("event"));
                    }
                    else if (status is >= 500 or 429)
                    {
                        if (status == 429)
                        {
                            Interlocked.Increment(ref _throttled);
                        }
                        else
                        {
                            Interlocked.Increment(ref _serverErrors);
                        }

                        failure = $"item {planned.ClientSeq} answered {status}: {result.GetProperty("error")}";
                        retry.Add(planned);
                    }
                    else
                    {
                        throw new InvalidOperationException($"Batch item {planned.ClientSeq} of {planned.TenantId} answered {status}: {result.GetProperty("error")}");
                    }
                }

                left = retry;
                return left.Count == 0 ? null : failure;
            },
            cancellationToken);
    }

    private void Record(PlannedEvent planned, int status, JsonElement answer)
    {
        var eventId = answer.GetProperty("eventId").GetString()!;
        _answeredIds.GetOrAdd(planned.ClientSeq, _ => []).Add(eventId);
        if (status == 200)
        {
            Interlocked.Increment(ref _repeated);
        }

        _accepted.TryAdd(planned.ClientSeq, new AcceptedClientEvent(planned, eventId, answer.GetProperty("status").GetString()!, status));
    }

    /// <summary>A 5xx or 429 is a reason to try again; anything else is not something a crash explains.</summary>
    private async Task<string> FailureOrThrowAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref _throttled);
            return "429";
        }

        if (response.StatusCode >= HttpStatusCode.InternalServerError)
        {
            Interlocked.Increment(ref _serverErrors);
            return $"{(int)response.StatusCode}: {text}";
        }

        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>Tries until <paramref name="attempt"/> returns null (done) or the deadline passes; a try without answer is retried too.</summary>
    private async Task RetryAsync(string what, DateTime deadline, Func<CancellationToken, Task<string?>> attempt, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            string? failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                failure = await attempt(timeout.Token);
                if (failure is null)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Interlocked.Increment(ref _transportFailures);
                failure = ex.GetType().Name + ": " + ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The {what} was not accepted before the deadline; last failure: {failure}");
            }

            // Retry backoff while the hub restarts (it is down for a second or two), not a wait for a condition.
            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 250));
        }
    }
}

/// <summary>One event the client means to send: its sequence number and its tenant.</summary>
public sealed record PlannedEvent(int ClientSeq, string TenantId);

/// <summary>One request: a single event, or a batch of events (for any tenants).</summary>
public sealed record EventUnit(bool Batch, IReadOnlyList<PlannedEvent> Events);

/// <summary>The hub's first 200/202 answer for an event: its id, its state then (Held or Pending) and the HTTP status.</summary>
public sealed record AcceptedClientEvent(PlannedEvent Planned, string EventId, string StatusAtAcceptance, int HttpStatus);
