using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.AlloyAccounts;

/// <summary>
/// The link tenant → Alloy user in one Alloy environment. The row, not a background job, is the record of
/// intent: its <see cref="State"/> and <see cref="NextAttemptAt"/> say what must happen next and when.
/// </summary>
public sealed class AlloyAccount
{
    public const int MaxUsernameLength = 200;
    public const int MaxErrorLength = 1000;

    /// <summary>For EF Core.</summary>
    private AlloyAccount()
    {
        Username = null!;
    }

    private AlloyAccount(TenantId tenantId, AlloyEnvironment environment, string username, DateTimeOffset now)
    {
        TenantId = tenantId;
        Environment = environment;
        Username = username;
        State = ProvisioningState.Pending;
        NextAttemptAt = now;
        CreatedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }

    public long Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public AlloyEnvironment Environment { get; private set; }

    /// <summary>Deterministic from the tenant, so a lost create response can be healed by a lookup.</summary>
    public string Username { get; private set; }

    public string? UserId { get; private set; }

    public ProvisioningState State { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ProvisionedAt { get; private set; }

    public DateTimeOffset? DeprovisionedAt { get; private set; }

    /// <summary>Changes on every transition; two writers of one row cannot both win.</summary>
    public Guid ConcurrencyStamp { get; private set; }

    public static AlloyAccount Create(TenantId tenantId, AlloyEnvironment environment, string usernamePrefix, DateTimeOffset now)
    {
        var username = UsernameFor(tenantId, usernamePrefix);
        return new AlloyAccount(tenantId, environment, username, now);
    }

    public static string UsernameFor(TenantId tenantId, string? prefix) => (prefix ?? string.Empty) + tenantId.Value;

    public bool IsDue(DateTimeOffset now) =>
        State is ProvisioningState.Pending or ProvisioningState.Provisioning && NextAttemptAt <= now;

    public bool IsDeprovisioningDue(DateTimeOffset now) => State == ProvisioningState.Deprovisioning && NextAttemptAt <= now;

    /// <summary>Takes a lease on the account for one attempt; a crashed attempt is retried once the lease ends.</summary>
    public void BeginAttempt(DateTimeOffset now, TimeSpan lease)
    {
        if (State is not (ProvisioningState.Pending or ProvisioningState.Provisioning))
        {
            throw new DomainException($"Cannot start provisioning an account that is {State}.");
        }

        State = ProvisioningState.Provisioning;
        Attempts++;
        NextAttemptAt = now + lease;
        Touch();
    }

    public void MarkProvisioned(string userId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (State is not (ProvisioningState.Pending or ProvisioningState.Provisioning))
        {
            throw new DomainException($"Cannot mark an account that is {State} as provisioned.");
        }

        UserId = userId;
        State = ProvisioningState.Provisioned;
        ProvisionedAt = now;
        LastError = null;
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>
    /// Records a failed attempt that may succeed later. The account waits for <paramref name="retryAt"/>, or is
    /// <see cref="ProvisioningState.Failed"/> once <paramref name="maxAttempts"/> attempts are spent.
    /// </summary>
    public void RecordTransientFailure(string error, DateTimeOffset retryAt, int maxAttempts)
    {
        EnsureProvisioning();
        LastError = Truncate(error);
        if (Attempts >= maxAttempts)
        {
            State = ProvisioningState.Failed;
            NextAttemptAt = null;
        }
        else
        {
            State = ProvisioningState.Pending;
            NextAttemptAt = retryAt;
        }

        Touch();
    }

    public void MarkFailed(string error)
    {
        EnsureProvisioning();
        State = ProvisioningState.Failed;
        LastError = Truncate(error);
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>
    /// Gives the attempt back without counting it: the failure was ours (e.g. Alloy rejected our API key),
    /// not the tenant's, so it must not bring the account closer to <see cref="ProvisioningState.Failed"/>.
    /// </summary>
    public void Defer(string reason, DateTimeOffset retryAt)
    {
        EnsureProvisioning();
        State = ProvisioningState.Pending;
        Attempts = Math.Max(0, Attempts - 1);
        LastError = Truncate(reason);
        NextAttemptAt = retryAt;
        Touch();
    }

    /// <summary>An admin's retry of a failed account: attempts start again from zero.</summary>
    public Result Retry(DateTimeOffset now)
    {
        if (State != ProvisioningState.Failed)
        {
            return AlloyAccountErrors.NotFailed(TenantId, State);
        }

        State = ProvisioningState.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        Touch();
        return Result.Success();
    }

    /// <summary>
    /// Alloy no longer knows the user this account points to (deleted on Alloy's side). Either provision a new one
    /// (the account starts over as <see cref="ProvisioningState.Pending"/>) or flag it as
    /// <see cref="ProvisioningState.Failed"/> for an admin.
    /// </summary>
    public void ReportUserMissing(DateTimeOffset now, bool reprovision)
    {
        if (State != ProvisioningState.Provisioned)
        {
            throw new DomainException($"Only a provisioned account can lose its Alloy user (the account is {State}).");
        }

        var missing = UserId;
        if (reprovision)
        {
            State = ProvisioningState.Pending;
            UserId = null;
            ProvisionedAt = null;
            Attempts = 0;
            NextAttemptAt = now;
            LastError = Truncate($"Alloy user {missing} no longer exists; provisioning a new one.");
        }
        else
        {
            State = ProvisioningState.Failed;
            NextAttemptAt = null;
            LastError = Truncate($"Alloy user {missing} no longer exists. Retry to provision a new one.");
        }

        Touch();
    }

    /// <summary>Offboarding: from any state the account is to be removed from Alloy; idempotent.</summary>
    public void BeginDeprovisioning(DateTimeOffset now)
    {
        if (State is ProvisioningState.Deprovisioning or ProvisioningState.Deprovisioned)
        {
            return;
        }

        State = ProvisioningState.Deprovisioning;
        Attempts = 0;
        LastError = null;
        NextAttemptAt = now;
        Touch();
    }

    /// <summary>Takes a lease on a deprovisioning attempt (a crashed attempt is resumed once it ends).</summary>
    public void BeginDeprovisioningAttempt(DateTimeOffset now, TimeSpan lease)
    {
        if (State != ProvisioningState.Deprovisioning)
        {
            throw new DomainException($"Cannot deprovision an account that is {State}.");
        }

        Attempts++;
        NextAttemptAt = now + lease;
        Touch();
    }

    /// <summary>Deprovisioning failed for now; it is retried at <paramref name="retryAt"/> (offboarding never gives up).</summary>
    public void RecordDeprovisioningFailure(string error, DateTimeOffset retryAt)
    {
        if (State != ProvisioningState.Deprovisioning)
        {
            throw new DomainException($"No deprovisioning is in progress (the account is {State}).");
        }

        LastError = Truncate(error);
        NextAttemptAt = retryAt;
        Touch();
    }

    /// <summary>The Alloy user found under this account's username when the create response was never recorded.</summary>
    public void AdoptForDeprovisioning(string userId)
    {
        if (State != ProvisioningState.Deprovisioning)
        {
            throw new DomainException($"No deprovisioning is in progress (the account is {State}).");
        }

        UserId ??= userId;
        Touch();
    }

    public void MarkDeprovisioned(DateTimeOffset now)
    {
        if (State != ProvisioningState.Deprovisioning)
        {
            throw new DomainException($"Cannot finish deprovisioning an account that is {State}.");
        }

        State = ProvisioningState.Deprovisioned;
        DeprovisionedAt = now;
        NextAttemptAt = null;
        LastError = null;
        Touch();
    }

    private void EnsureProvisioning()
    {
        if (State != ProvisioningState.Provisioning)
        {
            throw new DomainException($"No provisioning attempt is in progress (the account is {State}).");
        }
    }

    private void Touch() => ConcurrencyStamp = Guid.NewGuid();

    private static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
}
