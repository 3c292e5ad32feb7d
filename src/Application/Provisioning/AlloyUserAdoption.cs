using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;

namespace IntegrationHub.Application.Provisioning;

/// <summary>Creates an account's Alloy user or adopts the one that already exists under its deterministic username.</summary>
public static class AlloyUserAdoption
{
    /// <summary>
    /// Alloy has no upsert and does not document its duplicate answer: a 400/409/422 on create may mean "exists",
    /// so look the deterministic username up and adopt that user. This heals a response lost after Alloy
    /// created the user, and a race between two workers.
    /// </summary>
    public static async Task<Result<string>> CreateOrAdoptAsync(
        IAlloyClient alloy, string username, string fullName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alloy);
        var created = await alloy.CreateUserAsync(username, fullName, cancellationToken);
        if (created.IsSuccess || created.Error.Code != AlloyErrors.ConflictCode)
        {
            return created;
        }

        var found = await alloy.FindUserAsync(username, cancellationToken);
        if (!found.IsSuccess)
        {
            return Result<string>.Failure(found.Error);
        }

        if (found.Value is { } user)
        {
            return user.UserId;
        }

        // The refusal did not mean "exists": it is a permanent validation error; keep Alloy's words.
        return created.Error;
    }
}
