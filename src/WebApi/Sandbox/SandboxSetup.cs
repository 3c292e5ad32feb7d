using IntegrationHub.AlloySandbox;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IntegrationHub.WebApi.Sandbox;

/// <summary>
/// The embedded default: Alloy served by the in-process sandbox under <c>/sandbox/alloy</c> on the hub's own
/// address, with the sandbox's well-known key for the configured environment. Refused in Production.
/// </summary>
public static class SandboxSetup
{
    public const string MountPath = "/sandbox/alloy";

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(HubAlloyOptions.SectionName).Get<HubAlloyOptions>() ?? new HubAlloyOptions();
        var enabled = options.Sandbox ?? (environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.ApiKey));
        if (enabled && environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Alloy:Sandbox is true but the host environment is Production: the sandbox is never served in Production. " +
                "Configure Alloy:ApiKey and set Alloy:Sandbox to false.");
        }

        return enabled;
    }

    public static IServiceCollection AddEmbeddedSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAlloySandbox(configuration);
        services.AddSingleton<IAlloyEndpoint, SelfHostedSandboxEndpoint>();
        // Before validation (HubAlloyOptionsValidator requires a key): the sandbox's key when none is configured.
        services.PostConfigure<HubAlloyOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.ApiKey))
            {
                o.ApiKey = o.Environment == AlloyEnvironment.Production ? SandboxDefaults.ProductionKey : SandboxDefaults.DevelopmentKey;
            }
        });
        return services;
    }

    /// <summary>The hub's own listening address plus the sandbox mount path (loopback for wildcard bindings).</summary>
    private sealed class SelfHostedSandboxEndpoint(IServer server) : IAlloyEndpoint
    {
        public Uri BaseAddress
        {
            get
            {
                var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
                    .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
                    .FirstOrDefault() ?? "http://localhost";
                var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://[::]", "://[::1]", StringComparison.Ordinal));
                uri.Path = MountPath + "/";
                return uri.Uri;
            }
        }
    }
}
