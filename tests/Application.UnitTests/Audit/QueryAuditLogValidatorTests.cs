using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Audit.QueryAuditLog;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.UnitTests.Validation;
using IntegrationHub.Domain.Audit;

namespace IntegrationHub.Application.UnitTests.Audit;

public sealed class QueryAuditLogValidatorTests
{
    private readonly QueryAuditLogQueryValidator _validator = new();

    [Fact]
    public void QueryAuditLogQueryValidator_WhenAllFiltersAbsent_ShouldPass()
    {
        // Act
        var result = _validator.Validate(NewQuery());

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void QueryAuditLogQueryValidator_WhenEveryFilterIsValid_ShouldPass()
    {
        // Arrange
        var query = NewQuery(tenantId: "acme", action: AuditAction.TokenIssued, cursor: Cursor.Encode(42), limit: ValidationRules.MaxPageSize);

        // Act
        var result = _validator.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("bad id", null, null, null, "TenantId")]
    [InlineData("", null, null, null, "TenantId")]
    [InlineData(null, 99, null, null, "Action")]
    [InlineData(null, null, "garbage", null, "Cursor")]
    [InlineData(null, null, null, 0, "Limit")]
    [InlineData(null, null, null, 501, "Limit")]
    public void QueryAuditLogQueryValidator_WhenAFilterIsInvalid_ShouldFailOnIt(string? tenantId, int? action, string? cursor, int? limit, string property)
    {
        // Arrange
        var query = NewQuery(tenantId, (AuditAction?)action, cursor, limit);

        // Act
        var failed = _validator.FailedProperties(query);

        // Assert
        failed.ShouldBe([property]);
    }

    [Fact]
    public void Filters_WhenSomeValuesAreAbsent_ShouldListOnlyThePresentOnes()
    {
        // Act
        var detail = AuditDetail.Filters("installations", ("tenantId", "acme"), ("integrationId", null), ("enabled", "true"));

        // Assert
        detail.ShouldBe("installations tenantId=acme enabled=true");
    }

    private static QueryAuditLogQuery NewQuery(string? tenantId = null, AuditAction? action = null, string? cursor = null, int? limit = null) =>
        new(tenantId, action, cursor, limit);
}
