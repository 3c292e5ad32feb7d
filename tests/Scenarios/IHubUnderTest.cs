namespace IntegrationHub.Scenarios;

/// <summary>
/// A running hub as a scenario sees it, whatever its database and job storage: HTTP clients per caller, the Alloy
/// sandbox it talks to, and its services (for the scenarios that stage a lost job directly in the database).
/// </summary>
public interface IHubUnderTest
{
    /// <summary>A client with the service key (<c>X-Api-Key</c>, role <c>service</c>).</summary>
    HttpClient CreateServiceClient();

    /// <summary>A client with the admin key (<c>X-Api-Key</c>, role <c>admin</c>).</summary>
    HttpClient CreateAdminClient();

    /// <summary>The Alloy sandbox the hub is configured to call.</summary>
    SandboxClient Sandbox { get; }

    /// <summary>The hub's root services (create a scope to use scoped ones).</summary>
    IServiceProvider Services { get; }
}
