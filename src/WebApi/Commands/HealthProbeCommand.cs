namespace IntegrationHub.WebApi.Commands;

/// <summary>
/// <c>dotnet IntegrationHub.WebApi.dll healthcheck [path-or-url]</c>: asks the hub in this container for a health
/// endpoint and exits 0 when it answers 2xx, else 1. The ASP.NET Core runtime image has no curl or wget; the hub's
/// own binary is the probe (Dockerfile <c>HEALTHCHECK</c>). Default: <c>/health/live</c> on the first port of
/// <c>ASPNETCORE_HTTP_PORTS</c> (or <c>ASPNETCORE_URLS</c>, else 8080) on the loopback address.
/// </summary>
public static class HealthProbeCommand
{
    public const string Name = "healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && string.Equals(args[0], Name, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(string[] args)
    {
        var target = TargetOf(args.Length > 1 ? args[1] : "/health/live");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(target);
            Console.WriteLine($"{target}: {(int)response.StatusCode} {response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"{target}: no answer ({ex.GetType().Name}: {ex.Message})");
            return 1;
        }
    }

    internal static Uri TargetOf(string pathOrUrl)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        return new Uri(new Uri($"http://127.0.0.1:{LocalPort()}"), pathOrUrl.StartsWith('/') ? pathOrUrl : "/" + pathOrUrl);
    }

    private static int LocalPort()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        foreach (var candidate in (ports ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(candidate, out var port))
            {
                return port;
            }
        }

        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Wildcard hosts (http://+:8080, http://*:8080) are not URIs; only the port matters here.
            var colon = url.LastIndexOf(':');
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && colon > "http://".Length
                && int.TryParse(url[(colon + 1)..].TrimEnd('/'), out var port))
            {
                return port;
            }
        }

        return 8080;
    }
}
