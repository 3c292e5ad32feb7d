using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>A configuration that cannot be safe stops the hub at start, with a message that says what to fix.</summary>
public sealed class StartupGuardrailTests
{
    public static TheoryData<string, string, string, string?> BadConfigurations => new()
    {
        { "Production", "Alloy:Sandbox", "true", "never served in Production" },
        { "Development", "Alloy:Sandbox", "false", "Alloy:ApiKey is not set" },
        { "Development", "Auth:Jwt:SigningKey", Convert.ToBase64String(new byte[16]), "too weak: 16 bytes" },
        { "Development", "Auth:Jwt:SigningKey", "not base64!", "must be base64" },
        { "Development", "Auth:ServiceKeys:0:Sha256", "not-a-hash", "Auth:ServiceKeys:0:Sha256 must be the lowercase hex SHA-256" },
        { "Development", "Auth:ServiceKeys:0:Roles:0", "superuser", "Auth:ServiceKeys:0:Roles must list 'service' and/or 'admin'" },
        { "Development", "Auth:Jwt:Audience", "", "Auth:Jwt:Issuer and Auth:Jwt:Audience are required" },
        { "Development", "Alloy:Resilience:AttemptTimeout", "00:00:30", "Alloy:Resilience:TotalRequestTimeout (00:00:30) must be longer than Alloy:Resilience:AttemptTimeout" },
        { "Development", "Alloy:IntegrationsCacheDuration", "-00:00:01", "Alloy:IntegrationsCacheDuration: " },
        { "Development", "Tokens:ReuseWindow", "-00:00:01", "ReuseWindow must be between" },
        { "Development", "RateLimits:ServiceKeyPerMinute", "-1", "ServiceKeyPerMinute must be between" },
        { "Development", "Sync:DriftGuardRatio", "2", "DriftGuardRatio must be between" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task Start_WhenTheConfigurationIsUnsafe_ShouldFailWithAClearMessage(string environment, string key, string value, string? message)
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { [key] = value }, environment, start: false);

        // Act
        var failure = Should.Throw<Exception>(() => hub.CreateClient());

        // Assert
        Flatten(failure).ShouldContain(message!);
    }

    [Fact]
    public async Task Start_WhenTheConfigurationIsTheDevelopmentDefault_ShouldSucceed()
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>(), start: false);

        // Act
        using var client = hub.CreateClient();
        using var response = await client.GetAsync("/health/live");

        // Assert
        response.IsSuccessStatusCode.ShouldBeTrue();
    }

    private static string Flatten(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(Flatten));
            }
        }

        return string.Join(" | ", messages);
    }
}
