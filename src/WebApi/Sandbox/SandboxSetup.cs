#if ALLOY_SANDBOX
using System.Security.Cryptography;
using IntegrationHub.AlloySandbox;
using IntegrationHub.Infrastructure.Webhooks;
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

    /// <summary>Where the embedded sandbox sends its installation webhooks unless configured: the hub's own receiver.</summary>
    public const string DefaultInstallationWebhookPath = "/api/webhooks/alloy/installations";

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

        // The embedded sandbox plays Alloy: it announces completed installations to the hub's own receiver (a path
        // resolves against the host the install request came to, i.e. this hub) unless AlloySandbox:Webhooks:InstallationUrl
        // says otherwise ("" turns it off).
        services.PostConfigure<AlloySandboxOptions>(o => o.Webhooks.InstallationUrl ??= DefaultInstallationWebhookPath);

        // Signer and verifier must agree. When neither the sandbox's private key nor the hub's Alloy public key is
        // configured, both get the two halves of one key made for this process; a key configured on either side is
        // left alone (a hub with no public key accepts nothing, as in production).
        var webhookKeyConfigured = !string.IsNullOrWhiteSpace(configuration["AlloyWebhooks:PublicKeyPem"])
            || !string.IsNullOrWhiteSpace(configuration["AlloySandbox:Webhooks:PrivateKeyPem"]);
        if (!webhookKeyConfigured)
        {
            services.PostConfigure<AlloySandboxOptions>(o => o.Webhooks.PrivateKeyPem ??= EmbeddedWebhookKey.Value.ExportPkcs8PrivateKeyPem());
            services.PostConfigure<AlloyWebhookOptions>(o => o.PublicKeyPem ??= EmbeddedWebhookKey.Value.ExportSubjectPublicKeyInfoPem());
        }

        return services;
    }

    /// <summary>The webhook signing key of the embedded sandbox when none is configured: one per process.</summary>
    private static readonly Lazy<RSA> EmbeddedWebhookKey = new(() => RSA.Create(2048), LazyThreadSafetyMode.ExecutionAndPublication);

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
