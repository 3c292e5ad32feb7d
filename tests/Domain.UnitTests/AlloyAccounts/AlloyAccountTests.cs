using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.AlloyAccounts;

public sealed class AlloyAccountTests
{
    private const int ManyAttempts = 100;

    private static readonly DateTimeOffset Now = DomainFactory.Now;
    private static readonly DateTimeOffset Later = Now.AddMinutes(10);
    private static readonly TimeSpan Lease = DomainFactory.Lease;

    public enum Verb
    {
        BeginAttempt,
        MarkProvisioned,
        RecordTransientFailure,
        MarkFailed,
        Defer,
        Retry,
        BeginDeprovisioning,
        MarkDeprovisioned,
    }

    private static readonly (ProvisioningState From, Verb Verb, ProvisioningState To)[] Allowed =
    [
        (ProvisioningState.Pending, Verb.BeginAttempt, ProvisioningState.Provisioning),
        (ProvisioningState.Provisioning, Verb.BeginAttempt, ProvisioningState.Provisioning),
        (ProvisioningState.Pending, Verb.MarkProvisioned, ProvisioningState.Provisioned),
        (ProvisioningState.Provisioning, Verb.MarkProvisioned, ProvisioningState.Provisioned),
        (ProvisioningState.Provisioning, Verb.RecordTransientFailure, ProvisioningState.Pending),
        (ProvisioningState.Provisioning, Verb.MarkFailed, ProvisioningState.Failed),
        (ProvisioningState.Provisioning, Verb.Defer, ProvisioningState.Pending),
        (ProvisioningState.Failed, Verb.Retry, ProvisioningState.Pending),
        (ProvisioningState.Pending, Verb.BeginDeprovisioning, ProvisioningState.Deprovisioning),
        (ProvisioningState.Provisioning, Verb.BeginDeprovisioning, ProvisioningState.Deprovisioning),
        (ProvisioningState.Provisioned, Verb.BeginDeprovisioning, ProvisioningState.Deprovisioning),
        (ProvisioningState.Failed, Verb.BeginDeprovisioning, ProvisioningState.Deprovisioning),
        (ProvisioningState.Deprovisioning, Verb.MarkDeprovisioned, ProvisioningState.Deprovisioned),
    ];

    public static TheoryData<ProvisioningState, Verb, ProvisioningState> AllowedTransitions()
    {
        var data = new TheoryData<ProvisioningState, Verb, ProvisioningState>();
        foreach (var (from, verb, to) in Allowed)
        {
            data.Add(from, verb, to);
        }

        return data;
    }

    /// <summary>Every (state, verb) pair not allowed, for the verbs that throw when refused.</summary>
    public static TheoryData<ProvisioningState, Verb> ThrowingRefusals()
    {
        var data = new TheoryData<ProvisioningState, Verb>();
        foreach (var state in Enum.GetValues<ProvisioningState>())
        {
            foreach (var verb in Enum.GetValues<Verb>())
            {
                if (verb is Verb.Retry or Verb.BeginDeprovisioning || Allowed.Any(t => t.From == state && t.Verb == verb))
                {
                    continue;
                }

                data.Add(state, verb);
            }
        }

        return data;
    }

    public static TheoryData<ProvisioningState> StatesOtherThanFailed() =>
        new(Enum.GetValues<ProvisioningState>().Where(s => s != ProvisioningState.Failed));

    [Fact]
    public void ThrowingRefusals_WhenEnumerated_ShouldCoverEveryRefusedPair()
    {
        // Arrange
        var states = Enum.GetValues<ProvisioningState>().Length;
        var throwingVerbs = Enum.GetValues<Verb>().Length - 2;
        var allowedThrowing = Allowed.Count(t => t.Verb is not (Verb.Retry or Verb.BeginDeprovisioning));

        // Act
        var refusals = ThrowingRefusals().Count;

        // Assert
        refusals.ShouldBe((states * throwingVerbs) - allowedThrowing);
    }

    [Fact]
    public void Create_WhenCalled_ShouldStartPendingAndDueNow()
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var account = AlloyAccount.Create(tenantId, AlloyEnvironment.Production, "hub-", Now);

