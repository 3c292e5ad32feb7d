using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox;

/// <summary>Loads the state file at start-up, so that a bad file fails the host instead of every request.</summary>
internal sealed class SandboxStartup(SandboxState state, UserStore users, ILogger<SandboxStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var counts = users.CountUsers();
        logger.LogInformation(
            "Alloy sandbox ready ({StateFile}); users: {Development} development, {Production} production",
            state.StateFile ?? "memory only",
            counts[nameof(SandboxEnvironment.Development)],
            counts[nameof(SandboxEnvironment.Production)]);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
