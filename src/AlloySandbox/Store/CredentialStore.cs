using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// The users' connected app credentials: create, list, delete, and the choice of credentials for an
/// installation (<see cref="ChooseForInstallation"/>, called by <see cref="InstallationStore"/> inside its own
/// write). Every call runs under <see cref="SandboxState"/>'s single lock.
/// </summary>
internal sealed class CredentialStore(SandboxState state, TimeProvider time)
{
    public Task<Result<CreateCredentialResponse>> CreateCredentialAsync(SandboxEnvironment environment, CreateCredentialRequest? request) =>
        state.WriteAsync<CreateCredentialResponse>(environment, partition =>
        {
            if (string.IsNullOrEmpty(request?.UserId))
            {
                return ApiError.Required("userId");
            }

            if (request.Credential is null)
            {
                return ApiError.Required("credential");
            }

            if (string.IsNullOrWhiteSpace(request.Credential.Type))
            {
                return ApiError.Required("credential.type");
            }

            if (request.Credential.Data is not { ValueKind: JsonValueKind.Object })
            {
                return ApiError.Required("credential.data");
            }

            var user = partition.FindUser(request.UserId);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            var credential = NewCredential(partition, user, request.Credential.Type);
            return new CreateCredentialResponse(true, credential.CredentialId);
        });

    public Result<IReadOnlyList<CredentialResponse>> ListCredentials(SandboxEnvironment environment, string uid) =>
        state.Read<Result<IReadOnlyList<CredentialResponse>>>(environment, partition =>
        {
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            return Result<IReadOnlyList<CredentialResponse>>.Success(
            [
                .. partition.Credentials.Values
                    .Where(c => c.UserId == user.UserId)
                    .OrderBy(c => c.Sequence)
                    .Select(c => new CredentialResponse(c.CredentialId, c.Type, c.Name, Timestamps.Iso(c.CreatedAt), Timestamps.Iso(c.UpdatedAt))),
            ]);
        });

    public Task<Result<SuccessResponse>> DeleteCredentialAsync(SandboxEnvironment environment, string uid, string credentialId) =>
        state.WriteAsync<SuccessResponse>(environment, partition =>
        {
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            if (partition.FindCredential(user, credentialId) is null)
            {
                return ApiError.NotFound("Credential");
            }

            partition.Credentials.Remove(credentialId);
            return SuccessResponse.True;
        });

    /// <summary>
    /// App key → credentialId for an installation: the credentials the caller named (<c>credentialIds</c>, a
    /// list, or an object keyed by app), then for each app the integration needs and the caller did not name,
    /// the user's newest credential of that app, or a new one connected on the spot (a sandbox stand-in for
    /// the user authorising the app). Call only inside a <see cref="SandboxState"/> write callback.
    /// </summary>
    public Result<Dictionary<string, string>> ChooseForInstallation(Partition partition, UserRecord user, CatalogIntegration integration, JsonElement? requested)
    {
        var named = ReadNamed(requested);
        if (!named.IsSuccess)
        {
            return named.Error;
        }

        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var credentialId in named.Value)
        {
            if (partition.FindCredential(user, credentialId) is not { } credential)
            {
                return ApiError.NotFound("Credential");
            }

            chosen[credential.Type] = credential.CredentialId;
        }

        foreach (var app in integration.Credentials.Where(app => !chosen.ContainsKey(app)))
        {
            var existing = partition.Credentials.Values
                .Where(c => c.UserId == user.UserId && string.Equals(c.Type, app, StringComparison.Ordinal))
                .MaxBy(c => c.Sequence)
                ?? NewCredential(partition, user, app);
            chosen[app] = existing.CredentialId;
        }

        return chosen;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The credential ids of <c>credentialIds</c>: absent, a list of strings, or an object of strings.</summary>
    private static Result<List<string>> ReadNamed(JsonElement? requested)
    {
        var named = new List<string>();
        switch (requested?.ValueKind)
        {
            case null or JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            case JsonValueKind.Array:
                foreach (var item in requested.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return ApiError.BadRequest("credentialIds must be a list of strings");
                    }

                    named.Add(item.GetString()!);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in requested.Value.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return ApiError.BadRequest("credentialIds must map apps to credential ids");
                    }

                    named.Add(property.Value.GetString()!);
                }

                break;
            default:
                return ApiError.BadRequest("credentialIds must be a list of strings");
        }

        return named;
    }

    private CredentialRecord NewCredential(Partition partition, UserRecord user, string type)
    {
        var now = time.GetUtcNow();
        var credential = new CredentialRecord
        {
            CredentialId = ObjectIds.New(time),
            UserId = user.UserId,
            Type = type,
            Name = $"{type} ({user.Username})",
            CreatedAt = now,
            UpdatedAt = now,
            Sequence = state.NextSequence(),
        };
        partition.AddCredential(credential);
        return credential;
    }
}
