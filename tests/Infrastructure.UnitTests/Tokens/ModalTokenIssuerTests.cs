using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Tokens;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Infrastructure.UnitTests.Tokens;

public sealed class ModalTokenIssuerTests : IAsyncDisposable
{
    private const string UserId = "user-1";
    private const AlloyEnvironment Environment = AlloyEnvironment.Development;

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeAlloyClient _alloy = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ServiceProvider _services;

    public ModalTokenIssuerTests()
    {
        _services = new ServiceCollection().AddSingleton<IAlloyClient>(_alloy).BuildServiceProvider();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task GetTokenAsync_When50CallersArriveTogether_ShouldMakeExactlyOneUpstreamCall()
    {
        // Arrange
        var issuer = NewIssuer();
        var upstream = new TaskCompletionSource<Result<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _alloy.OnCreateUserToken = (_, _, _) => upstream.Task;
        var waiting = 0;

        // Act
        var callers = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() =>
            {
                var call = issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
                Interlocked.Increment(ref waiting);
                return call;
            }))
            .ToList();
        await Poll.UntilAsync(() => Volatile.Read(ref waiting) == 50, "all 50 callers are waiting for the token");
        var completedEarly = callers.Count(c => c.IsCompleted);
        upstream.SetResult(Jwt.Expiring(Start.AddMinutes(30)));
        var results = await Task.WhenAll(callers);

