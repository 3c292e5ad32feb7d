using IntegrationHub.WebApi;

namespace IntegrationHub.Bench.Host;

/// <summary>
/// <c>dotnet IntegrationHub.Bench.Host.dll</c>: the hub (the same <see cref="HubHost"/> as <c>IntegrationHub.WebApi.dll</c>)
/// with the benchmark baselines under <c>/_bench</c>. bench/run.sh builds it in Release and the driver starts it.
/// </summary>
public sealed class BenchHostProgram
{
    private BenchHostProgram()
    {
    }

    public static Task<int> Main(string[] args) => HubHost.RunAsync(args, app => app.MapBenchEndpoints().MapScaleEndpoints());
}
