using DotNet.Testcontainers.Configurations;

namespace IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

/// <summary>
/// Whether a Docker engine is reachable, decided up front (Testcontainers resolves its endpoint from DOCKER_HOST,
/// ~/.testcontainers.properties, the Docker context or the default socket), so tests are skipped with a reason
/// instead of timing out. Tests that need it: <c>[Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]</c>.
/// </summary>
public static class DockerEngine
{
    public const string Unavailable =
        "No Docker engine is reachable (Testcontainers found no endpoint: DOCKER_HOST, docker context or /var/run/docker.sock), " +
        "so the SQL Server container cannot start. This suite runs wherever Docker does.";

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TypeInitializationException)
        {
            return false;
        }
    });

    public static bool IsAvailable => Available.Value;
}
