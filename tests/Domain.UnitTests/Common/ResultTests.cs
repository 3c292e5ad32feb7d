using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Common;

public sealed class ResultTests
{
    private static Error NewError(string code = "tenant-not-found", ErrorType type = ErrorType.NotFound) =>
        new(code, "Something expected went wrong.", type);

    [Fact]
    public void Success_WhenCreated_ShouldHaveNoError()
    {
        // Arrange (nothing)

        // Act
        var result = Result.Success();

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Error.ShouldBeNull();
    }

    [Fact]
    public void Failure_WhenCreated_ShouldCarryTheError()
    {
        // Arrange
        var error = NewError();

        // Act
        var result = Result.Failure(error);

        // Assert
        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(error);
    }

    [Fact]
    public void Failure_WhenErrorIsNull_ShouldThrowArgumentNullException()
    {
        // Arrange
        Error error = null!;

        // Act
        var plain = () => Result.Failure(error);
        var typed = () => Result<int>.Failure(error);

        // Assert
        Should.Throw<ArgumentNullException>(plain);
        Should.Throw<ArgumentNullException>(typed);
    }

    [Fact]
    public void ImplicitConversion_WhenFromError_ShouldBeFailure()
    {
        // Arrange
        var error = NewError();

        // Act
        Result plain = error;
        Result<string> typed = error;

        // Assert
        plain.IsSuccess.ShouldBeFalse();
        plain.Error.ShouldBe(error);
        typed.IsSuccess.ShouldBeFalse();
        typed.Error.ShouldBe(error);
    }

    [Fact]
    public void ImplicitConversion_WhenFromValue_ShouldBeSuccessWithValue()
    {
        // Arrange
        const string value = "user-1";

        // Act
        Result<string> result = value;

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Error.ShouldBeNull();
        result.Value.ShouldBe(value);
    }

    [Fact]
    public void Success_WhenValueIsNull_ShouldStillBeSuccess()
    {
        // Arrange (nothing)

        // Act
        var result = Result<string?>.Success(null);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBeNull();
    }

    [Fact]
    public void Value_WhenResultFailed_ShouldThrowNamingTheErrorCode()
    {
        // Arrange
        Result<int> result = NewError(code: "alloy-unavailable");

        // Act
        Func<object?> act = () => result.Value;

        // Assert
        var ex = Should.Throw<InvalidOperationException>(act);
        ex.Message.ShouldContain("alloy-unavailable");
    }

    [Fact]
    public void Map_WhenSuccess_ShouldMapTheValue()
    {
        // Arrange
        Result<int> result = 20;

        // Act
        var mapped = result.Map(v => v * 2 + 2);

        // Assert
        mapped.IsSuccess.ShouldBeTrue();
        mapped.Value.ShouldBe(42);
    }

    [Fact]
    public void Map_WhenFailure_ShouldKeepTheErrorAndNotCallTheMap()
    {
        // Arrange
        var error = NewError();
        Result<int> result = error;
        var called = false;

        // Act
        var mapped = result.Map(v =>
        {
            called = true;
            return v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

        // Assert
        mapped.IsSuccess.ShouldBeFalse();
        mapped.Error.ShouldBe(error);
        called.ShouldBeFalse();
    }

    [Fact]
    public void Validation_WhenSingleField_ShouldBuildValidationErrorWithThatField()
    {
        // Arrange (nothing)

        // Act
        var error = Error.Validation("tenantId", "A tenant id is required.");

        // Assert
        error.Code.ShouldBe("validation");
        error.Type.ShouldBe(ErrorType.Validation);
        error.Fields.ShouldNotBeNull();
        error.Fields.Keys.ShouldBe(["tenantId"]);
        error.Fields["tenantId"].ShouldBe(["A tenant id is required."]);
    }

    [Fact]
    public void Equality_WhenSameCodeDescriptionAndType_ShouldBeEqual()
    {
        // Arrange
        var first = NewError();
        var second = NewError();

        // Act
        var equal = first == second;

        // Assert
        equal.ShouldBeTrue();
        first.ShouldNotBe(NewError(type: ErrorType.Conflict));
    }

    [Fact]
    public void Pending_WhenCreated_ShouldCarryRetryAfter()
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var error = AlloyAccountErrors.Pending(tenantId, TimeSpan.FromSeconds(7));

        // Assert
        error.Code.ShouldBe("provisioning-pending");
        error.Type.ShouldBe(ErrorType.Pending);
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void TenantErrors_WhenCreated_ShouldHaveStableCodesAndTypes()
    {
        // Arrange
        const string tenantId = "acme";

        // Act
        var notFound = TenantErrors.NotFound(tenantId);
        var conflict = TenantErrors.Conflict(tenantId);

        // Assert
        notFound.Code.ShouldBe("tenant-not-found");
        notFound.Type.ShouldBe(ErrorType.NotFound);
        conflict.Code.ShouldBe("tenant-conflict");
        conflict.Type.ShouldBe(ErrorType.Conflict);
        notFound.Description.ShouldContain(tenantId);
    }
}
