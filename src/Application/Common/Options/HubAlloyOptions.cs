using IntegrationHub.Domain.AlloyAccounts;

namespace IntegrationHub.Application.Common.Options;

/// <summary>The tenancy side of the <c>Alloy</c> configuration section (the connection side lives in Infrastructure).</summary>
public sealed class HubAlloyOptions
{
    public const string SectionName = "Alloy";

    /// <summary>Which key type is configured; accounts are kept per environment.</summary>
    public AlloyEnvironment Environment { get; set; } = AlloyEnvironment.Development;

    /// <summary>Prefix of the deterministic Alloy username (prefix + tenantId).</summary>
    public string UsernamePrefix { get; set; } = string.Empty;
}
