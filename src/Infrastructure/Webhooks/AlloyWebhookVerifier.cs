using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Webhooks;

/// <summary>
/// The parsed <see cref="AlloyWebhookOptions"/>: Alloy's public key, the source allow-list and the signed URL.
/// Immutable; a configuration change produces a new one.
/// </summary>
public sealed class AlloyWebhookSettings
{
    private readonly RSA? _publicKey;

    private AlloyWebhookSettings(RSA? publicKey, SourceAddressAllowList allowedSources, string? publicUrl)
    {
        _publicKey = publicKey;
        AllowedSources = allowedSources;
        PublicUrl = publicUrl;
    }

    /// <summary>Settings that accept nothing (no key), used when the configuration is missing or broken.</summary>
    public static AlloyWebhookSettings NotConfigured { get; } = new(null, SourceAddressAllowList.Any, null);

    /// <summary>Whether a public key is configured; without one, no delivery is accepted.</summary>
    public bool IsConfigured => _publicKey is not null;

    public SourceAddressAllowList AllowedSources { get; }

    /// <summary>The URL Alloy signs, when configured; else the request's own URL is used.</summary>
    public string? PublicUrl { get; }

    public bool AllowsSource(IPAddress? address) => AllowedSources.Allows(address);

    public SignatureCheck Verify(string method, string url, ReadOnlySpan<byte> body, string? signatureHex) =>
        _publicKey is null
            ? throw new InvalidOperationException("Alloy webhooks are not configured (AlloyWebhooks:PublicKeyPem).")
            : AlloySignature.Verify(_publicKey, method, url, body, signatureHex);

    /// <summary>Parses the options; on failure <paramref name="problem"/> says which setting is wrong (never its value).</summary>
    public static bool TryCreate(AlloyWebhookOptions options, out AlloyWebhookSettings settings, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = NotConfigured;
        if (!SourceAddressAllowList.TryParse(options.AllowedIps, out var allowList, out var invalid))
        {
            problem = $"{AlloyWebhookOptions.SectionName}:AllowedIps contains '{invalid}', which is neither an IP address nor a CIDR range.";
            return false;
        }

        string? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            publicUrl = options.PublicUrl.Trim();
            if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problem = $"{AlloyWebhookOptions.SectionName}:PublicUrl must be an absolute http(s) URL: the webhook URL as configured in Alloy.";
                return false;
            }
        }

        RSA? key = null;
        if (!string.IsNullOrWhiteSpace(options.PublicKeyPem) && !TryImportPublicKey(options.PublicKeyPem, out key, out problem))
        {
            return false;
        }

        settings = new AlloyWebhookSettings(key, allowList, publicUrl);
        problem = null;
        return true;
    }

    private static bool TryImportPublicKey(string pem, out RSA? key, [NotNullWhen(false)] out string? problem)
    {
        key = null;
        // Environment variables often carry a PEM with literal "\n" for line breaks.
        pem = pem.Replace("\\n", "\n", StringComparison.Ordinal).Trim();
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            problem = $"{AlloyWebhookOptions.SectionName}:PublicKeyPem is not PEM: expected Alloy's public key, '-----BEGIN PUBLIC KEY-----' … '-----END PUBLIC KEY-----'.";
            return false;
        }

        var label = pem[fields.Label];
        if (label is not ("PUBLIC KEY" or "RSA PUBLIC KEY"))
        {
            problem = $"{AlloyWebhookOptions.SectionName}:PublicKeyPem holds a '{label}', not a public key. Configure Alloy's public key only.";
            return false;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            problem = $"{AlloyWebhookOptions.SectionName}:PublicKeyPem is not an RSA public key.";
            return false;
        }

        key = rsa;
        problem = null;
        return true;
    }
}

/// <summary>Refuses to start on webhook settings that cannot work, naming the setting.</summary>
internal sealed class AlloyWebhookOptionsValidator : IValidateOptions<AlloyWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, AlloyWebhookOptions options) =>
        AlloyWebhookSettings.TryCreate(options, out _, out var problem) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
}

/// <summary>
/// The current <see cref="AlloyWebhookSettings"/>. Options are re-read on every call (a changed key or allow-list takes
/// effect without a restart) and parsed once per change. A configuration broken after start-up accepts nothing.
/// </summary>
public sealed class AlloyWebhookVerifier(IOptionsMonitor<AlloyWebhookOptions> options, ILogger<AlloyWebhookVerifier> logger)
{
    // One reference, swapped whole: readers on other threads never see a source paired with another's settings.
    private volatile Entry _cache = new(null, AlloyWebhookSettings.NotConfigured);

    public AlloyWebhookSettings Current
    {
        get
        {
            AlloyWebhookOptions value;
            try
            {
                value = options.CurrentValue;
            }
            catch (OptionsValidationException ex)
            {
                return Broken(ex.Message, ex.Message); // failures are not cached by the monitor: log each message once
            }

            var cache = _cache;
            if (ReferenceEquals(cache.Source, value))
            {
                return cache.Settings;
            }

            if (!AlloyWebhookSettings.TryCreate(value, out var settings, out var problem))
            {
                return Broken(value, problem);
            }

            _cache = new Entry(value, settings);
            return settings;
        }
    }

    private AlloyWebhookSettings Broken(object source, string problem)
    {
        if (!Equals(_cache.Source, source))
        {
            logger.LogError("Alloy webhooks are refused until the configuration is fixed: {Problem}", problem);
            _cache = new Entry(source, AlloyWebhookSettings.NotConfigured);
        }

        return AlloyWebhookSettings.NotConfigured;
    }

    private sealed record Entry(object? Source, AlloyWebhookSettings Settings);
}
