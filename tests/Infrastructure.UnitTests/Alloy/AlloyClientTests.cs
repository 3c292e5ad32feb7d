using System.Net;
using System.Text.Json;
using IntegrationHub.TestSupport;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

/// <summary>
/// The adapter over the real source-generated Refit client, fed by a scripted HTTP handler: what Alloy answers
/// becomes a <see cref="Result"/> with one of <see cref="AlloyErrors"/>' codes, and no Refit type escapes.
/// </summary>
public sealed class AlloyClientTests
{
    [Fact]
    public async Task CreateUserAsync_WhenAlloyCreatesTheUser_ShouldReturnItsIdAndSendUsernameAndFullName()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.Created, """{"userId":"u-123"}""");
        var client = NewClient(handler);

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe("u-123");
        handler.Sent.Count.ShouldBe(1);
        handler.Sent[0].Method.ShouldBe(HttpMethod.Post);
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/users");
        using var body = JsonDocument.Parse(handler.Sent[0].Body!);
        body.RootElement.GetProperty("username").GetString().ShouldBe("hub-acme");
        body.RootElement.GetProperty("fullName").GetString().ShouldBe("Acme Corp");
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task CreateUserAsync_WhenAlloyRefusesWithMaybeExists_ShouldReturnConflictWithAlloysMessage(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status, """{"message":"username already taken"}"""));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe(AlloyErrors.ConflictCode);
        result.Error.Type.ShouldBe(ErrorType.Conflict);
        result.Error.Description.ShouldBe("username already taken");
    }

    [Fact]
    public async Task CreateUserAsync_WhenRefusalHasNoReadableBody_ShouldReturnConflictWithDefaultMessage()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.Conflict, "<html>nope</html>"));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.ConflictCode);
        result.Error.Description.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task CreateUserAsync_WhenOtherClientError_ShouldReturnRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.RequestEntityTooLarge, """{"message":"too big"}"""));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
        result.Error.Description.ShouldContain("413");
        result.Error.Description.ShouldContain("too big");
    }

    [Fact]
    public async Task CreateUserAsync_WhenSuccessBodyLacksUserId_ShouldReturnRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, """{"something":"else"}"""));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task CreateUserAsync_WhenKeyRejected_ShouldReturnKeyRejected(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status, """{"message":"invalid api key"}"""));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.KeyRejectedCode);
        result.Error.Type.ShouldBe(ErrorType.UpstreamKeyRejected);
    }

    [Fact]
    public async Task FindUserAsync_WhenUserExists_ShouldReturnIt()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"userId":"u-1","username":"hub-acme","fullName":"Acme Corp"}""");
        var client = NewClient(handler);

        // Act
        var result = await client.FindUserAsync("hub-acme", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe(new AlloyUser("u-1", "hub-acme", "Acme Corp"));
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/users/hub-acme");
    }

    [Fact]
    public async Task FindUserAsync_WhenAlloyAnswers404_ShouldReturnSuccessWithNull()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.NotFound, """{"message":"User not found"}"""));

        // Act
        var result = await client.FindUserAsync("hub-acme", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBeNull();
    }

    [Theory]
    [InlineData(30)]
    [InlineData(7)]
    public async Task FindUserAsync_WhenKeyRejected_ShouldAskToRetryAfterTheConfiguredKeyRejectedRetryDelay(int seconds)
    {
        // Arrange
        var provisioning = new ProvisioningOptions { KeyRejectedRetryDelay = TimeSpan.FromSeconds(seconds) };
        var client = NewClient(new StubHttpHandler(HttpStatusCode.Unauthorized), provisioning);

        // Act
        var result = await client.FindUserAsync("hub-acme", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public async Task FindUserAsync_WhenKeyRejected_ShouldReturnKeyRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.Unauthorized));

        // Act
        var result = await client.FindUserAsync("hub-acme", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.KeyRejectedCode);
    }

    [Fact]
    public async Task CreateUserAsync_WhenAlloyAnswers429WithRetryAfterSeconds_ShouldReturnUnavailableWithThatDelay()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler((_, _) =>
        {
            var response = StubHttpHandler.Respond(HttpStatusCode.TooManyRequests, """{"message":"slow down"}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(17));
            return response;
        }));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Type.ShouldBe(ErrorType.Unavailable);
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(17));
        result.Error.Description.ShouldContain("429");
    }

    [Fact]
    public async Task CreateUserTokenAsync_WhenAlloyAnswers429WithoutRetryAfter_ShouldReturnUnavailableWithDefaultDelay()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.TooManyRequests));

        // Act
        var result = await client.CreateUserTokenAsync("u-1", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.RetryAfter.ShouldNotBeNull();
        result.Error.RetryAfter.Value.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task CreateUserAsync_WhenAlloyFailsTransiently_ShouldReturnUnavailable(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status, """{"message":"try later"}"""));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Description.ShouldContain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CreateUserAsync_WhenNetworkFails_ShouldReturnUnavailable()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler((_, _) => throw new HttpRequestException("Connection refused")));

        // Act
        var result = await client.CreateUserAsync("hub-acme", "Acme Corp", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Description.ShouldContain("connection failed");
    }

    [Fact]
    public async Task CreateUserTokenAsync_WhenRequestTimesOut_ShouldReturnUnavailable()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler((_, _) => throw new TaskCanceledException("attempt timed out")));

        // Act
        var result = await client.CreateUserTokenAsync("u-1", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Description.ShouldContain("timed out");
    }

    [Fact]
    public async Task CreateUserTokenAsync_WhenCallerCancels_ShouldThrowRatherThanBlameAlloy()
    {
        // Arrange
        using var cts = new CancellationTokenSource();
        var client = NewClient(new StubHttpHandler((_, _) =>
        {
            cts.Cancel();
            throw new TaskCanceledException("caller gave up", null, cts.Token);
        }));

        // Act
        var act = async () => await client.CreateUserTokenAsync("u-1", cts.Token);

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(act);
    }

    [Fact]
    public async Task CreateUserTokenAsync_WhenAlloyMintsToken_ShouldReturnIt()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"token":"eyJ.abc.def"}""");
        var client = NewClient(handler);

        // Act
        var result = await client.CreateUserTokenAsync("u-1", TestContext.Current.CancellationToken);

        // Assert
        result.Value.ShouldBe("eyJ.abc.def");
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/users/u-1/token");
    }

    [Fact]
    public async Task CreateUserTokenAsync_WhenUserUnknown_ShouldReturnNotFound()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.NotFound, """{"message":"no such user"}"""));

        // Act
        var result = await client.CreateUserTokenAsync("u-gone", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.NotFoundCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task DeleteUserAsync_WhenDeletedOrAlreadyGone_ShouldSucceed(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status));

        // Act
        var result = await client.DeleteUserAsync("u-1", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task ListInstallationsAsync_WhenAlloyListsThem_ShouldMapAndSkipIncompleteEntries()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, """
            {"data":[
              {"installationId":"i-1","integrationId":"int-1","userId":"u-1","enabled":true,"installedAt":"2026-03-01T10:00:00Z"},
              {"installationId":"i-2","userId":"u-2"},
              {"installationId":"","userId":"u-3"},
              {"installationId":"i-4"}
            ]}
            """));

        // Act
        var result = await client.ListInstallationsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Value.ShouldBe(
        [
            new AlloyInstallation("i-1", "int-1", "u-1", true, new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero)),
            new AlloyInstallation("i-2", string.Empty, "u-2", false, null),
        ]);
    }

    [Fact]
    public async Task ListIntegrationsAsync_WhenAlloyListsThem_ShouldMapWithNameFallbacks()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """
            {"data":[
              {"integrationId":"int-1","name":"Slack","description":"chat","icon":"s.png","installed":true,"credentials":["c-1"]},
              {"integrationId":"int-2","primaryConnector":"HubSpot","app":"hubspot"},
              {"integrationId":"int-3","app":"salesforce"},
              {"integrationId":"int-4"},
              {"name":"no id"}
            ]}
            """);
        var client = NewClient(handler);

        // Act
        var result = await client.ListIntegrationsAsync("u-1", TestContext.Current.CancellationToken);

        // Assert
        handler.Sent[0].Uri!.Query.ShouldBe("?userId=u-1");
        var integrations = result.Value;
        integrations.Select(i => i.Name).ShouldBe(["Slack", "HubSpot", "salesforce", "int-4"]);
        integrations[0].Installed.ShouldBeTrue();
        integrations[0].Credentials.ShouldBe(["c-1"]);
        integrations[1].Installed.ShouldBeFalse();
        integrations[1].Credentials.ShouldBeEmpty();
    }

    [Fact]
    public async Task ListInstallationsAsync_WhenBodyHasNoData_ShouldReturnRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, "{}"));

        // Act
        var result = await client.ListInstallationsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
    }

    [Fact]
    public async Task ListUserInstallationsAsync_WhenTheAccountListsManyUsers_ShouldKeepOnlyThatUsersEntries()
    {
        // Arrange: 3,000 installations of 600 users.
        var entries = Enumerable.Range(0, 3000).Select(n => $$"""{"installationId":"i-{{n}}","integrationId":"int-{{n % 7}}","userId":"u-{{n % 600}}","enabled":true}""");
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, $$"""{"data":[{{string.Join(",", entries)}}]}"""));

        // Act
        var result = await client.ListUserInstallationsAsync("u-42", TestContext.Current.CancellationToken);

        // Assert
        result.Value.Select(i => i.InstallationId).ShouldBe(["i-42", "i-642", "i-1242", "i-1842", "i-2442"]);
    }

    [Fact]
    public async Task ReadInstallationsAsync_WhenTheAccountIsLarge_ShouldHandOnChunksOfAboutTheAskedSize()
    {
        // Arrange
        var entries = Enumerable.Range(0, 2500).Select(n => $$"""{"installationId":"i-{{n}}","userId":"u-{{n}}"}""");
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, $$"""{"data":[{{string.Join(",", entries)}}]}"""));
        var chunks = new List<int>();
        var ids = new HashSet<string>();

        // Act
        var result = await client.ReadInstallationsAsync(
            1000,
            (chunk, _) =>
            {
                chunks.Add(chunk.Count);
                ids.UnionWith(chunk.Select(i => i.InstallationId));
                return Task.CompletedTask;
            },
            TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        ids.Count.ShouldBe(2500);
        chunks.Sum().ShouldBe(2500);
        chunks.ShouldAllBe(c => c >= 1 && c < 2000);
    }

    [Fact]
    public async Task ListInstallationsAsync_WhenTheBodyIsMalformed_ShouldAnswerARejectedErrorNamingIt()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, """{"data":[{"installationId":"i-1","userId":"u-1"},{"installationId":"""));

        // Act
        var result = await client.ListInstallationsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
        result.Error!.Description.ShouldContain("not the documented listing");
    }

    [Fact]
    public async Task ListInstallationsAsync_WhenAlloyAnswers503_ShouldAnswerUnavailable()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.ServiceUnavailable, """{"message":"maintenance"}"""));

        // Act
        var result = await client.ListInstallationsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error!.Description.ShouldContain("maintenance");
    }

    private static AlloyClient NewClient(StubHttpHandler handler, ProvisioningOptions? provisioning = null)
    {
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://alloy.test/") };
        var api = RestService.ForGenerated<IAlloyApi>(http, AlloyJsonContext.Default);
        // No sharing of installation listings here: each test call must reach the handler.
        var listings = new InstallationListingCoalescer(
            new TestOptionsMonitor<HubAlloyOptions>(new HubAlloyOptions { CoalesceInstallationListings = false }), TimeProvider.System);
        return new AlloyClient(api, new TestOptionsMonitor<ProvisioningOptions>(provisioning ?? new ProvisioningOptions()), listings, NullLogger<AlloyClient>.Instance);
    }
}
