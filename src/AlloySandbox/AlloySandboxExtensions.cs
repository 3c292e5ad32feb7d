using IntegrationHub.AlloySandbox.Endpoints;
using IntegrationHub.AlloySandbox.Faults;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Modal;
using IntegrationHub.AlloySandbox.Store;
using IntegrationHub.AlloySandbox.Tokens;
using IntegrationHub.AlloySandbox.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.AlloySandbox;

/// <summary>Registers and maps the Alloy sandbox, standalone or inside another app under a prefix.</summary>
public static class AlloySandboxExtensions
{
    /// <summary>
    /// Registers the sandbox's options (section <c>AlloySandbox</c>), store and services, and
    /// <see cref="TimeProvider.System"/> unless the host has a <see cref="TimeProvider"/>. Changes nothing
    /// the host owns (JSON options, middleware); calling it twice is harmless.
    /// </summary>
    public static IServiceCollection AddAlloySandbox(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(SandboxState)))
        {
            return services;
        }

        services.AddOptions<AlloySandboxOptions>().Bind(configuration.GetSection(SandboxDefaults.ConfigurationSection));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StatePersistence>();
        services.AddSingleton<SandboxState>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<IntegrationStore>();
        services.AddSingleton<InstallationStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<UserTokenService>();
        services.AddSingleton<SandboxAuthenticator>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<CallCounter>();
        services.AddSingleton<WebhookSigner>();
        services.AddSingleton<ErrorWebhookEmitter>();
        services.AddSingleton<InstallationWebhookEmitter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InstallationWebhookEmitter>(sp => sp.GetRequiredService<InstallationWebhookEmitter>()));
        // Signature headers are credentials of a sort: never written to logs by HttpClient's own logging.
        services.AddHttpClient(ErrorWebhookEmitter.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .RedactLoggedHeaders(_ => true);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SandboxStartup>());
        services.Configure<RouteOptions>(o => o.ConstraintMap[ApiVersionRouteConstraint.Name] = typeof(ApiVersionRouteConstraint));
        return services;
    }

    /// <summary>
    /// Maps every sandbox route relative to <paramref name="endpoints"/>: the Alloy API both as
    /// <c>/{YYYY-MM}/…</c> and unversioned (with <c>x-api-version</c>), and the <c>/_sandbox</c> control
    /// routes, and the modal pages the frontend SDK frames (<c>/forge-install</c>, <c>/authenticate-app</c>). Everything
    /// runs in endpoint filters, so it works as a route group in any app. The routes
    /// allow anonymous access (the sandbox checks its own keys) and stay out of the host's OpenAPI document.
    /// </summary>
    public static IEndpointConventionBuilder MapAlloySandbox(this IEndpointRouteBuilder endpoints)
    {
        var root = endpoints.MapGroup("");
        root.AllowAnonymous().ExcludeFromDescription();

        ControlEndpoints.Map(root.MapGroup("/_sandbox"));
        WebhookEndpoints.Map(root.MapGroup("/_sandbox/webhooks"));
        ModalEndpoints.Map(root);

        var versioned = root.MapGroup($"/{{{AlloyApiFilter.ApiVersionRouteValue}:{ApiVersionRouteConstraint.Name}}}");
        var unversioned = root.MapGroup("");
        foreach (var api in new[] { versioned, unversioned })
        {
            api.AddEndpointFilter<AlloyApiFilter>();
            UserEndpoints.Map(api);
            IntegrationEndpoints.Map(api);
            InstallationEndpoints.Map(api);
            CredentialEndpoints.Map(api);
            EventEndpoints.Map(api);
        }

        root.MapFallback(ControlEndpoints.NotFound);
        return root;
    }
}
