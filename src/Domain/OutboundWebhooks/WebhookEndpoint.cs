using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>
/// A URL of the SaaS backend that receives the hub's webhooks, signed with its secret (Standard Webhooks). During a
/// secret rotation the previous secret keeps signing until it expires, so the receiver can switch without a gap.
/// </summary>
public sealed class WebhookEndpoint
{
    public const string IdPrefix = "ep_";
    public const string SecretPrefix = "whsec_";
    public const int MaxIdLength = 32;
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;
    public const int MaxReasonLength = 500;
    public const int MaxSecretLength = 100;
    public const int MaxEventTypesLength = 1000;

    private List<string> _eventTypes = [];

    /// <summary>For EF Core.</summary>
    private WebhookEndpoint()
    {
        Id = null!;
        Url = null!;
        Secret = null!;
    }

    private WebhookEndpoint(string url, string? description, IEnumerable<string> eventTypes, DateTimeOffset now)
    {
        Id = WebhookIds.New(IdPrefix);
        Url = url;
        Description = description;
        _eventTypes = Normalize(eventTypes);
        Enabled = true;
        Secret = WebhookIds.NewSecret();
        CreatedAt = now;
        UpdatedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }

    public string Id { get; private set; }

    public string Url { get; private set; }

    /// <summary>
    /// The URL as the audit log may show it: without user info, query or fragment, which often carry a receiver's own
    /// token (<c>https://hooks.example.com/in?token=…</c> becomes <c>https://hooks.example.com/in?…</c>).
    /// </summary>
    public string DisplayUrl =>
        Uri.TryCreate(Url, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Path).Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal) + (uri.Query.Length > 1 || uri.Fragment.Length > 1 ? "?…" : string.Empty)
            : "(not a URL)";

    public string? Description { get; private set; }

    /// <summary>The event types it receives; empty: all of them.</summary>
    public IReadOnlyList<string> EventTypes => _eventTypes;

    public bool Enabled { get; private set; }

    /// <summary>Why the hub disabled it (a 410 answer, failing for too long), or why an admin did.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>Since when every delivery to it has failed; null once one succeeds.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    /// <summary>The current signing secret, <c>whsec_</c> and base64.</summary>
    public string Secret { get; private set; }

    /// <summary>The secret before the last rotation; it signs too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Changes on every change; two writers of one row cannot both win.</summary>
    public Guid ConcurrencyStamp { get; private set; }

    public static WebhookEndpoint Create(string url, string? description, IEnumerable<string>? eventTypes, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return new WebhookEndpoint(url, string.IsNullOrWhiteSpace(description) ? null : description.Trim(), eventTypes ?? [], now);
    }

    public bool Subscribes(string type) => _eventTypes.Count == 0 || _eventTypes.Contains(type, StringComparer.Ordinal);

    /// <summary>The secrets that sign a delivery sent at <paramref name="now"/>: the current one, and the previous one during the overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? [Secret, PreviousSecret] : [Secret];

    public void ChangeUrl(string url, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        Url = url;
        Touch(now);
    }

    public void ChangeDescription(string? description, DateTimeOffset now)
    {
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Touch(now);
    }

    public void ChangeEventTypes(IEnumerable<string> eventTypes, DateTimeOffset now)
    {
        _eventTypes = Normalize(eventTypes);
        Touch(now);
    }

    /// <summary>Re-enabling clears the reason it was disabled and its failure streak.</summary>
    public void Enable(DateTimeOffset now)
    {
        Enabled = true;
        DisabledReason = null;
        FailingSince = null;
        Touch(now);
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        Enabled = false;
        DisabledReason = Truncate(reason, MaxReasonLength);
        Touch(now);
    }

    /// <summary>Issues a new secret; the current one keeps signing for <paramref name="overlap"/>.</summary>
    public string RotateSecret(DateTimeOffset now, TimeSpan overlap)
    {
        if (overlap < TimeSpan.Zero)
        {
            throw new DomainException("The overlap of a secret rotation cannot be negative.");
        }

        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = WebhookIds.NewSecret();
        Touch(now);
        return Secret;
    }

    public void RecordSuccess(DateTimeOffset now)
    {
        if (FailingSince is null)
        {
            return;
        }

        FailingSince = null;
        Touch(now);
    }

    /// <summary>
    /// Records a failed delivery; once every delivery has failed for <paramref name="disableAfter"/> the endpoint is
    /// disabled. Returns whether this failure disabled it.
    /// </summary>
    public bool RecordFailure(DateTimeOffset now, TimeSpan disableAfter)
    {
        if (FailingSince is null)
        {
            FailingSince = now;
            Touch(now);
        }

        if (!Enabled || now - FailingSince.Value < disableAfter)
        {
            return false;
        }

        Disable($"Every delivery failed since {FailingSince.Value:O}.", now);
        return true;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }

    private static List<string> Normalize(IEnumerable<string> eventTypes)
    {
        var list = eventTypes.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = list.FirstOrDefault(t => !WebhookEventTypes.IsKnown(t));
        return unknown is null ? list : throw new DomainException($"'{unknown}' is not a webhook event type.");
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
