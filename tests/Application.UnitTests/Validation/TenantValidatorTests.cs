using IntegrationHub.Application.Installations.GetTenantInstallations;
using IntegrationHub.Application.Installations.RefreshInstallations;
using IntegrationHub.Application.Integrations.ListIntegrations;
using IntegrationHub.Application.Provisioning.RetryProvisioning;
using IntegrationHub.Application.Tenants.GetTenant;
using IntegrationHub.Application.Tenants.SignUpTenant;
using IntegrationHub.Application.Tokens.IssueModalToken;
using IntegrationHub.Application.UnitTests.TestData;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Application.UnitTests.Validation;

public sealed class TenantValidatorTests
{
    private readonly SignUpTenantCommandValidator _signUp = new();

    public static TheoryData<string?> InvalidTenantIds =>
    [
        (string?)null,
        "",
        "   ",
        ".acme",
        "-acme",
        "acme corp",
        "äcme",
        "acme\n",
        new string('a', TenantId.MaxLength + 1),
    ];

    [Fact]
    public void SignUpTenantCommandValidator_WhenValid_ShouldPass()
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp();

        // Act
        var result = _signUp.Validate(command);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void SignUpTenantCommandValidator_WhenFieldsAtTheirLimits_ShouldPass()
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp(
            tenantId: "a" + new string('b', TenantId.MaxLength - 1),
            name: new string('n', Tenant.MaxNameLength));

        // Act
        var result = _signUp.Validate(command);

        // Assert
        result.IsValid.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InvalidTenantIds))]
    public void SignUpTenantCommandValidator_WhenTenantIdInvalid_ShouldFailOnTenantIdOnly(string? tenantId)
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp(tenantId: tenantId);

        // Act
        var failed = _signUp.FailedProperties(command);

        // Assert
        failed.ShouldBe(["TenantId"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void SignUpTenantCommandValidator_WhenNameMissingOrBlank_ShouldFailOnName(string? name)
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp(name: name);

        // Act
        var result = _signUp.Validate(command);

        // Assert
        result.Errors.Select(e => e.PropertyName).Distinct().ShouldBe(["Name"]);
        result.Errors.ShouldAllBe(e => e.ErrorMessage == "A name is required.");
    }

    [Fact]
    public void SignUpTenantCommandValidator_WhenNameTooLong_ShouldFailOnName()
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp(name: new string('n', Tenant.MaxNameLength + 1));

        // Act
        var result = _signUp.Validate(command);

        // Assert
        result.Errors.Select(e => e.PropertyName).ShouldBe(["Name"]);
        result.Errors[0].ErrorMessage.ShouldContain(Tenant.MaxNameLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SignUpTenantCommandValidator_WhenBothFieldsInvalid_ShouldReportBoth()
    {
        // Arrange
        var command = ApplicationFactory.NewSignUp(tenantId: "-", name: " ");

        // Act
        var failed = _signUp.FailedProperties(command);

        // Assert
        failed.ShouldBe(["TenantId", "Name"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(InvalidTenantIds))]
    public void TenantIdOnlyValidators_WhenTenantIdInvalid_ShouldFailOnTenantId(string? tenantId)
    {
        // Arrange
        var value = tenantId!;

        // Act
        var failures = new[]
        {
            new GetTenantQueryValidator().FailedProperties(new GetTenantQuery(value)),
            new RetryProvisioningCommandValidator().FailedProperties(new RetryProvisioningCommand(value)),
            new IssueModalTokenCommandValidator().FailedProperties(new IssueModalTokenCommand(value)),
            new RefreshInstallationsCommandValidator().FailedProperties(new RefreshInstallationsCommand(value)),
            new ListIntegrationsQueryValidator().FailedProperties(new ListIntegrationsQuery(value)),
            new GetTenantInstallationsQueryValidator().FailedProperties(new GetTenantInstallationsQuery(value)),
        };

        // Assert
        failures.ShouldAllBe(f => f.Count == 1 && f[0] == "TenantId");
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("A")]
    [InlineData("acme-corp_2.eu")]
    public void TenantIdOnlyValidators_WhenTenantIdValid_ShouldPass(string tenantId)
    {
        // Arrange (the tenant id)

        // Act
        var results = new[]
        {
            new GetTenantQueryValidator().Validate(new GetTenantQuery(tenantId)),
            new RetryProvisioningCommandValidator().Validate(new RetryProvisioningCommand(tenantId)),
            new IssueModalTokenCommandValidator().Validate(new IssueModalTokenCommand(tenantId)),
            new RefreshInstallationsCommandValidator().Validate(new RefreshInstallationsCommand(tenantId)),
            new ListIntegrationsQueryValidator().Validate(new ListIntegrationsQuery(tenantId)),
            new GetTenantInstallationsQueryValidator().Validate(new GetTenantInstallationsQuery(tenantId)),
        };

        // Assert
        results.ShouldAllBe(r => r.IsValid);
    }
}
