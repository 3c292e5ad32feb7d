using IntegrationHub.Domain.Common;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// The part of Alloy's API the hub uses. Expected failures come back as errors whose codes are in
/// <see cref="AlloyErrors"/>; Refit, HTTP and JSON types never cross this port.
/// </summary>
public interface IAlloyClient
{
    /// <summary>Creates an Alloy user; the value is its <c>userId</c>.</summary>
    Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken);

    /// <summary>
    /// Creates up to <see cref="AlloyBatch.MaxUsers"/> users in one call (docs/alloy-api.md, U6). Alloy answers which
    /// entries it refused but no userIds: the caller looks the created users up afterwards. A batch in which Alloy
    /// found no valid entry (its 400 "No valid users provided") is a success that refuses every entry.
    /// </summary>
    Task<Result<AlloyBatchResult>> CreateUsersAsync(IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken);

    /// <summary>Looks a user up by userId or username; <c>null</c> when Alloy does not know it.</summary>
    Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken);

    /// <summary>Deletes the user (a user Alloy does not know counts as deleted).</summary>
    Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes every log of the user (GDPR; a user Alloy does not know counts as done).</summary>
    Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Every user of the account (Alloy does not page this list).</summary>
    Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>Mints a short-lived JWT for the user's modal.</summary>
    Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Every installation of the whole Alloy account (Alloy has no per-user filter).</summary>
    Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The installations of one user. Alloy lists only the whole account (N1): the adapter reads that listing as a
    /// stream and keeps only this user's entries (and those of concurrent callers sharing the call). The default filters
    /// <see cref="ListInstallationsAsync"/>.
    /// </summary>
    async Task<Result<IReadOnlyList<AlloyInstallation>>> ListUserInstallationsAsync(string userId, CancellationToken cancellationToken)
    {
        var listed = await ListInstallationsAsync(cancellationToken);
        return listed.IsSuccess
            ? listed.Value.Where(i => string.Equals(i.UserId, userId, StringComparison.Ordinal)).ToList()
            : listed.Error;
    }

    /// <summary>
    /// Every installation of the whole account, handed to <paramref name="onChunk"/> in chunks of about
    /// <paramref name="chunkSize"/> as they are read, never the whole list at once (the list passed is reused between
    /// calls). A failure part-way answers an error after some chunks were handed on. The default chunks
    /// <see cref="ListInstallationsAsync"/>.
    /// </summary>
    async Task<Result> ReadInstallationsAsync(
        int chunkSize, Func<IReadOnlyList<AlloyInstallation>, CancellationToken, Task> onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChunk);
        var listed = await ListInstallationsAsync(cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error;
        }

        foreach (var chunk in listed.Value.Chunk(Math.Max(1, chunkSize)))
        {
            await onChunk(chunk, cancellationToken);
        }

        return Result.Success();
    }

    /// <summary>The account's custom events (names, descriptions, example payloads).</summary>
    Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts every workflow of the user whose trigger is the custom event <paramref name="eventName"/>, with
    /// <paramref name="dataJson"/> (a JSON object) as its payload. Alloy documents no idempotency key: a retry after a
    /// lost answer can run the workflows twice.
    /// </summary>
    Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken);
}

public sealed record AlloyUser(string UserId, string? Username, string? FullName);

/// <summary>Limits of Alloy's batch create (U6).</summary>
public static class AlloyBatch
{
    /// <summary>The most users one <c>POST /users/batch</c> accepts (docs/alloy-api.md, assumption 10).</summary>
    public const int MaxUsers = 1000;
}

/// <summary>What Alloy said about a batch create: the entries it refused. Every other entry was created.</summary>
public sealed record AlloyBatchResult(IReadOnlyList<AlloyRefusedUser> Refused);

/// <summary>
/// An entry Alloy refused. Alloy documents two causes (no username, or a username that exists) and lists the entries
/// without saying which: <paramref name="Reason"/> is Alloy's word when it gives one, a generic sentence otherwise; only a
/// lookup tells "exists" from "invalid".
/// </summary>
/// <param name="Username">The refused entry's username; null when the entry had none.</param>
public sealed record AlloyRefusedUser(string? Username, string Reason);

public sealed record AlloyIntegration(
    string IntegrationId,
    string Name,
    string? Description,
    string? Icon,
    bool Installed,
    IReadOnlyList<string> Credentials);

public sealed record AlloyInstallation(
    string InstallationId,
    string IntegrationId,
    string UserId,
    bool Enabled,
    DateTimeOffset? InstalledAt);

/// <param name="ExampleBody">Alloy's example payload of the event as JSON text, when it gives one.</param>
public sealed record AlloyCustomEvent(string Name, string? Description, string? ExampleBody);

/// <summary>Error codes the Alloy adapter returns.</summary>
public static class AlloyErrors
{
    /// <summary>Alloy refused a create with 400/409/422: possibly "already exists".</summary>
    public const string ConflictCode = "alloy-conflict";

    /// <summary>Alloy refused the request (another 4xx); the message is Alloy's.</summary>
    public const string RejectedCode = "alloy-rejected";

    public const string NotFoundCode = "alloy-not-found";

    /// <summary>Network failure, timeout, 408, 429 or 5xx, after the HTTP pipeline's own retries.</summary>
    public const string UnavailableCode = "alloy-unavailable";

    /// <summary>401/403: every configured API key was refused.</summary>
    public const string KeyRejectedCode = "alloy-key-rejected";

    public static Error Conflict(string message) => new(ConflictCode, message, ErrorType.Conflict);

    public static Error Rejected(string message) => new(RejectedCode, message, ErrorType.Failure);

    public static Error NotFound(string message) => new(NotFoundCode, message, ErrorType.NotFound);

    public static Error Unavailable(string message, TimeSpan? retryAfter = null) =>
        new(UnavailableCode, message, ErrorType.Unavailable) { RetryAfter = retryAfter ?? TimeSpan.FromSeconds(5) };

    /// <param name="retryAfter">When to try again: <c>Provisioning:KeyRejectedRetryDelay</c>, when provisioning tries again too.</param>
    public static Error KeyRejected(TimeSpan retryAfter) =>
        new(KeyRejectedCode, "Alloy API key rejected: the configured key is wrong or was revoked.", ErrorType.UpstreamKeyRejected)
        {
            RetryAfter = retryAfter,
        };
}
