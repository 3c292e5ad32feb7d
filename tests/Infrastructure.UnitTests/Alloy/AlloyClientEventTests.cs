using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

/// <summary>
/// The adapter's custom-event calls (docs/alloy-api.md, E1 and E2) over the real source-generated Refit client, fed by
/// a scripted HTTP handler: what is sent, and how each answer maps to <see cref="AlloyErrors"/>' codes.
/// </summary>
public sealed class AlloyClientEventTests
{
    [Fact]
    public async Task ListEventsAsync_WhenAlloyListsThem_ShouldMapNameDescriptionAndExampleBodyAndSkipUnnamedEntries()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """
            {"data":[
              {"name":"ticket.created","description":"A ticket was opened","body":{"ticketId":"T-1","priority":"high"}},
              {"name":"invoice.paid"},
              {"name":"","description":"no name"},
              {"description":"no name either","body":{}}
            ]}
            """);
        var client = NewClient(handler);

        // Act
        var result = await client.ListEventsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        handler.Sent.Count.ShouldBe(1);
        handler.Sent[0].Method.ShouldBe(HttpMethod.Get);
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/events");
        result.Value.Count.ShouldBe(2);
        result.Value[0].Name.ShouldBe("ticket.created");
        result.Value[0].Description.ShouldBe("A ticket was opened");
        using (var example = JsonDocument.Parse(result.Value[0].ExampleBody!))
        {
            example.RootElement.GetProperty("ticketId").GetString().ShouldBe("T-1");
            example.RootElement.GetProperty("priority").GetString().ShouldBe("high");
        }

        result.Value[1].ShouldBe(new AlloyCustomEvent("invoice.paid", null, null));
    }

    [Fact]
    public async Task ListEventsAsync_WhenBodyHasNoData_ShouldReturnRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.OK, "{}"));

        // Act
        var result = await client.ListEventsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
    }

    [Fact]
    public async Task ListEventsAsync_WhenAlloyAnswers404_ShouldReturnNotFound()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.NotFound, """{"message":"Route not found"}"""));

        // Act
        var result = await client.ListEventsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.NotFoundCode);
        result.Error.Type.ShouldBe(ErrorType.NotFound);
    }

    [Fact]
    public async Task ListEventsAsync_WhenKeyRejected_ShouldReturnKeyRejected()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}"""));

        // Act
        var result = await client.ListEventsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.KeyRejectedCode);
        result.Error.Type.ShouldBe(ErrorType.UpstreamKeyRejected);
    }

    [Fact]
    public async Task ListEventsAsync_WhenAlloyAnswers429WithRetryAfter_ShouldReturnUnavailableWithThatDelay()
    {
        // Arrange
        var client = NewClient(RateLimited(TimeSpan.FromSeconds(11)));

        // Act
        var result = await client.ListEventsAsync(TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(11));
    }

    [Fact]
    public async Task RunEventAsync_WhenAlloyTriggersTheEvent_ShouldSucceedAndSendEventUserIdAndDataAsAnObject()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"message":"Event successfully triggered"}""");
        var client = NewClient(handler);

        // Act
        var result = await client.RunEventAsync(
            "u-42", "invoice.paid", """{"invoiceId":"INV-7","amount":129.5,"lines":[{"sku":"A"}]}""", TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        handler.Sent.Count.ShouldBe(1);
        handler.Sent[0].Method.ShouldBe(HttpMethod.Post);
        handler.Sent[0].Uri!.AbsolutePath.ShouldBe("/run/event");
        using var body = JsonDocument.Parse(handler.Sent[0].Body!);
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["event", "userId", "data"], ignoreOrder: true);
        body.RootElement.GetProperty("event").GetString().ShouldBe("invoice.paid");
        body.RootElement.GetProperty("userId").GetString().ShouldBe("u-42");
        var data = body.RootElement.GetProperty("data");
        data.ValueKind.ShouldBe(JsonValueKind.Object);
        data.GetProperty("invoiceId").GetString().ShouldBe("INV-7");
        data.GetProperty("amount").GetDouble().ShouldBe(129.5);
        data.GetProperty("lines")[0].GetProperty("sku").GetString().ShouldBe("A");
    }

    [Fact]
    public async Task RunEventAsync_WhenAlloyAnswers400_ShouldReturnRejectedWithAlloysMessage()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.BadRequest, """{"message":"Event 'nope' does not exist"}"""));

        // Act
        var result = await client.RunEventAsync("u-1", "nope", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
        result.Error.Type.ShouldBe(ErrorType.Failure);
        result.Error.Description.ShouldContain("400");
        result.Error.Description.ShouldContain("Event 'nope' does not exist");
    }

    [Fact]
    public async Task RunEventAsync_WhenAlloyAnswers404_ShouldReturnNotFoundWithAlloysMessage()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(HttpStatusCode.NotFound, """{"message":"User not found"}"""));

        // Act
        var result = await client.RunEventAsync("gone", "ticket.created", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.NotFoundCode);
        result.Error.Type.ShouldBe(ErrorType.NotFound);
        result.Error.Description.ShouldBe("User not found");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task RunEventAsync_WhenKeyRejected_ShouldReturnKeyRejectedAfterTheConfiguredDelay(HttpStatusCode status)
    {
        // Arrange
        var provisioning = new ProvisioningOptions { KeyRejectedRetryDelay = TimeSpan.FromMinutes(3) };
        var client = NewClient(new StubHttpHandler(status, """{"message":"Unauthorized"}"""), provisioning);

        // Act
        var result = await client.RunEventAsync("u-1", "ticket.created", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.KeyRejectedCode);
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task RunEventAsync_WhenAlloyAnswers429WithRetryAfter_ShouldReturnUnavailableWithThatDelay()
    {
        // Arrange
        var client = NewClient(RateLimited(TimeSpan.FromSeconds(23)));

        // Act
        var result = await client.RunEventAsync("u-1", "ticket.created", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Type.ShouldBe(ErrorType.Unavailable);
        result.Error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(23));
        result.Error.Description.ShouldContain("429");
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task RunEventAsync_WhenAlloyFailsTransiently_ShouldReturnUnavailable(HttpStatusCode status)
    {
        // Arrange
        var client = NewClient(new StubHttpHandler(status, """{"message":"try later"}"""));

        // Act
        var result = await client.RunEventAsync("u-1", "ticket.created", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
    }

    [Fact]
    public async Task RunEventAsync_WhenTheAnswerIsLostOnTheWay_ShouldReturnUnavailable()
    {
        // Arrange
        var client = NewClient(new StubHttpHandler((_, _) =>
            throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"))));

        // Act
        var result = await client.RunEventAsync("u-1", "ticket.created", "{}", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.UnavailableCode);
        result.Error.Description.ShouldContain("POST /run/event");
    }

    [Fact]
    public async Task RunEventAsync_WhenDataIsNotJson_ShouldReturnRejectedWithoutCallingAlloy()
    {
        // Arrange
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"message":"Event successfully triggered"}""");
        var client = NewClient(handler);

        // Act
        var result = await client.RunEventAsync("u-1", "ticket.created", "{not json", TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Code.ShouldBe(AlloyErrors.RejectedCode);
        handler.Sent.ShouldBeEmpty();
    }

    private static StubHttpHandler RateLimited(TimeSpan retryAfter) =>
        new((_, _) =>
        {
            var response = StubHttpHandler.Respond(HttpStatusCode.TooManyRequests, """{"message":"Too many requests"}""");
            response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
            return response;
        });

    private static AlloyClient NewClient(StubHttpHandler handler, ProvisioningOptions? provisioning = null)
    {
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://alloy.test/") };
        var api = RestService.ForGenerated<IAlloyApi>(http, AlloyJsonContext.Default);
        var listings = new InstallationListingCoalescer(
            new TestOptionsMonitor<HubAlloyOptions>(new HubAlloyOptions { CoalesceInstallationListings = false }), TimeProvider.System);
        return new AlloyClient(api, new TestOptionsMonitor<ProvisioningOptions>(provisioning ?? new ProvisioningOptions()), listings, NullLogger<AlloyClient>.Instance);
    }
}