        // Assert
        account.TenantId.ShouldBe(tenantId);
        account.Environment.ShouldBe(AlloyEnvironment.Production);
        account.Username.ShouldBe("hub-acme");
        account.UserId.ShouldBeNull();
        account.State.ShouldBe(ProvisioningState.Pending);
        account.Attempts.ShouldBe(0);
        account.LastError.ShouldBeNull();
        account.NextAttemptAt.ShouldBe(Now);
        account.CreatedAt.ShouldBe(Now);
        account.ProvisionedAt.ShouldBeNull();
        account.ConcurrencyStamp.ShouldNotBe(Guid.Empty);
        account.IsDue(Now).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "acme")]
    [InlineData("", "acme")]
    [InlineData("saas-prod-", "saas-prod-acme")]
    public void UsernameFor_WhenPrefixGiven_ShouldPrefixTheTenantId(string? prefix, string expected)
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var username = AlloyAccount.UsernameFor(tenantId, prefix);

        // Assert
        username.ShouldBe(expected);
    }

    [Fact]
    public void Create_WhenCalledTwice_ShouldGiveDifferentConcurrencyStamps()
    {
        // Arrange
        var tenantId = DomainFactory.NewTenantId("acme");

        // Act
        var first = AlloyAccount.Create(tenantId, AlloyEnvironment.Development, "hub-", Now);
        var second = AlloyAccount.Create(tenantId, AlloyEnvironment.Development, "hub-", Now);

        // Assert
        first.ConcurrencyStamp.ShouldNotBe(second.ConcurrencyStamp);
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void Transition_WhenAllowed_ShouldReachTargetStateAndChangeConcurrencyStamp(ProvisioningState from, Verb verb, ProvisioningState to)
    {
        // Arrange
        var account = DomainFactory.AccountIn(from);
        var stamp = account.ConcurrencyStamp;

        // Act
        var result = Apply(account, verb);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        account.State.ShouldBe(to);
        account.ConcurrencyStamp.ShouldNotBe(stamp);
    }

    [Theory]
    [MemberData(nameof(ThrowingRefusals))]
    public void Transition_WhenRefused_ShouldThrowDomainExceptionAndLeaveAccountUnchanged(ProvisioningState from, Verb verb)
    {
        // Arrange
        var account = DomainFactory.AccountIn(from);
        var stamp = account.ConcurrencyStamp;
        var attempts = account.Attempts;

        // Act
        var act = () => Apply(account, verb);

        // Assert
        Should.Throw<DomainException>(act);
        account.State.ShouldBe(from);
        account.Attempts.ShouldBe(attempts);
        account.ConcurrencyStamp.ShouldBe(stamp);
    }

    [Theory]
    [MemberData(nameof(StatesOtherThanFailed))]
    public void Retry_WhenNotFailed_ShouldReturnNotFailedErrorAndLeaveAccountUnchanged(ProvisioningState from)
    {
        // Arrange
        var account = DomainFactory.AccountIn(from);
        var stamp = account.ConcurrencyStamp;

        // Act
        var result = account.Retry(Later);

        // Assert
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe("provisioning-not-failed");
        result.Error.Type.ShouldBe(ErrorType.Conflict);
        result.Error.Description.ShouldContain("acme");
        account.State.ShouldBe(from);
        account.ConcurrencyStamp.ShouldBe(stamp);
    }

    [Theory]
    [InlineData(ProvisioningState.Deprovisioning)]
    [InlineData(ProvisioningState.Deprovisioned)]
    public void BeginDeprovisioning_WhenAlreadyDeprovisioning_ShouldDoNothing(ProvisioningState from)
    {
        // Arrange
        var account = DomainFactory.AccountIn(from);
        var stamp = account.ConcurrencyStamp;

        // Act
        account.BeginDeprovisioning(Later);

        // Assert
        account.State.ShouldBe(from);
        account.ConcurrencyStamp.ShouldBe(stamp);
    }

    [Fact]
    public void BeginAttempt_WhenCalled_ShouldCountAttemptAndHoldLease()
    {
        // Arrange
        var account = DomainFactory.NewAccount();

        // Act
        account.BeginAttempt(Now, Lease);

        // Assert
        account.State.ShouldBe(ProvisioningState.Provisioning);
        account.Attempts.ShouldBe(1);
        account.NextAttemptAt.ShouldBe(Now + Lease);
    }

    [Fact]
    public void BeginAttempt_WhenLeaseOfCrashedAttemptIsRetaken_ShouldCountAnotherAttempt()
    {
        // Arrange
        var account = DomainFactory.NewAccount();
        account.BeginAttempt(Now, Lease);

        // Act
        account.BeginAttempt(Now + Lease, Lease);

        // Assert
        account.Attempts.ShouldBe(2);
        account.NextAttemptAt.ShouldBe(Now + Lease + Lease);
    }

    [Fact]
    public void MarkProvisioned_WhenAttemptSucceeds_ShouldStoreUserAndClearRetryState()
    {
        // Arrange
        var account = DomainFactory.NewAccount();
        account.BeginAttempt(Now, Lease);
        account.RecordTransientFailure("Alloy 503", Now.AddSeconds(2), ManyAttempts);
        account.BeginAttempt(Now.AddSeconds(2), Lease);

        // Act
        account.MarkProvisioned("user-42", Later);

        // Assert
        account.State.ShouldBe(ProvisioningState.Provisioned);
        account.UserId.ShouldBe("user-42");
        account.ProvisionedAt.ShouldBe(Later);
        account.LastError.ShouldBeNull();
        account.NextAttemptAt.ShouldBeNull();
        account.Attempts.ShouldBe(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void MarkProvisioned_WhenUserIdIsBlank_ShouldThrowArgumentException(string userId)
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);

        // Act
        var act = () => account.MarkProvisioned(userId, Later);

        // Assert
        Should.Throw<ArgumentException>(act);
        account.State.ShouldBe(ProvisioningState.Provisioning);
        account.UserId.ShouldBeNull();
    }

    [Fact]
    public void RecordTransientFailure_WhenAttemptsRemain_ShouldWaitUntilRetryTime()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);
        var retryAt = Now.AddSeconds(4);

        // Act
        account.RecordTransientFailure("Alloy answered 503", retryAt, maxAttempts: 3);

        // Assert
        account.State.ShouldBe(ProvisioningState.Pending);
        account.Attempts.ShouldBe(1);
        account.LastError.ShouldBe("Alloy answered 503");
        account.NextAttemptAt.ShouldBe(retryAt);
    }

    [Fact]
    public void RecordTransientFailure_WhenMaxAttemptsReached_ShouldMarkFailed()
    {
        // Arrange
        const int maxAttempts = 3;
        var account = DomainFactory.NewAccount();
        var states = new List<ProvisioningState>();

        // Act
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var at = Now.AddMinutes(attempt);
            account.BeginAttempt(at, Lease);
            account.RecordTransientFailure($"failure {attempt}", at.AddSeconds(30), maxAttempts);
            states.Add(account.State);
        }

        // Assert
        states.ShouldBe([ProvisioningState.Pending, ProvisioningState.Pending, ProvisioningState.Failed]);
        account.Attempts.ShouldBe(maxAttempts);
        account.LastError.ShouldBe("failure 3");
        account.NextAttemptAt.ShouldBeNull();
        account.IsDue(Later.AddYears(1)).ShouldBeFalse();
    }

    [Fact]
    public void MarkFailed_WhenPermanentError_ShouldFailAtOnce()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);

        // Act
        account.MarkFailed("username is invalid");

        // Assert
        account.State.ShouldBe(ProvisioningState.Failed);
        account.LastError.ShouldBe("username is invalid");
        account.NextAttemptAt.ShouldBeNull();
        account.Attempts.ShouldBe(1);
    }

    [Fact]
    public void Defer_WhenCalled_ShouldNotSpendAnAttempt()
    {
        // Arrange
        var account = DomainFactory.NewAccount();
        account.BeginAttempt(Now, Lease);
        var retryAt = Now.AddSeconds(30);

        // Act
        account.Defer("API key rejected", retryAt);

        // Assert
        account.State.ShouldBe(ProvisioningState.Pending);
        account.Attempts.ShouldBe(0);
        account.LastError.ShouldBe("API key rejected");
        account.NextAttemptAt.ShouldBe(retryAt);
    }

    [Fact]
    public void Defer_WhenRepeatedManyTimes_ShouldNeverBringAccountCloserToFailed()
    {
        // Arrange
        const int maxAttempts = 2;
        var account = DomainFactory.NewAccount();
        for (var i = 0; i < 10; i++)
        {
            account.BeginAttempt(Now.AddMinutes(i), Lease);
            account.Defer("API key rejected", Now.AddMinutes(i).AddSeconds(30));
        }

        // Act
        account.BeginAttempt(Later, Lease);
        account.RecordTransientFailure("Alloy answered 503", Later.AddSeconds(2), maxAttempts);

        // Assert
        account.State.ShouldBe(ProvisioningState.Pending);
        account.Attempts.ShouldBe(1);
    }

    [Fact]
    public void Retry_WhenFailed_ShouldResetAttemptsAndBeDueNow()
    {
        // Arrange
        var account = DomainFactory.NewAccount();
        for (var i = 0; i < 3; i++)
        {
            account.BeginAttempt(Now.AddMinutes(i), Lease);
            account.RecordTransientFailure("Alloy answered 503", Now.AddMinutes(i).AddSeconds(2), maxAttempts: 3);
        }

        account.State.ShouldBe(ProvisioningState.Failed);

        // Act
        var result = account.Retry(Later);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        account.State.ShouldBe(ProvisioningState.Pending);
        account.Attempts.ShouldBe(0);
        account.NextAttemptAt.ShouldBe(Later);
        account.IsDue(Later).ShouldBeTrue();
    }

    [Fact]
    public void MarkDeprovisioned_WhenDeprovisioning_ShouldRecordTimeAndStopScheduling()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioned);
        account.BeginDeprovisioning(Now);

        // Act
        account.MarkDeprovisioned(Later);

        // Assert
        account.State.ShouldBe(ProvisioningState.Deprovisioned);
        account.DeprovisionedAt.ShouldBe(Later);
        account.NextAttemptAt.ShouldBeNull();
    }

    [Fact]
    public void IsDue_WhenPending_ShouldBeDueFromNextAttemptTimeOn()
    {
        // Arrange
        var account = DomainFactory.NewAccount(now: Now);

        // Act
        var before = account.IsDue(Now.AddTicks(-1));
        var at = account.IsDue(Now);
        var after = account.IsDue(Later);

        // Assert
        before.ShouldBeFalse();
        at.ShouldBeTrue();
        after.ShouldBeTrue();
    }

    [Fact]
    public void IsDue_WhenProvisioningLeaseIsHeld_ShouldNotBeDueUntilLeaseEnds()
    {
        // Arrange
        var account = DomainFactory.NewAccount();
        account.BeginAttempt(Now, Lease);

        // Act
        var atStart = account.IsDue(Now);
        var justBeforeEnd = account.IsDue(Now + Lease - TimeSpan.FromTicks(1));
        var atEnd = account.IsDue(Now + Lease);

        // Assert
        atStart.ShouldBeFalse();
        justBeforeEnd.ShouldBeFalse();
        atEnd.ShouldBeTrue();
    }

    [Fact]
    public void IsDue_WhenWaitingAfterTransientFailure_ShouldBeDueAtRetryTime()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);
        var retryAt = Now.AddSeconds(8);
        account.RecordTransientFailure("Alloy answered 503", retryAt, ManyAttempts);

        // Act
        var before = account.IsDue(retryAt.AddTicks(-1));
        var at = account.IsDue(retryAt);

        // Assert
        before.ShouldBeFalse();
        at.ShouldBeTrue();
    }

    [Theory]
    [InlineData(ProvisioningState.Provisioned)]
    [InlineData(ProvisioningState.Failed)]
    [InlineData(ProvisioningState.Deprovisioning)]
    [InlineData(ProvisioningState.Deprovisioned)]
    public void IsDue_WhenNotWaitingForProvisioning_ShouldNeverBeDue(ProvisioningState state)
    {
        // Arrange
        var account = DomainFactory.AccountIn(state);

        // Act
        var due = account.IsDue(Later.AddYears(10));

        // Assert
        due.ShouldBeFalse();
    }

    [Fact]
    public void RecordTransientFailure_WhenErrorIsVeryLong_ShouldTruncateToMaxLength()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);
        var error = new string('e', AlloyAccount.MaxErrorLength + 500);

        // Act
        account.RecordTransientFailure(error, Later, ManyAttempts);

        // Assert
        account.LastError.ShouldNotBeNull();
        account.LastError.Length.ShouldBe(AlloyAccount.MaxErrorLength);
        account.LastError.ShouldEndWith("…");
    }

    [Fact]
    public void MarkFailed_WhenErrorIsExactlyMaxLength_ShouldKeepItWhole()
    {
        // Arrange
        var account = DomainFactory.AccountIn(ProvisioningState.Provisioning);
        var error = new string('e', AlloyAccount.MaxErrorLength);

        // Act
        account.MarkFailed(error);

        // Assert
        account.LastError.ShouldBe(error);
    }

    private static Result Apply(AlloyAccount account, Verb verb)
    {
        switch (verb)
        {
            case Verb.BeginAttempt:
                account.BeginAttempt(Later, Lease);
                break;
            case Verb.MarkProvisioned:
                account.MarkProvisioned("user-9", Later);
                break;
            case Verb.RecordTransientFailure:
                account.RecordTransientFailure("Alloy answered 503", Later, ManyAttempts);
                break;
            case Verb.MarkFailed:
                account.MarkFailed("Alloy answered 422");
                break;
            case Verb.Defer:
                account.Defer("API key rejected", Later);
                break;
            case Verb.Retry:
                return account.Retry(Later);
            case Verb.BeginDeprovisioning:
                account.BeginDeprovisioning(Later);
                break;
            case Verb.MarkDeprovisioned:
                account.MarkDeprovisioned(Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(verb), verb, null);
        }

        return Result.Success();
    }
}
