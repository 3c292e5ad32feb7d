using IntegrationHub.Client;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>
/// The package's <see cref="IIntegrationHubClient"/> as a SaaS backend registers it (<c>AddIntegrationHubClient</c>),
/// pointed at a running hub's real Kestrel port: every call crosses the network stack, the resilience handler and the
/// hub's authentication.
/// </summary>
public sealed class TypedHubClient : IDisposable
{
    private readonly ServiceProvider _services;

    private TypedHubClient(ServiceProvider services)
    {
        _services = services;
        Client = services.GetRequiredService<IIntegrationHubClient>();
    }

    public IIntegrationHubClient Client { get; }

    /// <summary>
    /// A client of <paramref name="hub"/> with the given keys. Retries are off unless asked for, so a problem answer
    /// reaches the test at once rather than after the resilience handler's backoff.
    /// </summary>
    public static TypedHubClient For<TEntryPoint>(
        WebApplicationFactory<TEntryPoint> hub, string? serviceKey = HubFactory.ServiceKey, string? adminKey = null, int retries = 0,
        Action<IHttpClientBuilder>? http = null)
        where TEntryPoint : class
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddIntegrationHubClient(options =>
        {
            options.BaseAddress = hub.ClientOptions.BaseAddress;
            options.ServiceKey = serviceKey;
            options.AdminKey = adminKey;
            options.MaxRetryAttempts = retries;
        });
        http?.Invoke(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TypedHubClient(provider);
    }

    /// <summary>Reads the options as the client does: validation runs on the first read (and at host start).</summary>
    public static IntegrationHubClientOptions ReadOptions(Action<IntegrationHubClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddIntegrationHubClient(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<IntegrationHubClientOptions>>().Value;
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>Counts the attempts that leave the client (it runs inside the resilience handler: once per attempt).</summary>
public sealed class AttemptCounter : DelegatingHandler
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public void Reset() => Interlocked.Exchange(ref _attempts, 0);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        return base.SendAsync(request, cancellationToken);
    }
}
