namespace IntegrationHub.Domain.AlloyAccounts;

/// <summary>Which kind of Alloy API key the hub uses. Users created with one are invisible to the other.</summary>
public enum AlloyEnvironment
{
    Development,
    Production,
}
