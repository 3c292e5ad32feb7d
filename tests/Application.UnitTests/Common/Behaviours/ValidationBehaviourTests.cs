using FluentValidation;
using IntegrationHub.Application.Common.Behaviours;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Application.Tenants.SignUpTenant;
using IntegrationHub.Application.UnitTests.TestData;
using IntegrationHub.Domain.Common;
using Mediator;

namespace IntegrationHub.Application.UnitTests.Common.Behaviours;

public sealed class ValidationBehaviourTests
{
    private static readonly SignUpTenantResponse Response =
        new(new TenantResponse("acme", "Acme Corp", DateTimeOffset.UnixEpoch, null, null), Created: true);

    [Fact]
    public async Task Handle_WhenRequestInvalid_ShouldReturnValidationFailureWithCamelCaseFields()
    {
        // Arrange
        var behaviour = new ValidationBehaviour<SignUpTenantCommand, Result<SignUpTenantResponse>>([new SignUpTenantCommandValidator()]);
        var next = new RecordingNext<SignUpTenantCommand, Result<SignUpTenantResponse>>(Response);
        var command = ApplicationFactory.NewSignUp(tenantId: ".acme", name: " ");

        // Act
        var result = await behaviour.Handle(command, next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        next.Calls.ShouldBe(0);
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe("validation");
        result.Error.Type.ShouldBe(ErrorType.Validation);
        result.Error.Fields.ShouldNotBeNull();
        result.Error.Fields.Keys.ShouldBe(["tenantId", "name"], ignoreOrder: true);
        result.Error.Fields["tenantId"].ShouldNotBeEmpty();
        result.Error.Fields["name"].ShouldBe(["A name is required."]);
    }

    [Fact]
    public async Task Handle_WhenRequestValid_ShouldCallNextAndReturnItsResponse()
    {
        // Arrange
        var behaviour = new ValidationBehaviour<SignUpTenantCommand, Result<SignUpTenantResponse>>([new SignUpTenantCommandValidator()]);
        var next = new RecordingNext<SignUpTenantCommand, Result<SignUpTenantResponse>>(Response);
        var command = ApplicationFactory.NewSignUp();

        // Act
        var result = await behaviour.Handle(command, next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        next.Calls.ShouldBe(1);
        next.LastMessage.ShouldBeSameAs(command);
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBeSameAs(Response);
    }

    [Fact]
    public async Task Handle_WhenNoValidators_ShouldCallNext()
    {
        // Arrange
        var behaviour = new ValidationBehaviour<SignUpTenantCommand, Result<SignUpTenantResponse>>([]);
        var next = new RecordingNext<SignUpTenantCommand, Result<SignUpTenantResponse>>(Response);
        var command = ApplicationFactory.NewSignUp(tenantId: ".not-validated");

        // Act
        var result = await behaviour.Handle(command, next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        next.Calls.ShouldBe(1);
        result.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Handle_WhenSeveralValidatorsFail_ShouldMergeTheirFieldsWithoutDuplicateMessages()
    {
        // Arrange
        var first = new InlineValidator<TestCommand>();
        first.RuleFor(c => c.DisplayName).NotEmpty().WithMessage("required");
        var second = new InlineValidator<TestCommand>();
        second.RuleFor(c => c.DisplayName).NotEmpty().WithMessage("required");
        second.RuleFor(c => c.MaxItems).GreaterThan(0).WithMessage("positive");
        var behaviour = new ValidationBehaviour<TestCommand, Result>([first, second]);
        var next = new RecordingNext<TestCommand, Result>(Result.Success());

        // Act
        var result = await behaviour.Handle(new TestCommand(DisplayName: "", MaxItems: 0), next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        next.Calls.ShouldBe(0);
        result.IsSuccess.ShouldBeFalse();
        result.Error.Fields.ShouldNotBeNull();
        result.Error.Fields.Keys.ShouldBe(["displayName", "maxItems"], ignoreOrder: true);
        result.Error.Fields["displayName"].ShouldBe(["required"]);
        result.Error.Fields["maxItems"].ShouldBe(["positive"]);
    }

    [Fact]
    public async Task Handle_WhenResponseIsPlainResult_ShouldReturnFailedResult()
    {
        // Arrange
        var validator = new InlineValidator<TestCommand>();
        validator.RuleFor(c => c.DisplayName).NotEmpty();
        var behaviour = new ValidationBehaviour<TestCommand, Result>([validator]);
        var next = new RecordingNext<TestCommand, Result>(Result.Success());

        // Act
        var result = await behaviour.Handle(new TestCommand(DisplayName: null, MaxItems: 1), next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeFalse();
        result.Error.Type.ShouldBe(ErrorType.Validation);
        result.Error.Fields.ShouldNotBeNull();
        result.Error.Fields.Keys.ShouldBe(["displayName"]);
    }

    [Fact]
    public async Task Handle_WhenResponseIsNotAResult_ShouldThrowBecauseFailureCannotBeExpressed()
    {
        // Arrange
        var validator = new InlineValidator<NotAResultQuery>();
        validator.RuleFor(q => q.Term).NotEmpty();
        var behaviour = new ValidationBehaviour<NotAResultQuery, int>([validator]);
        var next = new RecordingNext<NotAResultQuery, int>(42);

        // Act
        var act = async () => await behaviour.Handle(new NotAResultQuery(""), next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        var ex = await Should.ThrowAsync<InvalidOperationException>(act);
        ex.Message.ShouldContain(nameof(NotAResultQuery));
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Handle_WhenPropertyIsNested_ShouldLowerOnlyTheFirstLetter()
    {
        // Arrange
        var validator = new InlineValidator<TestCommand>();
        validator.RuleFor(c => c.DisplayName).Must(_ => false).OverridePropertyName("Owner.DisplayName");
        var behaviour = new ValidationBehaviour<TestCommand, Result>([validator]);
        var next = new RecordingNext<TestCommand, Result>(Result.Success());

        // Act
        var result = await behaviour.Handle(new TestCommand("x", 1), next.Invoke, TestContext.Current.CancellationToken);

        // Assert
        result.Error.ShouldNotBeNull();
        result.Error.Fields.ShouldNotBeNull();
        result.Error.Fields.Keys.ShouldBe(["owner.DisplayName"]);
    }

    [Fact]
    public async Task Handle_WhenCancelled_ShouldPassTheTokenToNext()
    {
        // Arrange
        var behaviour = new ValidationBehaviour<TestCommand, Result>([new InlineValidator<TestCommand>()]);
        var next = new RecordingNext<TestCommand, Result>(Result.Success());
        using var cts = new CancellationTokenSource();

        // Act
        await behaviour.Handle(new TestCommand("x", 1), next.Invoke, cts.Token);

        // Assert
        next.LastToken.ShouldBe(cts.Token);
    }

    public sealed record TestCommand(string? DisplayName, int MaxItems) : ICommand<Result>;

    public sealed record NotAResultQuery(string Term) : IQuery<int>;

    private sealed class RecordingNext<TMessage, TResponse>(TResponse response)
        where TMessage : notnull, IMessage
    {
        public int Calls { get; private set; }

        public TMessage? LastMessage { get; private set; }

        public CancellationToken LastToken { get; private set; }

        public ValueTask<TResponse> Invoke(TMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            LastMessage = message;
            LastToken = cancellationToken;
            return ValueTask.FromResult(response);
        }
    }
}
