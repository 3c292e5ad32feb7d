namespace IntegrationHub.Application.OutboundWebhooks;

/// <summary>
/// Bounds how many deliveries to one endpoint this process attempts at once (<c>Webhooks:MaxConcurrentPerEndpoint</c>),
/// so that a slow endpoint holds at most that many of the process's job workers and every other endpoint's deliveries
/// keep flowing. A delivery that finds its endpoint busy waits here, in memory, without spending an attempt, and is
/// handed back to the job queue when a slot of its endpoint frees up. Losing this memory (a crash) loses nothing: the
/// waiting rows are still due, and the delivery reconciler enqueues them again.
/// </summary>
public sealed class WebhookEndpointConcurrency
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);

    /// <summary>
    /// A slot for one attempt to <paramref name="endpointId"/>, released on dispose; null when <paramref name="limit"/>
    /// attempts are running, in which case <paramref name="deliveryId"/> waits and is passed to <paramref name="resume"/>
    /// when a slot frees up.
    /// </summary>
    public IDisposable? TryEnter(string endpointId, long deliveryId, int limit, Action<long> resume)
    {
        ArgumentNullException.ThrowIfNull(resume);
        lock (_gate)
        {
            if (!_endpoints.TryGetValue(endpointId, out var endpoint))
            {
                endpoint = new Endpoint();
                _endpoints[endpointId] = endpoint;
            }

            if (endpoint.Running >= limit)
            {
                if (endpoint.Waiting.Add(deliveryId))
                {
                    endpoint.Order.Enqueue(deliveryId);
                }

                return null;
            }

            endpoint.Running++;
            return new Slot(this, endpointId, resume);
        }
    }

    /// <summary>How many attempts to <paramref name="endpointId"/> run now, and how many deliveries wait for a slot.</summary>
    public (int Running, int Waiting) Load(string endpointId)
    {
        lock (_gate)
        {
            return _endpoints.TryGetValue(endpointId, out var endpoint) ? (endpoint.Running, endpoint.Waiting.Count) : (0, 0);
        }
    }

    private void Release(string endpointId, Action<long> resume)
    {
        long? next = null;
        lock (_gate)
        {
            var endpoint = _endpoints[endpointId];
            endpoint.Running--;
            if (endpoint.Order.TryDequeue(out var waiting))
            {
                endpoint.Waiting.Remove(waiting);
                next = waiting;
            }
            else if (endpoint.Running == 0)
            {
                _endpoints.Remove(endpointId);
            }
        }

        if (next is { } deliveryId)
        {
            resume(deliveryId);
        }
    }

    private sealed class Endpoint
    {
        public int Running { get; set; }

        public HashSet<long> Waiting { get; } = [];

        public Queue<long> Order { get; } = new();
    }

    private sealed class Slot(WebhookEndpointConcurrency owner, string endpointId, Action<long> resume) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(endpointId, resume);
            }
        }
    }
}
