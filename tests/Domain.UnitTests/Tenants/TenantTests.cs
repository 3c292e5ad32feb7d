using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Tenants;

public sealed class TenantTests
{
    [Fact]
    public void Create_WhenNameIsValid_ShouldSetFields()
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var tenant = Tenant.Create(tenantId, "Acme Corp", DomainFactory.Now);

        // Assert
        tenant.TenantId.ShouldBe(tenantId);
        tenant.Name.ShouldBe("Acme Corp");
        tenant.CreatedAt.ShouldBe(DomainFactory.Now);
        tenant.DeletedAt.ShouldBeNull();
        tenant.IsDeleted.ShouldBeFalse();
    }

    [Fact]
    public void Create_WhenNameHasSurroundingWhitespace_ShouldTrimIt()
    {
        // Arrange
        const string name = "  Acme Corp \t";

        // Act
        var tenant = DomainFactory.NewTenant(name: name);

        // Assert
        tenant.Name.ShouldBe("Acme Corp");
    }

    [Fact]
    public void Create_WhenNameIsAtMaxLength_ShouldSucceed()
    {
        // Arrange
        var name = new string('n', Tenant.MaxNameLength);

        // Act
        var tenant = DomainFactory.NewTenant(name: name);

        // Assert
        tenant.Name.Length.ShouldBe(Tenant.MaxNameLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void Create_WhenNameIsBlank_ShouldThrowDomainException(string name)
    {
        // Arrange (the name)

        // Act
        var act = () => DomainFactory.NewTenant(name: name);

        // Assert
        Should.Throw<DomainException>(act);
    }

    [Fact]
    public void Create_WhenNameIsLongerThanMax_ShouldThrowDomainException()
    {
        // Arrange
        var name = new string('n', Tenant.MaxNameLength + 1);

        // Act
        var act = () => DomainFactory.NewTenant(name: name);

        // Assert
        Should.Throw<DomainException>(act);
    }

    [Theory]
    [InlineData("Acme Corp")]
    [InlineData("  Acme Corp  ")]
    public void IsSameSignup_WhenNameMatchesAfterTrim_ShouldReturnTrue(string repeatedName)
    {
        // Arrange
        var tenant = DomainFactory.NewTenant(name: "Acme Corp");

        // Act
        var same = tenant.IsSameSignup(repeatedName);

        // Assert
        same.ShouldBeTrue();
    }

    [Theory]
    [InlineData("acme corp")]
    [InlineData("Acme Corporation")]
    [InlineData("Acme  Corp")]
    public void IsSameSignup_WhenNameDiffers_ShouldReturnFalse(string repeatedName)
    {
        // Arrange
        var tenant = DomainFactory.NewTenant(name: "Acme Corp");

        // Act
        var same = tenant.IsSameSignup(repeatedName);

        // Assert
        same.ShouldBeFalse();
    }

    [Fact]
    public void MarkDeleted_WhenCalledTwice_ShouldKeepTheFirstTime()
    {
        // Arrange
        var tenant = DomainFactory.NewTenant();
        var first = DomainFactory.Now.AddDays(1);

        // Act
        tenant.MarkDeleted(first);
        tenant.MarkDeleted(first.AddDays(1));

        // Assert
        tenant.IsDeleted.ShouldBeTrue();
        tenant.DeletedAt.ShouldBe(first);
    }
}
