using System.Net;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary>E1 and E2 (docs/alloy-api.md, section 4), what <c>/_sandbox/events</c> shows of them, and faults on them.</summary>
public sealed class CustomEventTests
{
    [Fact]
    public async Task ListEvents_WhenCalledInEitherUrlStyle_ShouldListTheAccountsEventsWithExampleBodies()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var unversioned = await host.Client.GetAsync("events");
        using var versioned = await host.Client.SendAsync(HttpMethod.Get, "2025-09/events", versionHeader: false);

        // Assert
        var events = (await ReadJsonAsync(unversioned, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        events.Count.ShouldBeGreaterThanOrEqualTo(2);
        var ticket = events.Single(e => e.GetProperty("name").GetString() == "ticket.created");
        ticket.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        ticket.GetProperty("body").ValueKind.ShouldBe(JsonValueKind.Object);
        ticket.GetProperty("body").TryGetProperty("ticketId", out _).ShouldBeTrue();
        var invoice = events.Single(e => e.GetProperty("name").GetString() == "invoice.paid");
        invoice.GetProperty("body").GetProperty("currency").GetString().ShouldNotBeNullOrWhiteSpace();
        var again = (await ReadJsonAsync(versioned, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("name").GetString()).ToList();
        again.ShouldBe(events.Select(e => e.GetProperty("name").GetString()).ToList());
    }

    [Fact]
    public async Task EventRoutes_WhenKeyMissingOrWrong_ShouldReturn401()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var list = await host.Client.GetAsync("events", key: null);
        using var run = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId = "anyone", data = new { } }, key: "wrong");

        // Assert
        await ShouldBeErrorAsync(list, HttpStatusCode.Unauthorized);
        await ShouldBeErrorAsync(run, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RunEvent_WhenValid_ShouldAnswerTheMessageAndRecordTheEvent()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");

        // Act
        using var response = await host.Client.PostAsync(
            "run/event", new { @event = "ticket.created", userId, data = new { ticketId = "T-1", subject = "Help", priority = "high" } });
        var received = await ReceivedAsync(host, $"?userId={userId}");

        // Assert
        (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("message").GetString().ShouldBe("Event successfully triggered");
        received.GetProperty("count").GetInt32().ShouldBe(1);
        var entry = received.GetProperty("data")[0];
        entry.GetProperty("id").GetString().ShouldNotBeNullOrWhiteSpace();
        entry.GetProperty("environment").GetString().ShouldBe("Development");
        entry.GetProperty("event").GetString().ShouldBe("ticket.created");
        entry.GetProperty("userId").GetString().ShouldBe(userId);
        entry.GetProperty("data").GetProperty("subject").GetString().ShouldBe("Help");
        DateTimeOffset.Parse(entry.GetProperty("receivedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task RunEvent_WhenUserGivenByUsernameInTheVersionedPath_ShouldRecordItUnderTheUserId()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("by-name");

        // Act
        using var response = await host.Client.SendAsync(
            HttpMethod.Post, "2025-09/run/event", new { @event = "invoice.paid", userId = "by-name", data = new { invoiceId = "I-1" } }, versionHeader: false);
        var received = await ReceivedAsync(host, "");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        received.GetProperty("data")[0].GetProperty("userId").GetString().ShouldBe(userId);
    }

    [Fact]
    public async Task RunEvent_WhenEventUnknown_ShouldReturn400AndRecordNothing()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");

        // Act
        using var unknown = await host.Client.PostAsync("run/event", new { @event = "no.such.event", userId, data = new { } });
        using var wrongCase = await host.Client.PostAsync("run/event", new { @event = "Ticket.Created", userId, data = new { } });

        // Assert
        await ShouldBeErrorAsync(unknown, HttpStatusCode.BadRequest, "Event 'no.such.event' does not exist");
        await ShouldBeErrorAsync(wrongCase, HttpStatusCode.BadRequest);
        (await ReceivedAsync(host, "")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task RunEvent_WhenUserUnknown_ShouldReturn404LikeOtherUserRoutes()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId = "nobody", data = new { } });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "User not found");
        (await ReceivedAsync(host, "")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task RunEvent_WhenUserBelongsToTheOtherEnvironment_ShouldReturn404()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var productionUser = await host.Client.CreateUserAsync("prod-only", key: ProductionKey);

        // Act
        using var withDevelopmentKey = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId = productionUser, data = new { } });
        using var withProductionKey = await host.Client.PostAsync(
            "run/event", new { @event = "ticket.created", userId = productionUser, data = new { } }, key: ProductionKey);

