namespace IntegrationHub.Domain.Installations;

public enum InstallationChangeKind
{
    Installed,
    Enabled,
    Disabled,
    Removed,
}

/// <summary>What made the hub notice a change.</summary>
public enum InstallationChangeSource
{
    FrontendRefresh,
    Sync,
    Admin,

    /// <summary>Alloy's Integration Installation Webhook (resolved through the account listing).</summary>
    Webhook,
}
