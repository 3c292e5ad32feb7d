using System.Globalization;
using System.Text.Json;
using IntegrationHub.Scenarios;

namespace IntegrationHub.SqlServer.IntegrationTests.Hosting;

/// <summary>
/// Microsoft.Data.SqlClient cannot open a connection in globalization-invariant mode. The repository builds invariant
/// by default (Directory.Build.props), so the processes that talk to SQL Server must opt out; checked offline.
/// </summary>
public sealed class SqlClientRequirementsTests
{
    [Fact]
    public void WebApiRuntimeConfig_WhenBuilt_ShouldNotRunGlobalizationInvariant()
    {
        // Arrange
        var runtimeConfig = Path.ChangeExtension(BuildOutput.WebApiDll, ".runtimeconfig.json");

        // Act
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var invariant = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.Globalization.Invariant", out var value) && value.GetBoolean();

        // Assert
        invariant.ShouldBeFalse($"{runtimeConfig} enables globalization-invariant mode; SqlClient would refuse to connect.");
    }

    [Fact]
    public void ThisTestProcess_WhenItHostsTheHubOnSqlServer_ShouldHaveCultures()
    {
        // Act
        var culture = CultureInfo.GetCultureInfo("en-US");

        // Assert
        culture.EnglishName.ShouldStartWith("English");
    }
}
