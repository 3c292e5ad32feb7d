using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox;

/// <summary>Loads the state file at start-up, so that a bad file fails the host instead of every request.</summary>
internal sealed class SandboxStartup(SandboxStore store, ILogger<SandboxStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var users = store.CountUsers();
        logger.LogInformation(
            "Alloy sandbox ready ({StateFile}); users: {Development} development, {Production} production",
            store.StateFile ?? "memory only",
            users[nameof(SandboxEnvironment.Development)],
            users[nameof(SandboxEnvironment.Production)]);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
