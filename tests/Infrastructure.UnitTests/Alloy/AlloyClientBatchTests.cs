using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

/// <summary>
/// The adapter's batch create (docs/alloy-api.md, U6) over the real source-generated Refit client, fed by a scripted
/// HTTP handler: what is sent, and how each answer maps to refused entries or <see cref="AlloyErrors"/>' codes.
/// </summary>
public sealed class AlloyClientBatchTests
{
    private static readonly IReadOnlyList<(string Username, string FullName)> Users =
        [("hub-acme", "Acme Ltd"), ("hub-globex", "Globex"), ("hub-initech", "Initech")];

    [Fact]
    public async Task CreateUsersAsync_WhenAlloyCreatesAll_ShouldSendTheUsersArrayAndRefuseNone()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"message":"success","invalidUsers":[]}""");
        var client = NewClient(handler);

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.Refused.ShouldBeEmpty();
        handler.Sent.Count.ShouldBe(1);
        handler.Sent[0].Method.ShouldBe(HttpMethod.Post);
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/users/batch");
        using var body = JsonDocument.Parse(handler.Sent[0].Body!);
        var sent = body.RootElement.GetProperty("users").EnumerateArray()
            .Select(u => (u.GetProperty("username").GetString(), u.GetProperty("fullName").GetString()))
            .ToList();
        sent.ShouldBe([("hub-acme", "Acme Ltd"), ("hub-globex", "Globex"), ("hub-initech", "Initech")]);
    }

    [Fact]
    public async Task CreateUsersAsync_WhenAlloyRefusesSome_ShouldReturnTheirUsernamesWithAlloysReasonOrAGenericOne()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, """
            {"message":"success","invalidUsers":[
              {"username":"hub-acme","fullName":"Acme Ltd"},
              {"username":"hub-globex","reason":"User with username 'hub-globex' already exists"},
              {"fullName":"Nameless"}
            ]}
            """));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.Refused.Count.ShouldBe(3);
        result.Value.Refused[0].Username.ShouldBe("hub-acme");
        result.Value.Refused[0].Reason.ShouldContain("no username, or the username exists");
        result.Value.Refused[1].ShouldBe(new AlloyRefusedUser("hub-globex", "User with username 'hub-globex' already exists"));
        result.Value.Refused[2].Username.ShouldBeNull();
    }

    [Fact]
    public async Task CreateUsersAsync_WhenAlloyFindsNoValidUser_ShouldRefuseEveryEntryWithAlloysMessage()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.BadRequest, """{"message":"No valid users provided"}"""));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.Refused.Select(r => r.Username).ShouldBe(["hub-acme", "hub-globex", "hub-initech"]);
        result.Value.Refused.ShouldAllBe(r => r.Reason == "No valid users provided");
    }

    [Fact]
    public async Task CreateUsersAsync_WhenAlloyAnswersAnother400_ShouldReturnRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.BadRequest, """{"message":"users must not contain more than 1000 users"}"""));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
        result.Error.Description.ShouldContain("more than 1000");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task CreateUsersAsync_WhenTheKeyIsRefused_ShouldReturnKeyRejected(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status, """{"message":"Unauthorized"}"""));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.KeyRejectedCode);
    }

    [Fact]
    public async Task CreateUsersAsync_WhenRateLimited_ShouldReturnUnavailableWithRetryAfter()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler((_, _) =>
        {
            var response = StubHttpHandler.Respond(HttpStatusCode.TooManyRequests, """{"message":"Too many requests"}""");
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        }));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task CreateUsersAsync_WhenAlloyAnswers503_ShouldReturnUnavailable()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.ServiceUnavailable, """{"message":"Service unavailable"}"""));

        // Act
        var result = await client.CreateUsersAsync(Users, TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
    }

    [Fact]
    public async Task CreateUsersAsync_WhenGivenMoreThanAlloysLimit_ShouldThrowWithoutCalling()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"message":"success","invalidUsers":[]}""");
        var client = NewClient(handler);
        var users = Enumerable.Range(0, AlloyBatch.MaxUsers + 1).Select(i => ($"u{i}", "Name")).ToList();

        // Act
        var act = () => client.CreateUsersAsync(users, TestContext.Current.CancellationToken);

        // Assert
        await act.ShouldThrowAsync<ArgumentOutOfRangeException>();
        handler.Sent.ShouldBeEmpty();
    }

    private static AlloyClient NewClient(StubHttpHandler handler)
    {
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://alloy.test/") };
        var api = RestService.ForGenerated<IAlloyApi>(http, AlloyJsonContext.Default);
        var listings = new InstallationListingCoalescer(
            new TestOptionsMonitor<HubAlloyOptions>(new HubAlloyOptions { CoalesceInstallationListings = false }), TimeProvider.System);
        return new AlloyClient(api, new TestOptionsMonitor<ProvisioningOptions>(new ProvisioningOptions()), listings, NullLogger<AlloyClient>.Instance);
    }
}
