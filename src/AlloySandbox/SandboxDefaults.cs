namespace IntegrationHub.AlloySandbox;

/// <summary>Well-known values of the sandbox, documented so that a first run needs no configuration.</summary>
public static class SandboxDefaults
{
    /// <summary>Accepted as a Development key when <c>AlloySandbox:Keys</c> is empty.</summary>
    public const string DevelopmentKey = "sandbox-development-key";

    /// <summary>Accepted as a Production key when <c>AlloySandbox:Keys</c> is empty.</summary>
    public const string ProductionKey = "sandbox-production-key";

    /// <summary>The configuration section the sandbox reads.</summary>
    public const string ConfigurationSection = "AlloySandbox";
}
