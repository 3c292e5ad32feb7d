using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.SqlServer.StatementTests.Hub;

/// <summary>
/// Alloy as seen by the capture run: every call succeeds with one plausible item whose ids match the values the
/// fabricated rows carry (<c>userid-1</c>, <c>integrationid-1</c>, <c>installationid-1</c>), so use cases that compare
/// Alloy's answer with the database find both sides and take their write paths.
/// </summary>
internal sealed class PlausibleAlloyClient : IAlloyClient
{
    private static readonly DateTimeOffset InstalledAt = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken) =>
        Task.FromResult(Result<string>.Success("userid-1"));

    public Task<Result<AlloyBatchResult>> CreateUsersAsync(IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken) =>
        Task.FromResult(Result<AlloyBatchResult>.Success(new AlloyBatchResult([])));

    public Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken) =>
        Task.FromResult(Result<AlloyUser?>.Success(new AlloyUser("userid-1", userIdOrUsername, "Capture Ltd")));

    public Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(Result.Success());

    public Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(Result.Success());

    public Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<AlloyUser>>.Success([new AlloyUser("userid-1", "username-1", "Capture Ltd")]));

    public Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(Result<string>.Success("token-1"));

    public Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<AlloyIntegration>>.Success([new AlloyIntegration("integrationid-1", "Shopify", null, null, Installed: true, [])]));

    public Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<AlloyInstallation>>.Success(
        [
            new AlloyInstallation("installationid-1", "integrationid-1", "userid-1", Enabled: false, InstalledAt),
            new AlloyInstallation("installationid-2", "integrationid-1", "userid-1", Enabled: true, InstalledAt),
        ]));

    public Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<AlloyCustomEvent>>.Success([new AlloyCustomEvent("event-1", null, "{}")]));

    public Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken) =>
        Task.FromResult(Result.Success());
}

/// <summary>Background jobs are only counted: the capture run executes use cases one at a time, in the test.</summary>
internal sealed class CountingBackgroundJobs : IBackgroundJobs
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void EnqueueProvisioning(long accountId) => Interlocked.Increment(ref _count);

    public void EnqueueProvisioningAttempt(long accountId) => Interlocked.Increment(ref _count);

    public void ScheduleProvisioning(long accountId, DateTimeOffset at) => Interlocked.Increment(ref _count);

    public void EnqueueProvisioningBatch(IReadOnlyList<long> accountIds) => Interlocked.Increment(ref _count);

    public void EnqueueDeprovisioning(long accountId) => Interlocked.Increment(ref _count);

    public void ScheduleDeprovisioning(long accountId, DateTimeOffset at) => Interlocked.Increment(ref _count);

    public void EnqueueInstallationWebhook(long webhookId) => Interlocked.Increment(ref _count);

    public void ScheduleInstallationWebhook(long webhookId, DateTimeOffset at) => Interlocked.Increment(ref _count);

    public void EnqueueWebhookDelivery(long deliveryId) => Interlocked.Increment(ref _count);

    public void ScheduleWebhookDelivery(long deliveryId, DateTimeOffset at) => Interlocked.Increment(ref _count);

    public void EnqueueTenantEvents(string tenantId) => Interlocked.Increment(ref _count);

    public void ScheduleTenantEvents(string tenantId, DateTimeOffset at) => Interlocked.Increment(ref _count);
}

/// <summary>Every outbound webhook is answered 204 without a request (the URL is not resolved either).</summary>
internal sealed class AcceptingWebhookSender : IWebhookSender, IWebhookUrlPolicy
{
    public Task<WebhookSendResult> SendAsync(OutgoingWebhook webhook, CancellationToken cancellationToken) =>
        Task.FromResult(new WebhookSendResult(204, 1, null, null, null));

    public string? Check(string? url) => null;
}

/// <summary>The caller of every captured use case: an operator's service key.</summary>
internal sealed class CaptureCaller : ICurrentCaller
{
    public string Actor => "capture";

    public AuditActorKind ActorKind => AuditActorKind.Service;

    public string? TraceId => null;
}

/// <summary>A production host environment rooted in a temporary folder.</summary>
internal sealed class CaptureEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Production;

    public string ApplicationName { get; set; } = "IntegrationHub.WebApi";

    public string ContentRootPath { get; set; } = Path.GetTempPath();

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
