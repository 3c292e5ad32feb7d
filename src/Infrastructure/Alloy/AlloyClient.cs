using System.Net;
using System.Text.Json;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>Adapts the Refit client to the Application port: Alloy's answers become results, Refit stays here.</summary>
/// <remarks>A rejected key answers with <c>Retry-After</c> = <c>Provisioning:KeyRejectedRetryDelay</c>, when provisioning tries again.</remarks>
/// <remarks>The account-wide installation listing is shared between concurrent callers (<see cref="InstallationListingCoalescer"/>).</remarks>
public sealed partial class AlloyClient(
    IAlloyApi api,
    IOptionsMonitor<ProvisioningOptions> provisioning,
    InstallationListingCoalescer installationListings,
    ILogger<AlloyClient> logger) : IAlloyClient
{
    public async Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken)
    {
        var response = await CallAsync("POST /users", ct => api.CreateUserAsync(new CreateUserRequest(username, fullName), ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if (body?.UserId is { Length: > 0 } userId)
        {
            return userId;
        }

        return status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity =>
                AlloyErrors.Conflict(error ?? "Alloy refused to create the user."),
            _ => Failure(status, error, "POST /users"),
        };
    }

    public async Task<Result<AlloyBatchResult>> CreateUsersAsync(
        IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentOutOfRangeException.ThrowIfZero(users.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(users.Count, AlloyBatch.MaxUsers);
        var request = new BatchCreateUsersRequest([.. users.Select(u => new CreateUserRequest(u.Username, u.FullName))]);
        var response = await CallAsync("POST /users/batch", ct => api.CreateUsersAsync(request, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if ((int)status is >= 200 and < 300)
        {
            return new AlloyBatchResult([.. (body?.InvalidUsers ?? []).Select(ReadRefused)]);
        }

        // U6's documented 400 when no entry was valid: every entry refused (each exists already, or is invalid).
        if (status == HttpStatusCode.BadRequest && error is not null && error.Contains(NoValidUsers, StringComparison.OrdinalIgnoreCase))
        {
            return new AlloyBatchResult([.. users.Select(u => new AlloyRefusedUser(u.Username, error))]);
        }

        return Failure(status, error, "POST /users/batch");
    }

    private const string NoValidUsers = "No valid users";

    private const string RefusedWithoutReason = "Alloy refused the user in POST /users/batch (no username, or the username exists).";

    /// <summary>One entry of <c>invalidUsers</c>: the entry as sent, perhaps with Alloy's reason (not documented).</summary>
    private static AlloyRefusedUser ReadRefused(JsonElement entry)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            return new AlloyRefusedUser(entry.GetString(), RefusedWithoutReason);
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            return new AlloyRefusedUser(null, RefusedWithoutReason);
        }

        string? username = null;
        string? reason = null;
        foreach (var property in entry.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (property.NameEquals("username"))
            {
                username = property.Value.GetString();
            }
            else if (reason is null && (property.NameEquals("reason") || property.NameEquals("message") || property.NameEquals("error")))
            {
                reason = property.Value.GetString();
            }
        }

        return new AlloyRefusedUser(
            string.IsNullOrEmpty(username) ? null : username,
            string.IsNullOrWhiteSpace(reason) ? RefusedWithoutReason : Clip(reason));
    }

    public async Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GET /users/{uid}", ct => api.GetUserAsync(userIdOrUsername, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if (status == HttpStatusCode.NotFound)
        {
            return Result<AlloyUser?>.Success(null);
        }

        return body?.UserId is { Length: > 0 } id
            ? new AlloyUser(id, body.Username, body.FullName)
            : Failure(status, error, "GET /users/{uid}");
    }

    public async Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("DELETE /users/{uid}", ct => api.DeleteUserAsync(userId, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, _, error) = response.Value;
        return (int)status is >= 200 and < 300 or 404 ? Result.Success() : Failure(status, error, "DELETE /users/{uid}");
    }

    public async Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("DELETE /users/{uid}/logs", ct => api.DeleteUserLogsAsync(userId, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, _, error) = response.Value;
        return (int)status is >= 200 and < 300 or 404 ? Result.Success() : Failure(status, error, "DELETE /users/{uid}/logs");
    }

    public async Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync("GET /users", api.ListUsersAsync, cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if (body?.Data is not { } data)
        {
            return Failure(status, error, "GET /users");
        }

        return data.Where(u => !string.IsNullOrEmpty(u.UserId)).Select(u => new AlloyUser(u.UserId!, u.Username, u.FullName)).ToList();
    }

    public async Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GET /users/{uid}/token", ct => api.GetUserTokenAsync(userId, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        return body?.Token is { Length: > 0 } token ? token : Failure(status, error, "GET /users/{uid}/token");
    }

    public async Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GET /integrations", ct => api.ListIntegrationsAsync(userId, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if (body?.Data is not { } data)
        {
            return Failure(status, error, "GET /integrations");
        }

        return data
            .Where(i => !string.IsNullOrEmpty(i.IntegrationId))
            .Select(i => new AlloyIntegration(
                i.IntegrationId!,
                i.Name ?? i.PrimaryConnector ?? i.App ?? i.IntegrationId!,
                i.Description,
                i.Icon,
                i.Installed ?? false,
                i.Credentials ?? []))
            .ToList();
    }

    public Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken) =>
        installationListings.ListAsync(ct => CollectInstallationsAsync(static _ => true, ct), cancellationToken);

    public Task<Result<IReadOnlyList<AlloyInstallation>>> ListUserInstallationsAsync(string userId, CancellationToken cancellationToken) =>
        installationListings.ListForUserAsync(userId, CollectInstallationsAsync, cancellationToken);

    public Task<Result> ReadInstallationsAsync(
        int chunkSize, Func<IReadOnlyList<AlloyInstallation>, CancellationToken, Task> onChunk, CancellationToken cancellationToken) =>
        StreamInstallationsAsync(chunkSize, static _ => true, onChunk, cancellationToken);

    /// <summary>One listing, keeping only what <paramref name="keep"/> accepts.</summary>
    private async Task<Result<IReadOnlyList<AlloyInstallation>>> CollectInstallationsAsync(Func<AlloyInstallation, bool> keep, CancellationToken cancellationToken)
    {
        var kept = new List<AlloyInstallation>();
        var read = await StreamInstallationsAsync(
            ListingChunk,
            keep,
            (chunk, _) =>
            {
                kept.AddRange(chunk);
                return Task.CompletedTask;
            },
            cancellationToken);
        return read.IsSuccess ? kept : read.Error;
    }

    private const int ListingChunk = 1000;

    /// <summary>
    /// <c>GET /installations</c> read as a stream (<see cref="InstallationListingReader"/>): complete entries that
    /// <paramref name="keep"/> accepts go to <paramref name="onChunk"/>, a chunk at a time; nothing else is held.
    /// </summary>
    private async Task<Result> StreamInstallationsAsync(
        int chunkSize,
        Func<AlloyInstallation, bool> keep,
        Func<IReadOnlyList<AlloyInstallation>, CancellationToken, Task> onChunk,
        CancellationToken cancellationToken)
    {
        const string endpoint = "GET /installations";
        HttpResponseMessage response;
        try
        {
            response = await api.StreamInstallationsAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            LogUnreachable(logger, endpoint, $"{ex.GetType().Name}: {ex.Message} {ex.InnerException?.GetType().Name} {ex.InnerException?.Message}");
            return AlloyErrors.Unavailable($"Alloy did not answer {endpoint} ({Describe(ex)}).");
        }

        using (response)
        {
            var status = response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var message = ReadMessage(await ReadErrorBodyAsync(response, cancellationToken));
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    return AlloyErrors.KeyRejected(provisioning.CurrentValue.KeyRejectedRetryDelay);
                }

                if (IsTransient(status))
                {
                    LogTransient(logger, endpoint, (int)status);
                    return AlloyErrors.Unavailable(
                        $"Alloy answered {endpoint} with {(int)status}{(message is null ? string.Empty : $": {message}")}.", RetryAfter(response.Headers.RetryAfter));
                }

                return Failure(status, message, endpoint);
            }

            var mapped = new List<AlloyInstallation>(Math.Min(chunkSize, 4096));
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var sawData = await InstallationListingReader.ReadAsync(
                    body,
                    chunkSize,
                    async (entries, ct) =>
                    {
                        mapped.Clear();
                        foreach (var i in entries)
                        {
                            if (!string.IsNullOrEmpty(i.InstallationId) && !string.IsNullOrEmpty(i.UserId))
                            {
                                var installation = new AlloyInstallation(i.InstallationId, i.IntegrationId ?? string.Empty, i.UserId, i.Enabled ?? false, i.InstalledAt);
                                if (keep(installation))
                                {
                                    mapped.Add(installation);
                                }
                            }
                        }

                        if (mapped.Count > 0)
                        {
                            await onChunk(mapped, ct);
                        }
                    },
                    cancellationToken);
                return sawData ? Result.Success() : Failure(status, null, endpoint);
            }
            catch (JsonException ex)
            {
                LogMalformedListing(logger, endpoint, ex.Message);
                return AlloyErrors.Rejected($"Alloy answered {endpoint} with a body that is not the documented listing: {Clip(ex.Message)}");
            }
            catch (Exception ex) when (IsTransport(ex, cancellationToken))
            {
                LogUnreachable(logger, endpoint, $"{ex.GetType().Name}: {ex.Message} (while reading the listing)");
                return AlloyErrors.Unavailable($"Alloy's answer to {endpoint} broke off ({Describe(ex)}).");
            }
        }
    }

    /// <summary>An error answer's body, at most 64 KiB of it (enough for Alloy's <c>message</c>).</summary>
    private static async Task<string?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            return null;
        }
    }

    public async Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync("GET /events", api.ListEventsAsync, cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, body, error) = response.Value;
        if (body?.Data is not { } data)
        {
            return Failure(status, error, "GET /events");
        }

        return data
            .Where(e => !string.IsNullOrEmpty(e.Name))
            .Select(e => new AlloyCustomEvent(e.Name!, e.Description, e.Body is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } example ? example.GetRawText() : null))
            .ToList();
    }

    public async Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken)
    {
        JsonDocument data;
        try
        {
            data = JsonDocument.Parse(dataJson);
        }
        catch (JsonException)
        {
            // Not sent: Alloy would refuse it (E2's data is a JSON object), and a caller's bad input is no exception.
            return AlloyErrors.Rejected("The event data is not valid JSON; POST /run/event was not called.");
        }

        using var document = data;
        var request = new RunEventRequest(eventName, userId, data.RootElement);
        var response = await CallAsync("POST /run/event", ct => api.RunEventAsync(request, ct), cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Error;
        }

        var (status, _, error) = response.Value;
        return (int)status is >= 200 and < 300 ? Result.Success() : Failure(status, error, "POST /run/event");
    }

    /// <summary>
    /// Makes one call (the HTTP pipeline has already retried transient failures). A transport failure or an
    /// answer that means "try later" or "bad key" is an error here; any other answer goes back to the caller.
    /// </summary>
    private async Task<Result<(HttpStatusCode Status, T? Body, string? Error)>> CallAsync<T>(
        string endpoint,
        Func<CancellationToken, Task<IApiResponse<T>>> call,
        CancellationToken cancellationToken)
    {
        IApiResponse<T> response;
        try
        {
            response = await call(cancellationToken);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            LogUnreachable(logger, endpoint, $"{ex.GetType().Name}: {ex.Message} {ex.InnerException?.GetType().Name} {ex.InnerException?.Message}");
            return AlloyErrors.Unavailable($"Alloy did not answer {endpoint} ({Describe(ex)}).");
        }

        using (response)
        {
            if (!response.IsReceived || response.StatusCode is not { } status)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cause = response.Error?.InnerException ?? response.Error;
                LogUnreachable(logger, endpoint, $"{cause?.GetType().Name}: {cause?.Message} | {cause?.InnerException?.Message}");
                return AlloyErrors.Unavailable($"Alloy did not answer {endpoint} ({(cause is null ? "no response" : Describe(cause))}).");
            }

            if (response.IsSuccessStatusCode)
            {
                return Result<(HttpStatusCode, T?, string?)>.Success((status, response.Content, null));
            }

            var message = ReadMessage(response.Error as ApiException);
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return AlloyErrors.KeyRejected(provisioning.CurrentValue.KeyRejectedRetryDelay);
            }

            if (IsTransient(status))
            {
                LogTransient(logger, endpoint, (int)status);
                return AlloyErrors.Unavailable($"Alloy answered {endpoint} with {(int)status}{(message is null ? string.Empty : $": {message}")}.", RetryAfter(response));
            }

            return Result<(HttpStatusCode, T?, string?)>.Success((status, default, message));
        }
    }

    private static Error Failure(HttpStatusCode status, string? message, string endpoint) => status switch
    {
        HttpStatusCode.NotFound => AlloyErrors.NotFound(message ?? $"Alloy answered {endpoint} with 404."),
        _ => AlloyErrors.Rejected($"Alloy answered {endpoint} with {(int)status}: {message ?? "no message"}."),
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        BrokenCircuitException => "circuit open after repeated failures",
        TimeoutRejectedException or OperationCanceledException => "timed out",
        _ => "connection failed",
    };

    private static TimeSpan? RetryAfter(IApiResponse response) => RetryAfter(response.Headers?.RetryAfter);

    private static TimeSpan? RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private static string? ReadMessage(ApiException? error) => ReadMessage(error?.Content);

    private static string? ReadMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            var body = JsonSerializer.Deserialize(content, AlloyJsonContext.Default.AlloyErrorBody);
            return body?.Message is { Length: > 0 } m ? Clip(m) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clip(string message) => message.Length <= 300 ? message : message[..300] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alloy {Endpoint} unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alloy {Endpoint} answered a body that is not the documented listing: {Reason}")]
    private static partial void LogMalformedListing(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alloy {Endpoint} answered {Status} after retries")]
    private static partial void LogTransient(ILogger logger, string endpoint, int status);
}
