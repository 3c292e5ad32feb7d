using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Behaviours;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Events;
using IntegrationHub.Application.Installations;
using IntegrationHub.Application.Integrations;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Application.Provisioning;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(TransactionBehaviour<,>),
            ];
        });
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddOptions<HubAlloyOptions>().Bind(configuration.GetSection(HubAlloyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubAlloyOptions>, HubAlloyOptionsValidator>();
        services.AddOptions<ProvisioningOptions>().Bind(configuration.GetSection(ProvisioningOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhooksOptions>().Bind(configuration.GetSection(WebhooksOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // The unit of work on demand, for services whose fast path needs none (a token from the reuse window).
        services.AddScoped(sp => new Lazy<IApplicationDbContext>(sp.GetRequiredService<IApplicationDbContext>));
        services.AddScoped<ProvisionedAccounts>();
        // On demand too: the token hit path reads the account from ProvisionedAccountCache and builds none.
        services.AddScoped(sp => new Lazy<ProvisionedAccounts>(sp.GetRequiredService<ProvisionedAccounts>));
        services.AddScoped<EnvironmentAccounts>();
        services.AddScoped<BatchProvisioning>();
        services.AddScoped<ProvisioningTransitions>();
        services.AddSingleton<ProvisionedAccountCache>();
        services.AddScoped<UserIntegrationsCache>();
        services.AddScoped<InstallationSynchronizer>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<IWebhookOutbox, WebhookOutbox>();
        services.AddSingleton<WebhookEndpointConcurrency>();
        services.AddSingleton<EventCatalog>();
        services.AddSingleton<TenantEventDispatch>();
        services.AddScoped<EventIntake>();
        services.TryAddSingleton<HubMetrics>();
        return services;
    }
}
