using IntegrationHub.Domain.AlloyAccounts;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>The connection side of the <c>Alloy</c> configuration section. Keys are read on every call.</summary>
public sealed class AlloyClientOptions
{
    public const string SectionName = "Alloy";
    public const string DefaultBaseUrl = "https://production.runalloy.com";
    public const string DefaultApiVersion = "2025-09";

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public string ApiVersion { get; set; } = DefaultApiVersion;

    public string? ApiKey { get; set; }

    /// <summary>Tried when Alloy rejects <see cref="ApiKey"/> (rotation), and used from then on.</summary>
    public string? SecondaryApiKey { get; set; }

    public AlloyEnvironment Environment { get; set; } = AlloyEnvironment.Development;

    /// <summary>Serve Alloy from the in-process sandbox; null means "in Development when no key is set".</summary>
    public bool? Sandbox { get; set; }
}
