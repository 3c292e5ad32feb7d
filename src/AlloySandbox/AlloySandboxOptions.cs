using IntegrationHub.AlloySandbox.Faults;

namespace IntegrationHub.AlloySandbox;

/// <summary>Which of Alloy's two key types a key is; all sandbox data is partitioned by it.</summary>
public enum SandboxEnvironment
{
    Development,
    Production,
}

/// <summary>An accepted API key and the environment whose data it sees.</summary>
public sealed class SandboxKeyOptions
{
    public string Key { get; set; } = "";

    public SandboxEnvironment Environment { get; set; } = SandboxEnvironment.Development;
}

/// <summary>Section <c>AlloySandbox:Webhooks</c>.</summary>
public sealed class SandboxWebhookOptions
{
    /// <summary>Where error webhooks go unless a request names a URL: absolute, or a path on the control request's host.</summary>
    public string? ErrorUrl { get; set; }

    /// <summary>
    /// Where the Integration Installation Webhook goes when an installation completes (H2 or the modal's Connect):
    /// absolute, or a path on the install request's host. Unset or empty: not sent.
    /// </summary>
    public string? InstallationUrl { get; set; }

    /// <summary>The RSA private key (PEM) that signs webhooks; unset: a key generated once per process.</summary>
    public string? PrivateKeyPem { get; set; }
}

/// <summary>Options bound from the <c>AlloySandbox</c> configuration section.</summary>
public sealed class AlloySandboxOptions
{
    /// <summary>Accepted keys; when empty, <see cref="SandboxDefaults.DevelopmentKey"/> and <see cref="SandboxDefaults.ProductionKey"/>.</summary>
    public IList<SandboxKeyOptions> Keys { get; } = [];

    /// <summary>Where to keep state across restarts; unset keeps everything in memory.</summary>
    public string? StateFile { get; set; }

    /// <summary>Status answered to a create with a username that already exists.</summary>
    public int DuplicateUsernameStatus { get; set; } = 400;

    /// <summary>Whether an unversioned path without <c>x-api-version</c> is refused with 400.</summary>
    public bool RequireApiVersion { get; set; } = true;

    /// <summary>Secret for the user JWTs; unset: generated once (and kept in the state file when there is one).</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>Faults in force from start-up, until changed through <c>/_sandbox/faults</c>.</summary>
    public FaultSettings? Faults { get; set; }

    /// <summary>
    /// Outgoing webhooks: Alloy's error stream, sent on request through <c>/_sandbox/webhooks</c>, and the installation
    /// webhook, sent when an installation completes.
    /// </summary>
    public SandboxWebhookOptions Webhooks { get; set; } = new();

    internal IReadOnlyList<SandboxKeyOptions> EffectiveKeys()
    {
        var configured = Keys.Where(k => !string.IsNullOrEmpty(k.Key)).ToList();
        return configured.Count > 0
            ? configured
            :
            [
                new SandboxKeyOptions { Key = SandboxDefaults.DevelopmentKey, Environment = SandboxEnvironment.Development },
                new SandboxKeyOptions { Key = SandboxDefaults.ProductionKey, Environment = SandboxEnvironment.Production },
            ];
    }
}
