using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.IntegrationErrors;

public sealed class IntegrationErrorTests
{
    [Fact]
    public void Receive_WhenGivenAllFields_ShouldKeepThemAndThePayloadVerbatim()
    {
        // Arrange
        const string payload = "{ \"_id\": \"66aa\",\n  \"error\": \"boom\" }";

        // Act
        var error = NewError(tenantId: DomainFactory.NewTenantId("acme"), payload: payload);

        // Assert
        error.ExecutionId.ShouldBe("exec-1");
        error.WorkflowId.ShouldBe("wf-1");
        error.AlloyUserId.ShouldBe("user-1");
        error.BlockName.ShouldBe("Create Order");
        error.BlockType.ShouldBe("shopify");
        error.TenantId.ShouldBe(DomainFactory.NewTenantId("acme"));
        error.Environment.ShouldBe(AlloyEnvironment.Development);
        error.ErrorMessage.ShouldBe("boom");
        error.RawPayload.ShouldBe(payload);
        error.ReceivedAt.ShouldBe(DomainFactory.Now);
        error.Id.ShouldBe(0);
    }

    [Fact]
    public void Receive_WhenNoTenantHasTheUser_ShouldKeepTheErrorWithoutATenant()
    {
        // Act
        var error = NewError(tenantId: null);

        // Assert
        error.TenantId.ShouldBeNull();
    }

    [Fact]
    public void Receive_WhenDescriptiveFieldsRunLong_ShouldCutThemShortRatherThanRefuse()
    {
        // Act
        var error = NewError(
            blockName: new string('n', 500),
            blockType: new string('t', 500),
            errorMessage: new string('m', 5000));

        // Assert
        error.BlockName!.Length.ShouldBe(IntegrationError.MaxBlockNameLength);
        error.BlockType!.Length.ShouldBe(IntegrationError.MaxBlockTypeLength);
        error.ErrorMessage!.Length.ShouldBe(IntegrationError.MaxErrorMessageLength);
        error.ErrorMessage.ShouldEndWith("…");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Receive_WhenOptionalFieldsAreBlank_ShouldStoreNone(string? blank)
    {
        // Act
        var error = NewError(workflowId: blank, blockName: blank, blockType: blank, errorMessage: blank);

        // Assert
        error.WorkflowId.ShouldBeNull();
        error.BlockName.ShouldBeNull();
        error.BlockType.ShouldBeNull();
        error.ErrorMessage.ShouldBeNull();
    }

    [Theory]
    [InlineData("", "user-1")]
    [InlineData("exec-1", " ")]
    public void Receive_WhenAnIdentifierIsMissing_ShouldThrow(string executionId, string alloyUserId)
    {
        // Act
        var act = () => NewError(executionId: executionId, alloyUserId: alloyUserId);

        // Assert
        Should.Throw<DomainException>(act);
    }

    [Fact]
    public void Receive_WhenTheExecutionIdIsTooLong_ShouldThrow()
    {
        // Act
        var act = () => NewError(executionId: new string('e', IntegrationError.MaxExecutionIdLength + 1));

        // Assert
        Should.Throw<DomainException>(act);
    }

    [Fact]
    public void Receive_WhenThePayloadExceedsTheCap_ShouldThrow()
    {
        // Arrange: multi-byte characters, so the cap is on UTF-8 bytes, not characters.
        var payload = "\"" + new string('é', IntegrationError.MaxPayloadBytes / 2) + "\"";

        // Act
        var act = () => NewError(payload: payload);

        // Assert
        Should.Throw<DomainException>(act).Message.ShouldContain(IntegrationError.MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static IntegrationError NewError(
        string executionId = "exec-1",
        string? workflowId = "wf-1",
        string alloyUserId = "user-1",
        string? blockName = "Create Order",
        string? blockType = "shopify",
        TenantId? tenantId = null,
        string? errorMessage = "boom",
        string payload = "{\"error\":\"boom\"}") =>
        IntegrationError.Receive(
            executionId, workflowId, alloyUserId, blockName, blockType, tenantId, AlloyEnvironment.Development, errorMessage, payload, DomainFactory.Now);
}