        // Assert
        completedEarly.ShouldBe(0);
        _alloy.TokenCalls.ShouldBe(1);
        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Value.Token).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task GetTokenAsync_WhenCalledAgainWithinReuseWindow_ShouldReuseTheToken()
    {
        // Arrange
        var issuer = NewIssuer(NewTokenOptions(reuseWindow: TimeSpan.FromSeconds(30)));
        var first = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(29));

        // Act
        var second = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        _alloy.TokenCalls.ShouldBe(1);
        second.Value.ShouldBe(first.Value);
    }

    [Fact]
    public async Task GetTokenAsync_WhenReuseWindowHasPassed_ShouldMintANewToken()
    {
        // Arrange
        var issuer = NewIssuer(NewTokenOptions(reuseWindow: TimeSpan.FromSeconds(30)));
        var first = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(30));

        // Act
        var second = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        _alloy.TokenCalls.ShouldBe(2);
        second.Value.Token.ShouldNotBe(first.Value.Token);
    }

    [Fact]
    public async Task GetTokenAsync_WhenReuseWindowIsZero_ShouldMintOnEverySequentialCall()
    {
        // Arrange
        var issuer = NewIssuer(NewTokenOptions(reuseWindow: TimeSpan.Zero));

        // Act
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var result = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
            tokens.Add(result.Value.Token);
        }

        // Assert
        _alloy.TokenCalls.ShouldBe(3);
        tokens.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task GetTokenAsync_WhenReuseWindowIsZero_ShouldStillShareOneCallAmongConcurrentCallers()
    {
        // Arrange
        var issuer = NewIssuer(NewTokenOptions(reuseWindow: TimeSpan.Zero));
        var upstream = new TaskCompletionSource<Result<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _alloy.OnCreateUserToken = (_, _, _) => upstream.Task;

        // Act
        var first = issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        var second = issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        upstream.SetResult("opaque-token");
        var results = await Task.WhenAll(first, second);

        // Assert
        _alloy.TokenCalls.ShouldBe(1);
        results.ShouldAllBe(r => r.Value.Token == "opaque-token");
    }

    [Fact]
    public async Task GetTokenAsync_WhenTokenIsWithinSafetyMarginOfExpiry_ShouldNotReuseIt()
    {
        // Arrange: the token expires 2 min 10 s after minting; with a 2 min margin it is reusable for 10 s only
        var options = NewTokenOptions(reuseWindow: TimeSpan.FromSeconds(30), expirySafetyMargin: TimeSpan.FromMinutes(2));
        var issuer = NewIssuer(options);
        _alloy.OnCreateUserToken = (_, call, _) =>
            Task.FromResult(Result<string>.Success(Jwt.Expiring(_time.GetUtcNow() + TimeSpan.FromSeconds(130), $"call-{call}")));
        var first = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(9));
        var beforeMargin = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Act
        var insideMargin = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        beforeMargin.Value.ShouldBe(first.Value);
        insideMargin.Value.Token.ShouldNotBe(first.Value.Token);
        _alloy.TokenCalls.ShouldBe(2);
    }

    [Fact]
    public async Task GetTokenAsync_WhenTokenHasExp_ShouldReportItsExpiry()
    {
        // Arrange
        var expiresAt = Start.AddMinutes(17);
        _alloy.OnCreateUserToken = (_, _, _) => Task.FromResult(Result<string>.Success(Jwt.Expiring(expiresAt)));
        var issuer = NewIssuer();

        // Act
        var result = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        result.Value.ExpiresAt.ShouldBe(expiresAt);
    }

    [Fact]
    public async Task GetTokenAsync_WhenTokenIsOpaque_ShouldAssumeDefaultLifetime()
    {
        // Arrange
        _alloy.OnCreateUserToken = (_, _, _) => Task.FromResult(Result<string>.Success("not-a-jwt"));
        var issuer = NewIssuer(NewTokenOptions(defaultLifetime: TimeSpan.FromMinutes(12)));

        // Act
        var result = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        result.Value.ExpiresAt.ShouldBe(Start.AddMinutes(12));
    }

    [Fact]
    public async Task GetTokenAsync_WhenExpClaimIsNotANumber_ShouldStillIssueWithDefaultLifetime()
    {
        // Arrange
        _alloy.OnCreateUserToken = (_, _, _) => Task.FromResult(Result<string>.Success(Jwt.WithPayload("""{"exp":"soon"}""")));
        var issuer = NewIssuer(NewTokenOptions(defaultLifetime: TimeSpan.FromMinutes(12)));

        // Act
        var result = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        result.IsSuccess.ShouldBeTrue();
        result.Value.ExpiresAt.ShouldBe(Start.AddMinutes(12));
    }

    [Fact]
    public async Task GetTokenAsync_WhenMintFails_ShouldReturnTheErrorAndNotCacheIt()
    {
        // Arrange
        var issuer = NewIssuer();
        var failure = new Error("alloy-unavailable", "Alloy answered 503.", ErrorType.Unavailable);
        _alloy.OnCreateUserToken = (userId, call, _) => Task.FromResult(
            call == 1 ? Result<string>.Failure(failure) : Result<string>.Success($"token-{userId}-{call}"));

        // Act
        var failed = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        var retried = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        failed.IsSuccess.ShouldBeFalse();
        failed.Error.ShouldBe(failure);
        retried.IsSuccess.ShouldBeTrue();
        retried.Value.Token.ShouldBe("token-user-1-2");
        _alloy.TokenCalls.ShouldBe(2);
    }

    [Fact]
    public async Task GetTokenAsync_WhenMintThrows_ShouldNotLeaveTheFailedCallInFlight()
    {
        // Arrange
        var issuer = NewIssuer();
        _alloy.OnCreateUserToken = (userId, call, _) => call == 1
            ? Task.FromException<Result<string>>(new HttpRequestException("boom"))
            : Task.FromResult(Result<string>.Success($"token-{userId}-{call}"));

        // Act
        var first = async () => await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<HttpRequestException>(first);
        var second = await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        second.IsSuccess.ShouldBeTrue();
        _alloy.TokenCalls.ShouldBe(2);
    }

    [Fact]
    public async Task GetTokenAsync_WhenOneCallerCancels_ShouldNotCancelTheSharedCallForOthers()
    {
        // Arrange
        var issuer = NewIssuer();
        var upstream = new TaskCompletionSource<Result<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _alloy.OnCreateUserToken = (_, _, _) => upstream.Task;
        using var impatient = new CancellationTokenSource();
        var giving = issuer.GetTokenAsync(Environment, UserId, impatient.Token);
        var patient = issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Act
        await impatient.CancelAsync();
        var cancelled = async () => await giving;
        await Should.ThrowAsync<OperationCanceledException>(cancelled);
        var patientDoneAfterCancel = patient.IsCompleted;
        upstream.SetResult("shared-token");
        var result = await patient;

        // Assert
        patientDoneAfterCancel.ShouldBeFalse();
        result.Value.Token.ShouldBe("shared-token");
        _alloy.TokenCalls.ShouldBe(1);
        _alloy.TokenCallTokens.ShouldAllBe(t => !t.CanBeCanceled);
    }

    [Fact]
    public async Task GetTokenAsync_WhenUsersOrEnvironmentsDiffer_ShouldNotShareTokens()
    {
        // Arrange
        var issuer = NewIssuer();

        // Act
        var a = await issuer.GetTokenAsync(AlloyEnvironment.Development, "user-a", TestContext.Current.CancellationToken);
        var b = await issuer.GetTokenAsync(AlloyEnvironment.Development, "user-b", TestContext.Current.CancellationToken);
        var aProduction = await issuer.GetTokenAsync(AlloyEnvironment.Production, "user-a", TestContext.Current.CancellationToken);

        // Assert
        _alloy.TokenCalls.ShouldBe(3);
        new[] { a.Value.Token, b.Value.Token, aProduction.Value.Token }.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task GetTokenAsync_WhenReuseWindowChangesAtRunTime_ShouldFollowTheNewValue()
    {
        // Arrange
        var options = new TestOptionsMonitor<TokenOptions>(NewTokenOptions(reuseWindow: TimeSpan.FromSeconds(30)));
        var issuer = new ModalTokenIssuer(_services.GetRequiredService<IServiceScopeFactory>(), options, _time);
        await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);
        options.Set(NewTokenOptions(reuseWindow: TimeSpan.Zero));

        // Act
        await issuer.GetTokenAsync(Environment, UserId, TestContext.Current.CancellationToken);

        // Assert
        _alloy.TokenCalls.ShouldBe(2);
    }

    private ModalTokenIssuer NewIssuer(TokenOptions? options = null) =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), new TestOptionsMonitor<TokenOptions>(options ?? NewTokenOptions()), _time);

    private static TokenOptions NewTokenOptions(
        TimeSpan? reuseWindow = null,
        TimeSpan? expirySafetyMargin = null,
        TimeSpan? defaultLifetime = null) =>
        new()
        {
            ReuseWindow = reuseWindow ?? TimeSpan.FromSeconds(30),
            ExpirySafetyMargin = expirySafetyMargin ?? TimeSpan.FromMinutes(2),
            DefaultLifetime = defaultLifetime ?? TimeSpan.FromMinutes(30),
        };
}
