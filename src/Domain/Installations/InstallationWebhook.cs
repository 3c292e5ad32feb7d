using System.Text;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.Installations;

/// <summary>Where a received installation webhook stands.</summary>
public enum InstallationWebhookStatus
{
    /// <summary>Waiting for (another) resolution attempt at <see cref="InstallationWebhook.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The installation was found in Alloy's listing and the tenant's records were brought up to date.</summary>
    Resolved,

    /// <summary>No tenant of this environment has the Alloy user: kept for admins, nothing else done.</summary>
    Unmatched,

    /// <summary>Alloy reported a failed installation (<c>success: false</c>): recorded, no installation created.</summary>
    Unsuccessful,

    /// <summary>Alloy's listing never showed an installation of that user and integration within the attempts allowed.</summary>
    NotListed,
}

/// <summary>
/// One delivery of Alloy's Integration Installation Webhook (docs/alloy-api.md), stored before anything else is done
/// with it: the row is the record of intent that the resolution job works from, and the reconciler re-enqueues a
/// pending one whose job was lost. Alloy's body names the user and the integration but no installation id, so the
/// installation is found later through the account listing.
/// </summary>
public sealed class InstallationWebhook
{
    public const int MaxAlloyIdLength = 64;
    public const int MaxErrorLength = 500;

    /// <summary>The largest body the hub accepts and stores (UTF-8 bytes), as for the error webhook.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>For EF Core.</summary>
    private InstallationWebhook()
    {
        AlloyUserId = null!;
        IntegrationId = null!;
        RawPayload = null!;
    }

    private InstallationWebhook(
        AlloyEnvironment environment,
        string alloyUserId,
        string integrationId,
        bool success,
        TenantId? tenantId,
        string rawPayload,
        DateTimeOffset receivedAt,
        InstallationWebhookStatus status)
    {
        Environment = environment;
        AlloyUserId = alloyUserId;
        IntegrationId = integrationId;
        Success = success;
        TenantId = tenantId;
        RawPayload = rawPayload;
        ReceivedAt = receivedAt;
        Status = status;
        NextAttemptAt = status == InstallationWebhookStatus.Pending ? receivedAt : null;
        CompletedAt = status == InstallationWebhookStatus.Pending ? null : receivedAt;
    }

    public long Id { get; private set; }

    /// <summary>The Alloy environment (key type) the hub was configured with when the delivery arrived.</summary>
    public AlloyEnvironment Environment { get; private set; }

    public string AlloyUserId { get; private set; }

    public string IntegrationId { get; private set; }

    /// <summary>The body's <c>success</c> flag.</summary>
    public bool Success { get; private set; }

    /// <summary>The tenant whose Alloy account has <see cref="AlloyUserId"/>; null when no tenant has it.</summary>
    public TenantId? TenantId { get; private set; }

    /// <summary>The body exactly as received.</summary>
    public string RawPayload { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public InstallationWebhookStatus Status { get; private set; }

    /// <summary>Resolution attempts started so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the next attempt is due (a lease while one runs); null once the delivery is settled.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>Alloy's installation id, once resolved.</summary>
    public string? InstallationId { get; private set; }

    /// <summary>Why the last attempt did not resolve (an Alloy error code, "not listed yet").</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>
    /// Records a delivery. A failed installation and a user no tenant has are settled at once; anything else waits
    /// for resolution.
    /// </summary>
    public static InstallationWebhook Receive(
        AlloyEnvironment environment,
        string alloyUserId,
        string integrationId,
        bool success,
        TenantId? tenantId,
        string rawPayload,
        DateTimeOffset receivedAt)
    {
        alloyUserId = RequireId(alloyUserId, "An Alloy user id");
        integrationId = RequireId(integrationId, "An integration id");
        if (!Enum.IsDefined(environment))
        {
            throw new DomainException($"'{environment}' is not an Alloy environment.");
        }

        ArgumentNullException.ThrowIfNull(rawPayload);
        if (Encoding.UTF8.GetByteCount(rawPayload) > MaxPayloadBytes)
        {
            throw new DomainException($"An installation webhook payload is at most {MaxPayloadBytes} bytes.");
        }

        var status = !success
            ? InstallationWebhookStatus.Unsuccessful
            : tenantId is null ? InstallationWebhookStatus.Unmatched : InstallationWebhookStatus.Pending;
        return new InstallationWebhook(environment, alloyUserId, integrationId, success, tenantId, rawPayload, receivedAt, status);
    }

    /// <summary>Whether an attempt may start now (pending and due).</summary>
    public bool IsDue(DateTimeOffset now) => Status == InstallationWebhookStatus.Pending && NextAttemptAt <= now;

    /// <summary>Starts an attempt: counts it and holds a lease until <paramref name="leaseUntil"/>.</summary>
    public void BeginAttempt(DateTimeOffset leaseUntil)
    {
        EnsurePending();
        Attempts++;
        NextAttemptAt = leaseUntil;
    }

    /// <summary>The installation was found and the tenant's records updated.</summary>
    public void MarkResolved(string installationId, DateTimeOffset now)
    {
        EnsurePending();
        InstallationId = RequireId(installationId, "An installation id");
        Status = InstallationWebhookStatus.Resolved;
        NextAttemptAt = null;
        LastError = null;
        CompletedAt = now;
    }

    /// <summary>The attempt did not resolve; try again at <paramref name="nextAttemptAt"/>.</summary>
    public void RetryAt(DateTimeOffset nextAttemptAt, string reason)
    {
        EnsurePending();
        NextAttemptAt = nextAttemptAt;
        LastError = Clip(reason);
    }

    /// <summary>Gives up: Alloy's listing did not show the installation within the attempts allowed.</summary>
    public void MarkNotListed(DateTimeOffset now, string reason)
    {
        EnsurePending();
        Status = InstallationWebhookStatus.NotListed;
        NextAttemptAt = null;
        LastError = Clip(reason);
        CompletedAt = now;
    }

    private void EnsurePending()
    {
        if (Status != InstallationWebhookStatus.Pending)
        {
            throw new DomainException($"Installation webhook {Id} is {Status}, not pending.");
        }
    }

    private static string RequireId(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > MaxAlloyIdLength)
        {
            throw new DomainException($"{what} is required and at most {MaxAlloyIdLength} characters.");
        }

        return value.Trim();
    }

    private static string Clip(string value) => value.Length <= MaxErrorLength ? value : value[..MaxErrorLength];
}
