namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>Where the tests write screenshots: <c>artifacts/screenshots/</c> at the repository root.</summary>
public static class Artifacts
{
    public static string ScreenshotFolder { get; } = CreateScreenshotFolder();

    public static string Screenshot(string name) => Path.Combine(ScreenshotFolder, name + ".png");

    private static string CreateScreenshotFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        var folder = Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
