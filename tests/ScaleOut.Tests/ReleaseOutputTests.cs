using System.Diagnostics;
using System.Net;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using IntegrationHub.Scenarios;

namespace IntegrationHub.ScaleOut.Tests;

/// <summary>
/// <c>dotnet publish src/WebApi -c Release</c> (what the Dockerfile runs), once per test run, into a folder of its own
/// (its own obj/ and bin/ too, so the working tree's builds are not touched).
/// </summary>
public sealed class PublishedHub : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-publish-" + Guid.NewGuid().ToString("N"));

    public string Folder => Path.Combine(_root, "publish");

    public string Output { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = BuildOutput.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine("src", "WebApi", "WebApi.csproj"), "-c", "Release", "-o", Folder,
            "--artifacts-path", Path.Combine(_root, "artifacts"), "-p:SkipClientApp=true", "-p:UseAppHost=false", "-nologo", "-v:q",
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        Output = await stdout + await stderr;
        process.ExitCode.ShouldBe(0, Output);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder.
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The published hub contains no test double: not the Alloy sandbox, not the benchmark baselines, not their table
/// (docs/adr/0013-test-doubles-out-of-the-release.md); asked for the sandbox, it refuses to start and says why.
/// </summary>
public sealed class ReleaseOutputTests(PublishedHub published) : IClassFixture<PublishedHub>
{
    private IEnumerable<string> HubAssemblies => Directory.EnumerateFiles(published.Folder, "IntegrationHub.*.dll");

    [Fact]
    public void Publish_WhenRelease_ShouldContainTheHubButNoSandboxOrBenchAssembly()
    {
        // Act
        var files = Directory.EnumerateFiles(published.Folder).Select(Path.GetFileName).ToList();

        // Assert
        files.ShouldContain("IntegrationHub.WebApi.dll");
        files.ShouldContain("IntegrationHub.Infrastructure.dll");
        files.ShouldNotContain(f => f!.StartsWith("IntegrationHub.AlloySandbox", StringComparison.OrdinalIgnoreCase));
        files.ShouldNotContain(f => f!.Contains("Bench", StringComparison.OrdinalIgnoreCase));
        File.ReadAllText(Path.Combine(published.Folder, "IntegrationHub.WebApi.deps.json")).ShouldNotContain("AlloySandbox");
    }

    [Fact]
    public void HubAssemblies_WhenInspected_ShouldDefineNoBenchOrSandboxTypeAndReferenceNoSandbox()
    {
        // Arrange
        var offending = new List<string>();

        // Act
        foreach (var path in HubAssemblies)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                var name = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
                if (name.Contains("Bench", StringComparison.OrdinalIgnoreCase) || name.StartsWith("IntegrationHub.AlloySandbox", StringComparison.Ordinal))
                {
                    offending.Add($"{Path.GetFileName(path)}: type {name}");
                }
            }

            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
                if (reference.StartsWith("IntegrationHub.AlloySandbox", StringComparison.Ordinal) || reference.Contains("Bench", StringComparison.Ordinal))
                {
                    offending.Add($"{Path.GetFileName(path)}: references {reference}");
                }
            }
        }

        // Assert
        HubAssemblies.Count().ShouldBeGreaterThanOrEqualTo(4);
        offending.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("BenchSignups")]
    [InlineData("/_bench")]
    [InlineData("sandbox-development-key")]
    public void PublishedFiles_WhenSearched_ShouldNotContain(string text)
    {
        // Arrange: .NET keeps string literals as UTF-16; configuration and scripts are UTF-8.
        byte[][] needles = [Encoding.UTF8.GetBytes(text), Encoding.Unicode.GetBytes(text)];

        // Act
        var containing = Directory.EnumerateFiles(published.Folder, "*", SearchOption.AllDirectories)
            .Where(file =>
            {
                var bytes = File.ReadAllBytes(file);
                return needles.Any(needle => bytes.AsSpan().IndexOf(needle) >= 0);
            })
            .Select(file => Path.GetRelativePath(published.Folder, file))
            .ToList();

        // Assert
        containing.ShouldBeEmpty();
    }

    [Fact]
    public async Task PublishedHub_WhenTheSandboxIsRequested_ShouldRefuseToStartAndSayWhy()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(Path.GetTempPath(), "hub-release-" + Guid.NewGuid().ToString("N") + ".db");

        // Act
        await using var hub = HubProcess.StartHubFrom("release-sandbox", Path.Combine(published.Folder, "IntegrationHub.WebApi.dll"), new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Hub"] = $"Data Source={database}",
            ["Alloy__Sandbox"] = "true",
        });
        var exit = await hub.WaitForExitAsync(TimeSpan.FromMinutes(2), ct);

        // Assert
        exit.ShouldNotBe(0, hub.Output);
        hub.Output.ShouldContain("does not contain the in-process Alloy sandbox", Case.Sensitive, hub.Output);
    }

    [Fact]
    public async Task PublishedHub_WhenRunningAgainstAnotherAlloy_ShouldServeNeitherTheSandboxNorTheBaselines()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(Path.GetTempPath(), "hub-release-" + Guid.NewGuid().ToString("N") + ".db");
        await using var hub = HubProcess.StartHubFrom("release-hub", Path.Combine(published.Folder, "IntegrationHub.WebApi.dll"), new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Hub"] = $"Data Source={database}",
            ["Alloy__Sandbox"] = "false",
            ["Alloy__ApiKey"] = "a-key-of-a-real-alloy-account",
        });
        await hub.WaitUntilHealthyAsync(cancellationToken: ct);
        using var client = hub.CreateClient("dev-service-key");

        // Act
        using var sandbox = await client.GetAsync("/sandbox/alloy/", ct);
        using var bench = await client.PostAsync("/_bench/signups", new StringContent("{}", Encoding.UTF8, "application/json"), ct);
        using var health = await client.GetAsync("/health/live", ct);

        // Assert
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        sandbox.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        bench.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
