using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>Where the Alloy API is. The WebApi replaces it in sandbox mode with the hub's own address.</summary>
public interface IAlloyEndpoint
{
    Uri BaseAddress { get; }
}

public sealed class ConfiguredAlloyEndpoint(IOptionsMonitor<HubAlloyOptions> options) : IAlloyEndpoint
{
    public Uri BaseAddress => new(options.CurrentValue.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
}
