using IntegrationHub.WebApi;

// Everything the hub is lives in HubHost (one composition, also run by the benchmark host in bench/).
Environment.ExitCode = await HubHost.RunAsync(args);

/// <summary>The entry point; public for WebApplicationFactory.</summary>
public partial class Program;
