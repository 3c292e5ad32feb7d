using Microsoft.Playwright;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Started once for the whole assembly (the slow parts: TLS certificate, sandbox, hub, Chromium): the standalone sandbox
/// on HTTPS + HTTP, the hub pointed at it, and one headless Chromium whose Alloy hosts resolve to the sandbox. Each test
/// opens its own browser context (fresh cookies and storage). Without Chromium the servers still start and the browser
/// tests skip.
/// </summary>
public sealed class EndToEndEnvironment : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-e2e-env-" + Guid.NewGuid().ToString("N"));
    private TestCertificate? _certificate;
    private IPlaywright? _playwright;

    public StandaloneSandbox Sandbox { get; private set; } = null!;

    public EndToEndHub Hub { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public HubApi Api => new(Hub);

    /// <summary>The standalone sandbox's control API and, as the hub calls it, its Alloy API.</summary>
    public SandboxClient SandboxApi => new(Sandbox.CreateClient());

    public async ValueTask InitializeAsync()
    {
        _certificate = TestCertificate.Create(_folder, "app.runalloy.com", "embedded.runalloy.com");
        Sandbox = await StandaloneSandbox.StartAsync(_certificate);
        Hub = new EndToEndHub(Sandbox.HttpAddress);
        Hub.Start();
        using (var client = Hub.CreateClient())
        {
            (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }

        if (Chromium.Installed)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Headless = true,
                Args = Chromium.Arguments(Sandbox.HttpsAddress.Port),
            });
        }
    }

    /// <summary>A page in a fresh browser context; console errors and failed requests go to the test's output.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var browser = Browser ?? throw new InvalidOperationException(Chromium.Missing);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Hub.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var output = TestContext.Current.TestOutputHelper;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output?.WriteLine($"[browser {message.Type}] {message.Text}");
            }
        };
        page.PageError += (_, error) => output?.WriteLine($"[page error] {error}");
        page.RequestFailed += (_, request) => output?.WriteLine($"[request failed] {request.Method} {request.Url}: {request.Failure}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        _certificate?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder.
        }
    }
}
