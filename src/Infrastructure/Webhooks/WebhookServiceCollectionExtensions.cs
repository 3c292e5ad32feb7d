using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Section <c>AlloyWebhooks</c>, validated at start, and the verifier the webhook endpoint uses.</summary>
    public static IServiceCollection AddAlloyWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlloyWebhookOptions>().Bind(configuration.GetSection(AlloyWebhookOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlloyWebhookOptions>, AlloyWebhookOptionsValidator>();
        services.AddSingleton<AlloyWebhookVerifier>();
        return services;
    }
}
