using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>
/// Alloy lists installations only for the whole account (<c>GET /installations</c>, I1 in docs/alloy-api.md), so
/// every tenant's refresh and every webhook resolution downloads the same list. This shares it, per environment:
/// callers that ask while a listing is in flight wait for that listing (single flight), and a successful listing
/// keeps serving callers for <see cref="HubAlloyOptions.InstallationsListingReuseWindow"/> after it completed.
/// A failure is answered to the callers that waited for it but is never reused. A zero window disables both: each
/// caller makes its own call. The upstream call does not take any caller's cancellation (others may be waiting on
/// it); a cancelled caller stops waiting. Per process: nothing here is needed for correctness.
/// </summary>
public sealed class InstallationListingCoalescer(IOptionsMonitor<HubAlloyOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<AlloyEnvironment, Listing> _listings = [];

    public async Task<Result<IReadOnlyList<AlloyInstallation>>> ListAsync(
        Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch,
        CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var window = settings.InstallationsListingReuseWindow;
        if (window <= TimeSpan.Zero)
        {
            return await fetch(cancellationToken);
        }

        Listing listing;
        lock (_gate)
        {
            if (!_listings.TryGetValue(settings.Environment, out listing!) || !listing.Serves(time.GetUtcNow(), window))
            {
                listing = new Listing();
                listing.Start(fetch, time);
                _listings[settings.Environment] = listing;
            }
        }

        return await listing.Task.WaitAsync(cancellationToken);
    }

    private sealed class Listing
    {
        private DateTimeOffset? _completedAt;

        public Task<Result<IReadOnlyList<AlloyInstallation>>> Task { get; private set; } = null!;

        public void Start(Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch, TimeProvider time) =>
            Task = RunAsync(fetch, time);

        /// <summary>In flight, or succeeded less than <paramref name="window"/> ago.</summary>
        public bool Serves(DateTimeOffset now, TimeSpan window) =>
            !Task.IsCompleted
            || (Task.IsCompletedSuccessfully && Task.Result.IsSuccess && _completedAt is { } at && now - at < window);

        private async Task<Result<IReadOnlyList<AlloyInstallation>>> RunAsync(
            Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch, TimeProvider time)
        {
            await System.Threading.Tasks.Task.Yield(); // never run the call under the gate
            try
            {
                return await fetch(CancellationToken.None);
            }
            finally
            {
                _completedAt = time.GetUtcNow();
            }
        }
    }
}