        // Assert
        await ShouldBeErrorAsync(withDevelopmentKey, HttpStatusCode.NotFound, "User not found");
        withProductionKey.StatusCode.ShouldBe(HttpStatusCode.OK);
        var received = await ReceivedAsync(host, "");
        received.GetProperty("count").GetInt32().ShouldBe(1);
        received.GetProperty("data")[0].GetProperty("environment").GetString().ShouldBe("Production");
        (await ReceivedAsync(host, "?environment=Development")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("true")]
    public async Task RunEvent_WhenDataIsNotAnObject_ShouldReturn400(string data)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");

        // Act
        using var response = await host.Client.SendAsync(
            HttpMethod.Post, "run/event", rawBody: $$"""{"event":"ticket.created","userId":"{{userId}}","data":{{data}}}""");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "data must be an object");
    }

    [Theory]
    [InlineData("""{"userId":"USER","data":{}}""", "event is required")]
    [InlineData("""{"event":"ticket.created","data":{}}""", "userId is required")]
    [InlineData("""{"event":"ticket.created","userId":"USER"}""", "data is required")]
    [InlineData("""{"event":"ticket.created","userId":"USER","data":null}""", "data is required")]
    [InlineData("""{"event":"","userId":"USER","data":{}}""", "event is required")]
    public async Task RunEvent_WhenFieldMissing_ShouldReturn400NamingIt(string body, string message)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "run/event", rawBody: body.Replace("USER", userId, StringComparison.Ordinal));

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("""{"event":5,"userId":"u","data":{}}""")]
    public async Task RunEvent_WhenBodyEmptyOrMalformed_ShouldReturn400(string body)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "run/event", rawBody: body);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RunEvent_WhenRateLimited_ShouldReturn429WithRetryAfterAndRecordNothing()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");
        await host.Client.SetFaultsAsync(new { rateLimitRate = 1.0, retryAfterSeconds = 9 });

        // Act
        using var run = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId, data = new { } });
        using var list = await host.Client.GetAsync("events");

        // Assert
        await ShouldBeErrorAsync(run, HttpStatusCode.TooManyRequests, "Too many requests");
        run.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(9));
        await ShouldBeErrorAsync(list, HttpStatusCode.TooManyRequests);
        (await ReceivedAsync(host, "")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task RunEvent_WhenErrorRateIsOne_ShouldFailWithTheConfiguredStatus()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");
        await host.Client.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });

        // Act
        using var run = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId, data = new { } });

        // Assert
        await ShouldBeErrorAsync(run, HttpStatusCode.ServiceUnavailable);
        (await ReceivedAsync(host, "")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task RunEvent_WhenLostAnswerFaultAbortsTheConnection_ShouldRecordTheEventButTheCallerGetsATransportFailure()
    {
        // Arrange
        await using var host = await SandboxHost.StartOnKestrelAsync();
        var userId = await host.Client.CreateUserAsync("acme");
        await host.Client.SetFaultsAsync(new { lostAnswerRate = 1.0, lostAnswerMethod = "POST", lostAnswerPath = "/run/event" });

        // Act
        var failure = await Should.ThrowAsync<HttpRequestException>(() =>
            host.Client.PostAsync("run/event", new { @event = "invoice.paid", userId, data = new { invoiceId = "I-7" } }));
        var received = await ReceivedAsync(host, $"?userId={userId}&event=invoice.paid");

        // Assert
        failure.StatusCode.ShouldBeNull();
        received.GetProperty("count").GetInt32().ShouldBe(1);
        received.GetProperty("data")[0].GetProperty("data").GetProperty("invoiceId").GetString().ShouldBe("I-7");
    }

    [Fact]
    public async Task RunEvent_WhenLostAnswerFaultHasAStatus_ShouldRecordTheEventAndAnswerThatStatus()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");
        await host.Client.SetFaultsAsync(new { lostAnswerRate = 1.0, lostAnswerStatus = 504 });

        // Act
        using var first = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId, data = new { ticketId = "T-1" } });
        using var retry = await host.Client.PostAsync("run/event", new { @event = "ticket.created", userId, data = new { ticketId = "T-1" } });
        using var refused = await host.Client.PostAsync("run/event", new { @event = "no.such.event", userId, data = new { } });

        // Assert
        await ShouldBeErrorAsync(first, HttpStatusCode.GatewayTimeout, "Gateway timeout");
        await ShouldBeErrorAsync(retry, HttpStatusCode.GatewayTimeout);
        await ShouldBeErrorAsync(refused, HttpStatusCode.BadRequest);
        (await ReceivedAsync(host, "")).GetProperty("count").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task LostAnswerFault_WhenRestrictedToRunEvent_ShouldLeaveOtherRoutesAndReadsAlone()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.SetFaultsAsync(new { lostAnswerRate = 1.0, lostAnswerPath = "/run/event", lostAnswerStatus = 500 });

        // Act
        using var create = await host.Client.PostAsync("users", new { username = "unaffected" });
        using var list = await host.Client.GetAsync("events");
        using var faults = await host.Client.Http.GetAsync("_sandbox/faults", TestContext.Current.CancellationToken);

        // Assert
        create.StatusCode.ShouldBe(HttpStatusCode.OK);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var current = await ReadJsonAsync(faults, HttpStatusCode.OK);
        current.GetProperty("lostAnswerRate").GetDouble().ShouldBe(1.0);
        current.GetProperty("lostAnswerPath").GetString().ShouldBe("/run/event");
        current.GetProperty("lostAnswerStatus").GetInt32().ShouldBe(500);
    }

    [Fact]
    public async Task LostAnswerFault_WhenNotRestricted_ShouldApplyToOtherMutatingRoutes()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.SetFaultsAsync(new { lostAnswerRate = 1.0, lostAnswerStatus = 502 });

        // Act
        using var create = await host.Client.PostAsync("users", new { username = "created-anyway" });
        await host.Client.ClearFaultsAsync();
        using var lookup = await host.Client.GetAsync("users/created-anyway");

        // Assert
        await ShouldBeErrorAsync(create, HttpStatusCode.BadGateway);
        lookup.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"lostAnswerRate":1.5}""", "lostAnswerRate must be between 0 and 1")]
    [InlineData("""{"lostAnswerRate":0.5,"lostAnswerStatus":404}""", "lostAnswerStatus must be 0 (abort the connection) or between 500 and 599")]
    public async Task PutFaults_WhenLostAnswerSettingsInvalid_ShouldReturn400(string body, string message)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        // Act
        using var response = await host.Client.Http.PutAsync("_sandbox/faults", content, TestContext.Current.CancellationToken);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task SandboxEvents_WhenFilteredAndLimited_ShouldListTheLatestMatchesOldestFirst()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var ana = await host.Client.CreateUserAsync("ana");
        var bo = await host.Client.CreateUserAsync("bo");
        foreach (var i in Enumerable.Range(1, 4))
        {
            await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "ticket.created", userId = ana, data = new { n = i } });
        }

        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "invoice.paid", userId = ana, data = new { n = 5 } });
        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "ticket.created", userId = bo, data = new { n = 6 } });

        // Act
        var all = await ReceivedAsync(host, "");
        var anaTickets = await ReceivedAsync(host, $"?userId={ana}&event=ticket.created");
        var latestTwo = await ReceivedAsync(host, $"?userId={ana}&event=ticket.created&limit=2");

        // Assert
        Numbers(all).ShouldBe([1, 2, 3, 4, 5, 6]);
        Numbers(anaTickets).ShouldBe([1, 2, 3, 4]);
        Numbers(latestTwo).ShouldBe([3, 4]);
        latestTwo.GetProperty("count").GetInt32().ShouldBe(2);
        latestTwo.GetProperty("matched").GetInt32().ShouldBe(4);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=abc")]
    [InlineData("?limit=100001")]
    [InlineData("?environment=Staging")]
    public async Task SandboxEvents_WhenQueryMalformed_ShouldReturn400(string query)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.Http.GetAsync("_sandbox/events" + query, TestContext.Current.CancellationToken);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stats_WhenEventsReceived_ShouldCountThemInAllPerEnvironmentAndPerEventName()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var dev = await host.Client.CreateUserAsync("dev");
        var prod = await host.Client.CreateUserAsync("prod", key: ProductionKey);

        // Act
        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "ticket.created", userId = dev, data = new { } });
        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "ticket.created", userId = dev, data = new { } });
        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "invoice.paid", userId = prod, data = new { } }, ProductionKey);
        using var refused = await host.Client.PostAsync("run/event", new { @event = "no.such.event", userId = dev, data = new { } });
        var stats = await host.Client.GetStatsAsync();

        // Assert
        var counts = stats.GetProperty("receivedEvents");
        counts.GetProperty("total").GetInt64().ShouldBe(3);
        counts.GetProperty("byEnvironment").GetProperty("Development").GetInt64().ShouldBe(2);
        counts.GetProperty("byEnvironment").GetProperty("Production").GetInt64().ShouldBe(1);
        counts.GetProperty("byEvent").GetProperty("ticket.created").GetInt64().ShouldBe(2);
        counts.GetProperty("byEvent").GetProperty("invoice.paid").GetInt64().ShouldBe(1);
        counts.GetProperty("byEvent").TryGetProperty("no.such.event", out _).ShouldBeFalse();
        stats.GetProperty("calls").GetProperty("POST /run/event").GetInt64().ShouldBe(4);
    }

    [Fact]
    public async Task Reset_WhenEventsReceived_ShouldClearThemAndTheirCounts()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme");
        await host.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "ticket.created", userId, data = new { } });

        // Act
        await host.Client.ResetAsync();
        var received = await ReceivedAsync(host, "");
        var stats = await host.Client.GetStatsAsync();

        // Assert
        received.GetProperty("count").GetInt32().ShouldBe(0);
        received.GetProperty("data").GetArrayLength().ShouldBe(0);
        stats.GetProperty("receivedEvents").GetProperty("total").GetInt64().ShouldBe(0);
        stats.GetProperty("receivedEvents").GetProperty("byEvent").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task StateFile_WhenHostRestarts_ShouldKeepReceivedEventsAndTheirCounts()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("alloy-sandbox-tests-");
        var configuration = new Dictionary<string, string?> { ["AlloySandbox:StateFile"] = Path.Combine(directory.FullName, "state.json") };
        try
        {
            string userId;
            await using (var first = await SandboxHost.StartMountedAsync(configuration))
            {
                userId = await first.Client.CreateUserAsync("kept");
                await first.Client.AlloyAsync(HttpMethod.Post, "run/event", new { @event = "invoice.paid", userId, data = new { amount = 12.5 } });
            }

            // Act
            await using var second = await SandboxHost.StartMountedAsync(configuration);
            var received = await ReceivedAsync(second, "");
            var stats = await second.Client.GetStatsAsync();

            // Assert
            received.GetProperty("count").GetInt32().ShouldBe(1);
            received.GetProperty("data")[0].GetProperty("userId").GetString().ShouldBe(userId);
            received.GetProperty("data")[0].GetProperty("data").GetProperty("amount").GetDouble().ShouldBe(12.5);
            stats.GetProperty("receivedEvents").GetProperty("byEvent").GetProperty("invoice.paid").GetInt64().ShouldBe(1);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> ReceivedAsync(SandboxHost host, string query)
    {
        using var response = await host.Client.Http.GetAsync("_sandbox/events" + query, TestContext.Current.CancellationToken);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    private static List<int> Numbers(JsonElement received) =>
        [.. received.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("n").GetInt32())];
}
