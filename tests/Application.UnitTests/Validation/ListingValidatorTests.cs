using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Installations.GetInstallationHistory;
using IntegrationHub.Application.Installations.QueryInstallations;
using IntegrationHub.Application.Tenants.ListTenants;
using IntegrationHub.Application.UnitTests.TestData;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;

namespace IntegrationHub.Application.UnitTests.Validation;

public sealed class ListingValidatorTests
{
    private readonly ListTenantsQueryValidator _listTenants = new();
    private readonly QueryInstallationsQueryValidator _queryInstallations = new();
    private readonly GetInstallationHistoryQueryValidator _history = new();

    public static TheoryData<int?> ValidLimits => [(int?)null, 1, 50, ValidationRules.MaxPageSize];

    public static TheoryData<int?> InvalidLimits => [0, -1, int.MinValue, ValidationRules.MaxPageSize + 1, int.MaxValue];

    public static TheoryData<string> InvalidCursors => ["", "zzz", "!!!!", "AAAAAAAAAAAAAAAA", new string('A', 5000), Cursor.Encode(0), Cursor.Encode(-7)];

    [Theory]
    [MemberData(nameof(ValidLimits))]
    public void ListTenantsQueryValidator_WhenLimitInRangeOrAbsent_ShouldPass(int? limit)
    {
        // Arrange
        var query = ApplicationFactory.NewListTenants(limit: limit, state: ProvisioningState.Failed);

        // Act
        var result = _listTenants.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InvalidLimits))]
    public void ListTenantsQueryValidator_WhenLimitOutOfRange_ShouldFailOnLimit(int? limit)
    {
        // Arrange
        var query = ApplicationFactory.NewListTenants(limit: limit);

        // Act
        var failed = _listTenants.FailedProperties(query);

        // Assert
        failed.ShouldBe(["Limit"]);
    }

    [Fact]
    public void ListTenantsQueryValidator_WhenCursorWasIssuedByTheApi_ShouldPass()
    {
        // Arrange
        var query = ApplicationFactory.NewListTenants(cursor: Cursor.Encode(123));

        // Act
        var result = _listTenants.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InvalidCursors))]
    public void ListTenantsQueryValidator_WhenCursorIsGarbage_ShouldFailOnCursor(string cursor)
    {
        // Arrange
        var query = ApplicationFactory.NewListTenants(cursor: cursor);

        // Act
        var failed = _listTenants.FailedProperties(query);

        // Assert
        failed.ShouldBe(["Cursor"]);
    }

    [Fact]
    public void QueryInstallationsQueryValidator_WhenAllFiltersAbsent_ShouldPass()
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations();

        // Act
        var result = _queryInstallations.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void QueryInstallationsQueryValidator_WhenAllFiltersValid_ShouldPass()
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(
            tenantId: "acme",
            integrationId: new string('i', Installation.MaxIdLength),
            enabled: false,
            cursor: Cursor.Encode(9),
            limit: ValidationRules.MaxPageSize);

        // Act
        var result = _queryInstallations.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".acme")]
    [InlineData("acme corp")]
    public void QueryInstallationsQueryValidator_WhenTenantIdGivenButInvalid_ShouldFailOnTenantId(string tenantId)
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(tenantId: tenantId);

        // Act
        var failed = _queryInstallations.FailedProperties(query);

        // Assert
        failed.ShouldBe(["TenantId"]);
    }

    [Fact]
    public void QueryInstallationsQueryValidator_WhenIntegrationIdTooLong_ShouldFailOnIntegrationId()
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(integrationId: new string('i', Installation.MaxIdLength + 1));

        // Act
        var failed = _queryInstallations.FailedProperties(query);

        // Assert
        failed.ShouldBe(["IntegrationId"]);
    }

    [Theory]
    [MemberData(nameof(InvalidLimits))]
    public void QueryInstallationsQueryValidator_WhenLimitOutOfRange_ShouldFailOnLimit(int? limit)
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(limit: limit);

        // Act
        var failed = _queryInstallations.FailedProperties(query);

        // Assert
        failed.ShouldBe(["Limit"]);
    }

    [Theory]
    [MemberData(nameof(InvalidCursors))]
    public void QueryInstallationsQueryValidator_WhenCursorIsGarbage_ShouldFailOnCursor(string cursor)
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(cursor: cursor);

        // Act
        var failed = _queryInstallations.FailedProperties(query);

        // Assert
        failed.ShouldBe(["Cursor"]);
    }

    [Fact]
    public void QueryInstallationsQueryValidator_WhenEverythingInvalid_ShouldReportEveryField()
    {
        // Arrange
        var query = ApplicationFactory.NewQueryInstallations(
            tenantId: "-", integrationId: new string('i', 65), cursor: "zzz", limit: 0);

        // Act
        var failed = _queryInstallations.FailedProperties(query);

        // Assert
        failed.ShouldBe(["TenantId", "IntegrationId", "Limit", "Cursor"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("inst-1")]
    [InlineData("x")]
    public void GetInstallationHistoryQueryValidator_WhenIdPresent_ShouldPass(string installationId)
    {
        // Arrange
        var query = ApplicationFactory.NewGetInstallationHistory(installationId);

        // Act
        var result = _history.Validate(query);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void GetInstallationHistoryQueryValidator_WhenIdBlank_ShouldFailOnInstallationId(string installationId)
    {
        // Arrange
        var query = ApplicationFactory.NewGetInstallationHistory(installationId);

        // Act
        var failed = _history.FailedProperties(query);

        // Assert
        failed.ShouldBe(["InstallationId"]);
    }

    [Fact]
    public void GetInstallationHistoryQueryValidator_WhenIdTooLong_ShouldFailOnInstallationId()
    {
        // Arrange
        var query = ApplicationFactory.NewGetInstallationHistory(new string('i', Installation.MaxIdLength + 1));

        // Act
        var failed = _history.FailedProperties(query);

        // Assert
        failed.ShouldBe(["InstallationId"]);
    }
}
