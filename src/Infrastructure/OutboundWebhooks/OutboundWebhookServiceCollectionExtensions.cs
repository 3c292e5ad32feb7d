using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.OutboundWebhooks;

public static class OutboundWebhookServiceCollectionExtensions
{
    /// <summary>
    /// The sender of the webhooks to the SaaS backend: a named client whose connections go only to addresses the policy
    /// allows (checked on the resolved address, at connect time), with no redirects and no resilience pipeline of its
    /// own (the delivery's retry schedule is the retry).
    /// </summary>
    public static IServiceCollection AddOutboundWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<WebhooksOptions>>();
            return new WebhookConnector(sp.GetRequiredService<IHostResolver>(), () => options.CurrentValue.AllowPrivateNetworks);
        });
        services.AddSingleton<IWebhookUrlPolicy, WebhookUrlPolicy>();
        services.AddTransient<IWebhookSender, WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookConnector>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        return services;
    }
}
