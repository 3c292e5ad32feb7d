namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>Debian's Chromium, driven by Playwright without downloading a browser of its own.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public const string Missing = "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium); the browser tests need it.";

    public static bool Installed => File.Exists(ExecutablePath);

    /// <summary>
    /// Headless flags (no sandbox in a container, no GPU, nothing that phones home) plus the mapping of Alloy's fixed
    /// hosts to the sandbox's HTTPS port, whose self-signed certificate Chromium is told to accept.
    /// </summary>
    public static IReadOnlyList<string> Arguments(int sandboxHttpsPort) =>
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        $"--host-resolver-rules=MAP app.runalloy.com 127.0.0.1:{sandboxHttpsPort}, MAP embedded.runalloy.com 127.0.0.1:{sandboxHttpsPort}",
        "--ignore-certificate-errors",
    ];
}
