using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.IntegrationErrors;
using IntegrationHub.Application.IntegrationErrors.GetTenantIntegrationErrors;
using IntegrationHub.Application.IntegrationErrors.QueryIntegrationErrors;
using IntegrationHub.Application.IntegrationErrors.ReceiveAlloyErrorWebhook;
using IntegrationHub.Application.UnitTests.Validation;

namespace IntegrationHub.Application.UnitTests.IntegrationErrors;

public sealed class IntegrationErrorValidatorTests
{
    private const string Record = "{\"_id\":\"66aa\",\"workflowId\":\"wf-1\",\"executionId\":\"exec-1\",\"error\":\"boom\"}";

    private readonly ReceiveAlloyErrorWebhookCommandValidator _receive = new();

    [Fact]
    public void ReceiveAlloyErrorWebhookCommandValidator_WhenHeadersAndBodyArePresent_ShouldPass()
    {
        // Act
        var result = _receive.Validate(NewCommand());

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void ReceiveAlloyErrorWebhookCommandValidator_WhenOnlyTheRequiredHeadersArePresent_ShouldPass()
    {
        // Act
        var result = _receive.Validate(NewCommand(workflowId: null, blockName: null, blockType: null));

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "user-1", Record, "x-alloy-executionuuid")]
    [InlineData(" ", "user-1", Record, "x-alloy-executionuuid")]
    [InlineData("exec-1", null, Record, "x-alloy-userid")]
    [InlineData("exec-1", "user-1", null, "body")]
    [InlineData("exec-1", "user-1", "", "body")]
    [InlineData("exec-1", "user-1", "not json", "body")]
    [InlineData("exec-1", "user-1", "[1,2]", "body")]
    [InlineData("exec-1", "user-1", "\"text\"", "body")]
    [InlineData("exec-1", "user-1", "{\"error\":", "body")]
    public void ReceiveAlloyErrorWebhookCommandValidator_WhenAHeaderIsMissingOrTheBodyIsNotAJsonObject_ShouldFailOnIt(
        string? executionId, string? userId, string? body, string field)
    {
        // Act
        var failed = _receive.FailedProperties(NewCommand(executionId: executionId, userId: userId, body: body));

        // Assert
        failed.ShouldBe([field]);
    }

    [Fact]
    public void ReceiveAlloyErrorWebhookCommandValidator_WhenIdsAreTooLong_ShouldFailOnEach()
    {
        // Act
        var failed = _receive.FailedProperties(NewCommand(executionId: new string('e', 101), userId: new string('u', 65), workflowId: new string('w', 65)));

        // Assert
        failed.ShouldBe(["x-alloy-executionuuid", "x-alloy-userid", "x-alloy-workflowid"]);
    }

    [Theory]
    [InlineData("{\"error\":\"Request failed with status code 401\"}", "Request failed with status code 401")]
    [InlineData("{\"error\":{\"message\":\"nested\",\"code\":7}}", "nested")]
    [InlineData("{\"error\":{\"code\":7}}", "{\"code\":7}")]
    [InlineData("{\"error\":42}", "42")]
    [InlineData("{\"error\":null}", null)]
    [InlineData("{\"message\":\"no error field\"}", null)]
    [InlineData("[\"not an object\"]", null)]
    [InlineData("garbage", null)]
    public void ErrorMessage_WhenReadFromTheRecord_ShouldTakeTheErrorField(string body, string? expected)
    {
        // Act
        var message = AlloyErrorRecord.ErrorMessage(body);

        // Assert
        message.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null, null, null, null, true)]
    [InlineData("acme", "wf-1", null, 500, true)]
    [InlineData("bad id", null, null, null, false)]
    [InlineData(null, "", null, null, false)]
    [InlineData(null, null, "garbage", null, false)]
    [InlineData(null, null, null, 0, false)]
    public void QueryIntegrationErrorsQueryValidator_WhenFiltered_ShouldAcceptOnlyValidFilters(
        string? tenantId, string? workflowId, string? cursor, int? limit, bool valid)
    {
        // Act
        var result = new QueryIntegrationErrorsQueryValidator().Validate(new QueryIntegrationErrorsQuery(tenantId, workflowId, cursor, limit));

        // Assert
        result.IsValid.ShouldBe(valid);
    }

    [Theory]
    [InlineData("acme", null, null, true)]
    [InlineData("acme", "cursor", 10, true)]
    [InlineData("bad id", null, null, false)]
    [InlineData("acme", "garbage", null, false)]
    [InlineData("acme", null, 501, false)]
    public void GetTenantIntegrationErrorsQueryValidator_WhenAsked_ShouldAcceptOnlyValidInput(string tenantId, string? cursor, int? limit, bool valid)
    {
        // Arrange
        var query = new GetTenantIntegrationErrorsQuery(tenantId, cursor == "cursor" ? Cursor.Encode(7) : cursor, limit);

        // Act
        var result = new GetTenantIntegrationErrorsQueryValidator().Validate(query);

        // Assert
        result.IsValid.ShouldBe(valid);
    }

    private static ReceiveAlloyErrorWebhookCommand NewCommand(
        string? executionId = "exec-1",
        string? workflowId = "wf-1",
        string? userId = "user-1",
        string? blockName = "Create Order",
        string? blockType = "shopify",
        string? body = Record) =>
        new(executionId, workflowId, userId, blockName, blockType, body);
}
