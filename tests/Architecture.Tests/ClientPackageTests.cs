using IntegrationHub.Client;

namespace IntegrationHub.Architecture.Tests;

/// <summary>The .NET client is shipped to SaaS teams: it must stand alone (docs/conventions.md, section 1).</summary>
public sealed class ClientPackageTests
{
    [Fact]
    public void Client_WhenInspected_ShouldReferenceNoProjectOfTheHub()
    {
        // Arrange
        var assembly = typeof(IIntegrationHubClient).Assembly;

        // Act
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        // Assert
        references.ShouldNotBeEmpty();
        references.ShouldNotContain(r => r.StartsWith("IntegrationHub.", StringComparison.Ordinal));
    }
}
