using IntegrationHub.Application.Common.Interfaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Infrastructure.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The buffered audit sink and its writer. Registered after the database initializer, so the writer starts
    /// after migrations and (hosted services stop in reverse order) stops after the job server and reconciler.
    /// </summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BufferedAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<BufferedAuditSink>());
        services.AddHostedService<AuditWriter>();
        return services;
    }
}
