using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.UnitTests.Tenants;

public sealed class TenantIdTests
{
    public static TheoryData<string> ValidIds =>
    [
        "a",
        "Z",
        "7",
        "acme",
        "Acme-Corp_2.eu",
        "a.b",
        "a-",
        "a_",
        "a.",
        "0-0",
        new string('a', TenantId.MaxLength),
        "x" + new string('9', TenantId.MaxLength - 1),
    ];

    public static TheoryData<string> InvalidIds =>
    [
        "",
        " ",
        ".acme",
        "-acme",
        "_acme",
        new string('a', TenantId.MaxLength + 1),
        "acme corp",
        " acme",
        "acme ",
        "acme/corp",
        "acme:corp",
        "acme@corp",
        "acme+corp",
        "acme%20",
        "äcme",
        "acmé",
        "\u0430cme", // Cyrillic 'а'
        "ａｃｍｅ", // full-width Latin
        "acme\u200B", // zero-width space
        "\u0663", // Arabic-Indic digit three
        "😀",
        "\nacme",
        "acme\tcorp",
    ];

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void IsValid_WhenValueMatchesPattern_ShouldReturnTrue(string value)
    {
        // Arrange (the value)

        // Act
        var valid = TenantId.IsValid(value);

        // Assert
        valid.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void IsValid_WhenValueBreaksPattern_ShouldReturnFalse(string value)
    {
        // Arrange (the value)

        // Act
        var valid = TenantId.IsValid(value);

        // Assert
        valid.ShouldBeFalse();
    }

    [Fact]
    public void IsValid_WhenValueIsNull_ShouldReturnFalse()
    {
        // Arrange
        string? value = null;

        // Act
        var valid = TenantId.IsValid(value);

        // Assert
        valid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("acme\n")]
    [InlineData("acme\r\n")]
    public void IsValid_WhenValueEndsWithNewline_ShouldReturnFalse(string value)
    {
        // Arrange (the value: a regex '$' also matches before a final newline)

        // Act
        var valid = TenantId.IsValid(value);

        // Assert
        valid.ShouldBeFalse();
    }

    [Fact]
    public void IsValid_WhenValueIsAtLengthLimit_ShouldAcceptUpTo64Characters()
    {
        // Arrange
        var longest = "a" + new string('b', 63);
        var tooLong = longest + "c";

        // Act
        var longestValid = TenantId.IsValid(longest);
        var tooLongValid = TenantId.IsValid(tooLong);

        // Assert
        longest.Length.ShouldBe(64);
        longestValid.ShouldBeTrue();
        tooLongValid.ShouldBeFalse();
    }

    [Fact]
    public void From_WhenValueIsValid_ShouldKeepValueVerbatim()
    {
        // Arrange
        const string value = "Acme-Corp_2.eu";

        // Act
        var tenantId = TenantId.From(value);

        // Assert
        tenantId.Value.ShouldBe(value);
        tenantId.ToString().ShouldBe(value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".acme")]
    [InlineData("äcme")]
    public void From_WhenValueIsInvalid_ShouldThrowDomainException(string value)
    {
        // Arrange (the value)

        // Act
        Action act = () => TenantId.From(value);

        // Assert
        var ex = Should.Throw<DomainException>(act);
        ex.Message.ShouldContain("not a valid tenant id");
    }

    [Fact]
    public void TryParse_WhenValueIsValid_ShouldReturnTrueAndTheId()
    {
        // Arrange
        const string value = "acme";

        // Act
        var parsed = TenantId.TryParse(value, out var tenantId);

        // Assert
        parsed.ShouldBeTrue();
        tenantId.Value.ShouldBe(value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-acme")]
    public void TryParse_WhenValueIsInvalid_ShouldReturnFalseAndDefault(string? value)
    {
        // Arrange (the value)

        // Act
        var parsed = TenantId.TryParse(value, out var tenantId);

        // Assert
        parsed.ShouldBeFalse();
        tenantId.ShouldBe(default);
        tenantId.Value.ShouldBeNull();
    }

    [Fact]
    public void Equality_WhenValuesAreEqual_ShouldBeEqual()
    {
        // Arrange
        var first = TenantId.From("acme");
        var second = TenantId.From(new string("acme".ToCharArray()));

        // Act
        var equal = first == second;

        // Assert
        equal.ShouldBeTrue();
        first.GetHashCode().ShouldBe(second.GetHashCode());
    }

    [Fact]
    public void Equality_WhenValuesDifferOnlyInCase_ShouldNotBeEqual()
    {
        // Arrange
        var lower = TenantId.From("acme");
        var upper = TenantId.From("ACME");

        // Act
        var equal = lower == upper;

        // Assert
        equal.ShouldBeFalse();
    }
}
