using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Client.Internal;

namespace IntegrationHub.Client.Webhooks;

/// <summary>
/// Verifies a webhook from the hub the Standard Webhooks way and parses it. The hub signs
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> with HMAC-SHA256 under the endpoint's secret (<c>whsec_</c> + base64
/// key) and sends <c>webhook-signature: v1,&lt;base64&gt;</c>; after a rotation it signs with the new and the previous
/// secret, space-separated, and any one matching passes. Timestamps older or newer than the tolerance (5 minutes) are
/// refused, which stops replays of captured requests; comparisons run in constant time.
/// </summary>
/// <remarks>
/// Verify the raw body exactly as received (before any JSON parsing or re-serialization), then deduplicate on
/// <see cref="IntegrationHubWebhook.Id"/>: the hub delivers at least once. Thread-safe.
/// </remarks>
public sealed class IntegrationHubWebhookVerifier
{
    /// <summary>The header with the message id.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header with the Unix time in seconds when the message was signed.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header with the space-separated <c>v1,&lt;base64&gt;</c> signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far a timestamp may be from now, either way, by default: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private const string SignatureVersion = "v1,";
    private readonly List<byte[]> _keys;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tolerance;

    /// <summary>A verifier for one endpoint secret.</summary>
    /// <param name="secret">The endpoint's signing secret (<c>whsec_…</c>, as created or rotated).</param>
    /// <param name="time">The clock (tests pass a fake one); the system clock when null.</param>
    /// <param name="tolerance">How far a timestamp may be from now; <see cref="DefaultTolerance"/> when null.</param>
    public IntegrationHubWebhookVerifier(string secret, TimeProvider? time = null, TimeSpan? tolerance = null)
        : this([secret], time, tolerance)
    {
    }

    /// <summary>A verifier that accepts any of several secrets (the current and the previous one, while a rotation is rolled out).</summary>
    /// <param name="secrets">The signing secrets (<c>whsec_…</c>).</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="tolerance">How far a timestamp may be from now; <see cref="DefaultTolerance"/> when null.</param>
    public IntegrationHubWebhookVerifier(IEnumerable<string> secrets, TimeProvider? time = null, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = secrets.Select(KeyOf).ToList();
        if (_keys.Count == 0)
        {
            throw new ArgumentException("At least one webhook secret is required.", nameof(secrets));
        }

        _time = time ?? TimeProvider.System;
        _tolerance = tolerance ?? DefaultTolerance;
        if (_tolerance <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance must be positive.");
        }
    }

    /// <summary>Verifies a delivery given its headers (looked up by name, for example <c>name =&gt; Request.Headers[name]</c>) and raw body.</summary>
    /// <param name="header">Returns a request header's value by name, or null when absent.</param>
    /// <param name="body">The raw request body.</param>
    /// <returns>The verified, parsed webhook.</returns>
    /// <exception cref="WebhookVerificationException">A header is missing, the timestamp is out of tolerance, no signature matches, or the body is not a webhook envelope.</exception>
    public IntegrationHubWebhook Verify(Func<string, string?> header, string body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Verify(header(IdHeader) ?? string.Empty, header(TimestampHeader) ?? string.Empty, header(SignatureHeader) ?? string.Empty, body);
    }

    /// <summary>Verifies a delivery given its three Standard Webhooks headers and raw body.</summary>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw request body.</param>
    /// <returns>The verified, parsed webhook.</returns>
    /// <exception cref="WebhookVerificationException">A header is missing, the timestamp is out of tolerance, no signature matches, or the body is not a webhook envelope.</exception>
    public IntegrationHubWebhook Verify(string webhookId, string webhookTimestamp, string webhookSignature, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
        {
            throw new WebhookVerificationException("A webhook-id, webhook-timestamp or webhook-signature header is missing.");
        }

        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new WebhookVerificationException("The webhook-timestamp header is not a Unix time in seconds.");
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = _time.GetUtcNow();
        if (sentAt < now - _tolerance || sentAt > now + _tolerance)
        {
            throw new WebhookVerificationException("The webhook-timestamp is outside the tolerance: an old or replayed message, or a wrong clock.");
        }

        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.{body}");
        var expected = _keys.Select(key => HMACSHA256.HashData(key, signed)).ToList();
        if (!AnyMatches(webhookSignature, expected))
        {
            throw new WebhookVerificationException("No webhook signature matches: a wrong secret or a changed body.");
        }

        WebhookEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, IntegrationHubJsonContext.Default.WebhookEnvelope);
        }
        catch (JsonException ex)
        {
            throw new WebhookVerificationException("The webhook body is not a webhook envelope.", ex);
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.Type))
        {
            throw new WebhookVerificationException("The webhook body has no type.");
        }

        return new IntegrationHubWebhook(webhookId, sentAt, envelope);
    }

    /// <summary>Like <see cref="Verify(string, string, string, string)"/>, without an exception.</summary>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="webhook">The verified webhook, when it verifies.</param>
    /// <returns>True when the webhook verifies.</returns>
    public bool TryVerify(string webhookId, string webhookTimestamp, string webhookSignature, string body, out IntegrationHubWebhook? webhook)
    {
        try
        {
            webhook = Verify(webhookId, webhookTimestamp, webhookSignature, body);
            return true;
        }
        catch (WebhookVerificationException)
        {
            webhook = null;
            return false;
        }
    }

    private static bool AnyMatches(string header, List<byte[]> expected)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith(SignatureVersion, StringComparison.Ordinal)
                || !Convert.TryFromBase64String(part[SignatureVersion.Length..], presented, out var written)
                || written != HMACSHA256.HashSizeInBytes)
            {
                continue; // another version or a malformed entry: the others may still match
            }

            foreach (var mac in expected)
            {
                // No early exit: every comparison runs, so the time taken says nothing about which one matched.
                matched |= CryptographicOperations.FixedTimeEquals(presented, mac);
            }
        }

        return matched;
    }

    private static byte[] KeyOf(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("A webhook secret is empty.", nameof(secret));
        }

        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            return Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A webhook secret is 'whsec_' followed by base64.", nameof(secret), ex);
        }
    }
}

/// <summary>A webhook did not verify: it must be refused (answer 400 or 401) and not processed.</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookVerificationException()
        : this("The webhook did not verify.")
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">Why it did not verify.</param>
    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">Why it did not verify.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookVerificationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
