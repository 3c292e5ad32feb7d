using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>
/// <c>POST /_sandbox/seed</c>: adds many users with installations at once, for scale benchmarks (the hub's database is
/// seeded with the same rows, so a sync finds nothing changed). Ids follow from the prefix and the number, so the
/// caller knows them: user <c>{prefix}-u{n}</c> (username <c>{prefix}-t{n}</c>), installation <c>{prefix}-i{n}-{k}</c>
/// of the catalog's integration <c>k mod count</c>, enabled, installed at <see cref="SeedResponse.InstalledAt"/>.
/// </summary>
internal static class SeedEndpoints
{
    /// <summary>The most users one seed adds.</summary>
    public const int MaxUsers = 1_000_000;

    /// <summary>The most installations of one seeded user.</summary>
    public const int MaxInstallationsPerUser = 20;

    private static readonly DateTimeOffset InstalledAt = new(2026, 1, 15, 8, 0, 0, TimeSpan.Zero);

    public static void Map(IEndpointRouteBuilder control) => control.MapPost("/seed", SeedAsync);

    public static async Task<IResult> SeedAsync(HttpContext http, SandboxState state)
    {
        var body = await RequestBody.ReadAsync<SeedRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        var request = body.Value;
        if (request is null || string.IsNullOrWhiteSpace(request.Prefix) || request.Prefix.Length > 20
            || request.Users is < 1 or > MaxUsers || request.InstallationsPerUser is < 0 or > MaxInstallationsPerUser)
        {
            return SandboxResults.Error(ApiError.BadRequest(
                $"prefix (1-20 characters), users (1-{MaxUsers}) and installationsPerUser (0-{MaxInstallationsPerUser}) are required"));
        }

        if (!Enum.TryParse<SandboxEnvironment>(request.Environment ?? nameof(SandboxEnvironment.Development), ignoreCase: true, out var environment)
            || !Enum.IsDefined(environment))
        {
            return SandboxResults.Error(ApiError.BadRequest("environment must be Development or Production"));
        }

        var catalog = IntegrationCatalog.All;
        await state.WriteAlwaysAsync(environment, partition =>
        {
            for (var n = 0; n < request.Users; n++)
            {
                var userId = $"{request.Prefix}-u{n}";
                partition.AddUser(new UserRecord
                {
                    UserId = userId,
                    Username = $"{request.Prefix}-t{n}",
                    CreatedAt = InstalledAt,
                    Sequence = state.NextSequence(),
                });
                for (var k = 0; k < request.InstallationsPerUser; k++)
                {
                    partition.AddInstallation(new InstallationRecord
                    {
                        InstallationId = $"{request.Prefix}-i{n}-{k}",
                        IntegrationId = catalog[k % catalog.Count].IntegrationId,
                        UserId = userId,
                        InstalledAt = InstalledAt,
                        Enabled = true,
                        Completed = true,
                        Sequence = state.NextSequence(),
                    });
                }
            }

            return true;
        });

        return SandboxResults.Ok(new SeedResponse(
            request.Users,
            request.Users * request.InstallationsPerUser,
            Timestamps.Iso(InstalledAt),
            [.. catalog.Select(i => new SeedIntegration(i.IntegrationId, i.App))]));
    }
}

/// <summary>What to seed; <paramref name="Environment"/> defaults to Development.</summary>
internal sealed record SeedRequest(string? Prefix, int Users, int InstallationsPerUser, string? Environment);

/// <summary>What was seeded; installation k of a user is of <c>Integrations[k mod count]</c>, named as the hub names it.</summary>
internal sealed record SeedResponse(int Users, int Installations, string InstalledAt, IReadOnlyList<SeedIntegration> Integrations);

internal sealed record SeedIntegration(string IntegrationId, string Name);
