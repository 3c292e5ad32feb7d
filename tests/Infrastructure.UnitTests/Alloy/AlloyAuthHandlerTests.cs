using System.Net;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

public sealed class AlloyAuthHandlerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly AlloyKeyState _keyState;

    public AlloyAuthHandlerTests()
    {
        _keyState = new AlloyKeyState(_time);
    }

    [Fact]
    public async Task SendAsync_WhenKeyConfigured_ShouldSendBearerKeyAndApiVersion()
    {
        // Arrange
        var inner = new StubHttpHandler();
        using var invoker = NewInvoker(new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", apiVersion: "2025-09")), inner);

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Sent.Count.ShouldBe(1);
        inner.Sent[0].Authorization.ShouldBe("Bearer primary-key");
        inner.Sent[0].ApiVersions.ShouldBe(["2025-09"]);
        _keyState.Rejected.ShouldBeFalse();
        _keyState.UsingSecondary.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_WhenRequestAlreadyHasApiVersion_ShouldReplaceIt()
    {
        // Arrange
        var inner = new StubHttpHandler();
        using var invoker = NewInvoker(new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiVersion: "2025-09")), inner);
        using var request = NewRequest();
        request.Headers.TryAddWithoutValidation(AlloyAuthHandler.ApiVersionHeader, "2019-01");

        // Act
        using var response = await invoker.SendAsync(request, TestContext.Current.CancellationToken);

        // Assert
        inner.Sent[0].ApiVersions.ShouldBe(["2025-09"]);
    }

    [Fact]
    public async Task SendAsync_WhenKeyHasSurroundingWhitespace_ShouldSendItTrimmed()
    {
        // Arrange
        var inner = new StubHttpHandler();
        using var invoker = NewInvoker(new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "  primary-key\n")), inner);

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        inner.Sent[0].Authorization.ShouldBe("Bearer primary-key");
    }

    [Fact]
    public async Task SendAsync_WhenConfigurationChangesBetweenCalls_ShouldUseTheNewKeyWithoutRestart()
    {
        // Arrange
        var inner = new StubHttpHandler();
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "old-key", apiVersion: "2025-09"));
        using var invoker = NewInvoker(options, inner);
        using (await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken))
        {
        }

        options.Set(NewOptions(apiKey: "rotated-key", apiVersion: "2026-01"));

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        inner.Sent.Select(s => s.Authorization).ShouldBe(["Bearer old-key", "Bearer rotated-key"]);
        inner.Sent[1].ApiVersions.ShouldBe(["2026-01"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task SendAsync_WhenPrimaryRejectedAndSecondaryConfigured_ShouldRetryWithSecondaryAndKeepUsingIt(HttpStatusCode rejection)
    {
        // Arrange
        var inner = new StubHttpHandler((request, _) => StubHttpHandler.Respond(
            request.Headers.Authorization?.Parameter == "secondary-key" ? HttpStatusCode.OK : rejection));
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", secondaryApiKey: "secondary-key"));
        using var invoker = NewInvoker(options, inner);

        // Act
        using var first = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);
        using var second = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Sent.Select(s => s.Authorization).ShouldBe(["Bearer primary-key", "Bearer secondary-key", "Bearer secondary-key"]);
        _keyState.UsingSecondary.ShouldBeTrue();
        _keyState.Rejected.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_WhenPostIsRetriedWithSecondaryKey_ShouldResendTheWholeBody()
    {
        // Arrange: the real generated Refit client, so the body is whatever content Refit builds
        var inner = new StubHttpHandler((request, _) => request.Headers.Authorization?.Parameter == "secondary-key"
            ? StubHttpHandler.Respond(HttpStatusCode.Created, """{"userId":"u-1"}""")
            : StubHttpHandler.Respond(HttpStatusCode.Unauthorized));
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", secondaryApiKey: "secondary-key"));
        using var http = new HttpClient(new AlloyAuthHandler(options, _keyState) { InnerHandler = inner })
        {
            BaseAddress = new Uri("https://alloy.test/"),
        };
        var api = Refit.RestService.ForGenerated<IAlloyApi>(http, AlloyJsonContext.Default);

        // Act
        using var response = await api.CreateUserAsync(new CreateUserRequest("hub-acme", "Acme Corp"), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Content!.UserId.ShouldBe("u-1");
        inner.Sent.Count.ShouldBe(2);
        inner.Sent[1].Body.ShouldBe(inner.Sent[0].Body);
        inner.Sent[1].Body!.ShouldContain("hub-acme");
    }

    [Fact]
    public async Task SendAsync_WhenUsingSecondaryAndItIsRevoked_ShouldFallBackToPrimary()
    {
        // Arrange
        var accepted = "secondary-key";
        var inner = new StubHttpHandler((request, _) => StubHttpHandler.Respond(
            request.Headers.Authorization?.Parameter == accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized));
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", secondaryApiKey: "secondary-key"));
        using var invoker = NewInvoker(options, inner);
        using (await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken))
        {
        }

        accepted = "new-primary-key";
        options.Set(NewOptions(apiKey: "new-primary-key", secondaryApiKey: "secondary-key"));

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Sent.Skip(2).Select(s => s.Authorization).ShouldBe(["Bearer secondary-key", "Bearer new-primary-key"]);
        _keyState.UsingSecondary.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_WhenEveryKeyRejected_ShouldReportRejectedAndReturn401()
    {
        // Arrange
        var inner = new StubHttpHandler(HttpStatusCode.Unauthorized);
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", secondaryApiKey: "secondary-key"));
        using var invoker = NewInvoker(options, inner);

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        inner.Sent.Select(s => s.Authorization).ShouldBe(["Bearer primary-key", "Bearer secondary-key"]);
        _keyState.Rejected.ShouldBeTrue();
        _keyState.ChangedAt.ShouldBe(Start);
    }

    [Fact]
    public async Task SendAsync_WhenOnlyKeyRejected_ShouldTryItOnceAndReportRejected()
    {
        // Arrange
        var inner = new StubHttpHandler(HttpStatusCode.Unauthorized);
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "same-key", secondaryApiKey: "same-key"));
        using var invoker = NewInvoker(options, inner);

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        inner.Sent.Count.ShouldBe(1);
        _keyState.Rejected.ShouldBeTrue();
    }

    [Fact]
    public async Task SendAsync_WhenKeyFixedAfterRejection_ShouldClearRejectedState()
    {
        // Arrange
        var inner = new StubHttpHandler((request, _) => StubHttpHandler.Respond(
            request.Headers.Authorization?.Parameter == "fixed-key" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized));
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "revoked-key"));
        using var invoker = NewInvoker(options, inner);
        using (await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken))
        {
        }

        _keyState.Rejected.ShouldBeTrue();
        _time.Advance(TimeSpan.FromMinutes(3));
        options.Set(NewOptions(apiKey: "fixed-key"));

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _keyState.Rejected.ShouldBeFalse();
        _keyState.ChangedAt.ShouldBe(Start.AddMinutes(3));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("   ", null)]
    public async Task SendAsync_WhenNoKeyConfigured_ShouldReturn401WithoutCallingAlloy(string? apiKey, string? secondaryApiKey)
    {
        // Arrange
        var inner = new StubHttpHandler();
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: apiKey, secondaryApiKey: secondaryApiKey));
        using var invoker = NewInvoker(options, inner);
        using var request = NewRequest();

        // Act
        using var response = await invoker.SendAsync(request, TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.RequestMessage.ShouldBeSameAs(request);
        inner.Sent.ShouldBeEmpty();
        _keyState.Rejected.ShouldBeTrue();
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task SendAsync_WhenAlloyAnswersOtherErrors_ShouldPassThemOnWithoutTryingOtherKeys(HttpStatusCode status)
    {
        // Arrange
        var inner = new StubHttpHandler(status);
        var options = new TestOptionsMonitor<HubAlloyOptions>(NewOptions(apiKey: "primary-key", secondaryApiKey: "secondary-key"));
        using var invoker = NewInvoker(options, inner);

        // Act
        using var response = await invoker.SendAsync(NewRequest(), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(status);
        inner.Sent.Count.ShouldBe(1);
        _keyState.Rejected.ShouldBeFalse();
    }

    private HttpMessageInvoker NewInvoker(TestOptionsMonitor<HubAlloyOptions> options, StubHttpHandler inner) =>
        new(new AlloyAuthHandler(options, _keyState) { InnerHandler = inner });

    private static HttpRequestMessage NewRequest() => new(HttpMethod.Get, "https://alloy.test/users/user-1");

    private static HubAlloyOptions NewOptions(
        string? apiKey = "primary-key",
        string? secondaryApiKey = null,
        string apiVersion = HubAlloyOptions.DefaultApiVersion) =>
        new() { ApiKey = apiKey, SecondaryApiKey = secondaryApiKey, ApiVersion = apiVersion };
}
