#if ALLOY_SANDBOX
using IntegrationHub.AlloySandbox;
using IntegrationHub.Domain.AlloyAccounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
#endif
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;

namespace IntegrationHub.WebApi.Sandbox;

/// <summary>
/// The embedded default: Alloy served by the in-process sandbox under <c>/sandbox/alloy</c> on the hub's own
/// address, with the sandbox's well-known key for the configured environment. Refused in Production, and absent from
/// Release builds and published output (<c>IncludeAlloySandbox</c> in WebApi.csproj, docs/adr/0013-test-doubles-out-of-the-release.md):
/// there, asking for it stops the start with the reason.
/// </summary>
public static class SandboxSetup
{
    public const string MountPath = "/sandbox/alloy";

    /// <summary>Whether this build contains the sandbox (Debug builds do; Release builds and publish output do not).</summary>
    public static bool IsCompiledIn =>
#if ALLOY_SANDBOX
        true;
#else
        false;
#endif

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

        if (enabled && !IsCompiledIn)
        {
            throw new InvalidOperationException(
                (options.Sandbox is null
                    ? "Alloy:Sandbox defaults to true in Development when Alloy:ApiKey is not set, "
                    : "Alloy:Sandbox is true, ") +
                "but this build of the hub does not contain the in-process Alloy sandbox: Release builds and published images never do. " +
                "Run a Debug build (dotnet run --project src/WebApi), or start the standalone sandbox (src/AlloySandbox) and set " +
                "Alloy:BaseUrl and Alloy:ApiKey to it with Alloy:Sandbox=false.");
        }

        return enabled;
    }

#if ALLOY_SANDBOX

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

    /// <summary>Serves the sandbox's API and pages under <see cref="MountPath"/>.</summary>
    public static IEndpointRouteBuilder MapEmbeddedSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGroup(MountPath).MapAlloySandbox();
        return app;
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
#endif
}
