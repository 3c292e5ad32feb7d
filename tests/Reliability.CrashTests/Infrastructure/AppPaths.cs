using System.Reflection;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// Where the build put the apps this suite runs as child processes. The project file records each referenced app's
/// entry assembly in this assembly's metadata (<c>App:IntegrationHub.WebApi</c> → full path), so the paths follow the
/// configuration and output layout the build actually used.
/// </summary>
public static class AppPaths
{
    public static string WebApi => Find("IntegrationHub.WebApi");

    public static string AlloySandbox => Find("IntegrationHub.AlloySandbox");

    private static string Find(string assemblyName)
    {
        var path = typeof(AppPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "App:" + assemblyName)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The build output of {assemblyName} was not found (recorded path: '{path}'). Build the solution first.");
        }

        return path;
    }
}
