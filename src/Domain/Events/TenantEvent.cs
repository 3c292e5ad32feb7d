using System.Security.Cryptography;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.Events;

/// <summary>
/// One application event of the SaaS for one tenant's Alloy workflows (Alloy's custom event). Stored before the intake
/// answers; the row, not a background job, is the record of intent: a Pending event whose <see cref="NextAttemptAt"/>
/// has passed is due, and the reconciler hands it to a delivery job again if one was lost.
/// </summary>
public sealed class TenantEvent
{
    public const string IdPrefix = "evt_";
    public const int MaxEventIdLength = 32;
    public const int MaxNameLength = 200;
    public const int MaxIdempotencyKeyLength = 255;
    public const int RequestHashLength = 64;
    public const int MaxErrorLength = 1000;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>For EF Core.</summary>
    private TenantEvent()
    {
        EventId = null!;
        Name = null!;
        Data = null!;
        RequestHash = null!;
    }

    private TenantEvent(TenantId tenantId, string name, string data, string? idempotencyKey, string requestHash, bool held, DateTimeOffset now)
    {
        EventId = IdPrefix + RandomNumberGenerator.GetString(Alphabet, 24);
        TenantId = tenantId;
        Name = name;
        Data = data;
        IdempotencyKey = idempotencyKey;
        RequestHash = requestHash;
        State = held ? TenantEventState.Held : TenantEventState.Pending;
        NextAttemptAt = held ? null : now;
        AcceptedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }

    public long Id { get; private set; }

    /// <summary>The public id (<c>evt_…</c>).</summary>
    public string EventId { get; private set; }

    public TenantId TenantId { get; private set; }

    /// <summary>The Alloy custom event's name.</summary>
    public string Name { get; private set; }

    /// <summary>The payload, a JSON object, exactly as accepted.</summary>
    public string Data { get; private set; }

    /// <summary>The caller's <c>Idempotency-Key</c>, unique per tenant.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>SHA-256 (hex) of the accepted name and payload: a repeated key with another body is a conflict.</summary>
    public string RequestHash { get; private set; }

    public TenantEventState State { get; private set; }

    /// <summary>Attempts since it was accepted or last replayed (the backoff counts these).</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset AcceptedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>The Alloy user it went to (the tenant's user in the environment current at delivery).</summary>
    public string? UserId { get; private set; }

    public Guid ConcurrencyStamp { get; private set; }

    /// <param name="held">The tenant has no provisioned Alloy user yet: hold the event until it has.</param>
    public static TenantEvent Accept(
        TenantId tenantId, string name, string data, string? idempotencyKey, string requestHash, bool held, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestHash);
        return new TenantEvent(tenantId, name, data, idempotencyKey, requestHash, held, now);
    }

    public bool IsDue(DateTimeOffset now) => State == TenantEventState.Pending && NextAttemptAt <= now;

    /// <summary>The tenant's Alloy user exists now: the held event becomes due.</summary>
    public void Release(DateTimeOffset now)
    {
        if (State != TenantEventState.Held)
        {
            return;
        }

        State = TenantEventState.Pending;
        NextAttemptAt = now;
        Touch();
    }

    /// <summary>Takes a lease for one attempt: a crashed attempt is retried by the reconciler once the lease ends.</summary>
    public void BeginAttempt(DateTimeOffset now, TimeSpan lease)
    {
        if (State != TenantEventState.Pending)
        {
            throw new DomainException($"Cannot attempt an event that is {State}.");
        }

        Attempts++;
        LastAttemptAt = now;
        NextAttemptAt = now + lease;
        Touch();
    }

    public void MarkDelivered(string userId, DateTimeOffset now)
    {
        EnsurePending();
        State = TenantEventState.Delivered;
        UserId = userId;
        DeliveredAt = now;
        LastError = null;
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>A failed attempt: retried at <paramref name="retryAt"/>, or <see cref="TenantEventState.Failed"/> when null.</summary>
    public void RecordFailure(string error, DateTimeOffset? retryAt)
    {
        EnsurePending();
        LastError = Truncate(error);
        NextAttemptAt = retryAt;
        State = retryAt is null ? TenantEventState.Failed : TenantEventState.Pending;
        Touch();
    }

    /// <summary>The attempt could not be made for a reason that is not the event's (a rejected hub key, a shutdown): no attempt is spent.</summary>
    public void Defer(string reason, DateTimeOffset retryAt)
    {
        EnsurePending();
        Attempts = Math.Max(0, Attempts - 1);
        LastError = Truncate(reason);
        NextAttemptAt = retryAt;
        Touch();
    }

    /// <summary>Fails an open (held or pending) event for good, e.g. because its tenant was offboarded.</summary>
    public void Fail(string reason)
    {
        if (State is not (TenantEventState.Held or TenantEventState.Pending))
        {
            throw new DomainException($"Cannot fail an event that is {State}.");
        }

        State = TenantEventState.Failed;
        LastError = Truncate(reason);
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>An admin's replay of a failed event: due at once, attempts counted from zero again.</summary>
    public Result Replay(DateTimeOffset now)
    {
        if (State != TenantEventState.Failed)
        {
            return TenantEventErrors.NotFailed(EventId, State);
        }

        State = TenantEventState.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LastError = null;
        Touch();
        return Result.Success();
    }

    private void EnsurePending()
    {
        if (State != TenantEventState.Pending)
        {
            throw new DomainException($"The event is {State}, not being attempted.");
        }
    }

    private void Touch() => ConcurrencyStamp = Guid.NewGuid();

    private static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
}
