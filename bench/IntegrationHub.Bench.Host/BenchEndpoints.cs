using System.Text;
using System.Text.Json;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Installations;
using IntegrationHub.Application.Tokens.IssueModalToken;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bench.Host;

/// <summary>
/// <c>/_bench</c>: the baselines the benchmarks (bench/) compare the hub with, in the same process, behind the same
/// authentication: a token endpoint that does nothing else, a signup that is one raw SQLite insert (into a table of
/// its own, <c>BenchSignups</c>, created on first use), an event intake that is one raw insert of the payload (table
/// <c>BenchEvents</c>, likewise), and the admin installation query as hand-written SQL. Only the
/// benchmark host maps them; it refuses to start in Production; they are left out of the OpenAPI document.
/// </summary>
public static class BenchEndpoints
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS BenchSignups (TenantId TEXT NOT NULL PRIMARY KEY, Name TEXT NOT NULL, CreatedAt INTEGER NOT NULL); " +
        "CREATE TABLE IF NOT EXISTS BenchEvents (Id INTEGER PRIMARY KEY, TenantId TEXT NOT NULL, IdempotencyKey TEXT NULL, Name TEXT NOT NULL, " +
        "Data TEXT NOT NULL, AcceptedAt INTEGER NOT NULL, UNIQUE (TenantId, IdempotencyKey));";

    // The pragma the hub's own connections get (SqlitePragmaInterceptor), so both sides sync alike.
    private const string Insert =
        "PRAGMA synchronous = NORMAL; INSERT INTO BenchSignups (TenantId, Name, CreatedAt) VALUES ($tenantId, $name, $createdAt);";

    private const string InsertEvent =
        "PRAGMA synchronous = NORMAL; INSERT INTO BenchEvents (TenantId, IdempotencyKey, Name, Data, AcceptedAt) VALUES ($tenantId, $key, $name, $data, $acceptedAt) RETURNING Id;";

    // As long as an Alloy modal token, so both sides serialize and send the same amount.
    private static readonly ModalTokenResponse BareToken = new(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjp7Il9pZCI6ImJlbmNoMDAwMDAwMDAwMDAwMDAwMCJ9LCJpYXQiOjE3OTU4NDM5ODksImV4cCI6MTc5NTg0NTc4OX0.YmVuY2gtYmFyZS10b2tlbi1zaWduYXR1cmUtMDAwMDAwMDAwMA",
        DateTimeOffset.UnixEpoch.AddYears(100),
        "bench0000000000000000000");

    public static WebApplication MapBenchEndpoints(this WebApplication app)
    {
        if (app.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "The benchmark host runs in Production: the benchmark baselines are never served in Production. " +
                "Run benchmarks with ASPNETCORE_ENVIRONMENT=Benchmark (bench/run.sh does).");
        }

        var configuration = app.Configuration;
        var connectionString = configuration.GetConnectionString("Hub");
        var provider = (configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions()).Provider;
        if (provider != DatabaseProvider.Sqlite || string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("The benchmark host needs Database:Provider=Sqlite and ConnectionStrings:Hub: the baselines are raw SQLite.");
        }

        var database = new BenchDatabase(connectionString);
        var group = app.MapGroup("/_bench").WithTags("Bench").ExcludeFromDescription();
        group.MapPost("/tenants/{tenantId}/bare-token", IssueBareToken).RequireAuthorization(Policies.TenantUse);
        group.MapPost("/signups", (SignUpBody body, HttpContext http, CancellationToken ct) => RawSignUpAsync(body, database, http, ct))
            .RequireAuthorization(Policies.Service);
        group.MapPost("/tenants/{tenantId}/events", (
                string tenantId, EventBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http, CancellationToken ct) =>
                RawAcceptEventAsync(tenantId, body, idempotencyKey, database, http, ct))
            .RequireAuthorization(Policies.Service);
        group.MapGet("/installations", (
                [FromQuery] string? tenantId, [FromQuery] string? integrationId, [FromQuery] bool? enabled, [FromQuery] string? cursor, [FromQuery] int? limit,
                IOptionsMonitor<HubAlloyOptions> alloy, HttpContext http, CancellationToken ct) =>
                RawInstallationsAsync(new InstallationFilter(tenantId, integrationId, enabled, cursor, limit), alloy.CurrentValue, database, http, ct))
            .RequireAuthorization(Policies.Admin);
        return app;
    }

    public sealed record SignUpBody(string? TenantId, string? Name);

    public sealed record EventBody(string? Event, JsonElement? Data);

    /// <summary>What the raw event intake answers: the stored row's id and what was stored.</summary>
    public sealed record BenchEventAnswer(long Id, string TenantId, string Event, string? IdempotencyKey);

    public sealed record InstallationFilter(string? TenantId, string? IntegrationId, bool? Enabled, string? Cursor, int? Limit);

    /// <summary>The token endpoint's authentication, authorization and headers, and nothing else.</summary>
    public static Ok<ModalTokenResponse> IssueBareToken(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(BareToken);
    }

    private static async Task<Results<Accepted<SignUpBody>, ProblemHttpResult>> RawSignUpAsync(
        SignUpBody body, BenchDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        if (body.TenantId is null || !TenantId.IsValid(body.TenantId))
        {
            return Invalid("tenantId is required: 1 to 64 letters, digits, '.', '_' or '-'.").ToProblem(http);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Insert;
        command.Parameters.AddWithValue("$tenantId", body.TenantId);
        command.Parameters.AddWithValue("$name", body.Name ?? body.TenantId);
        command.Parameters.AddWithValue("$createdAt", DateTimeOffset.UtcNow.UtcTicks);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return new Error("conflict", $"Bench signup {body.TenantId} exists.", ErrorType.Conflict).ToProblem(http);
        }

        return TypedResults.Accepted((string?)null, body);
    }

    /// <summary>
    /// The event intake's payload stored as one raw insert (the same compact JSON the hub stores), behind the same
    /// service-key authentication: no tenant lookup, no idempotency read, no catalog check, no job.
    /// </summary>
    private static async Task<Results<Accepted<BenchEventAnswer>, ProblemHttpResult>> RawAcceptEventAsync(
        string tenantId, EventBody body, string? idempotencyKey, BenchDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TenantId.IsValid(tenantId) || string.IsNullOrWhiteSpace(body.Event) || body.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            return Invalid("tenantId must be a valid tenant id, event a name and data a JSON object.").ToProblem(http);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertEvent;
        command.Parameters.AddWithValue("$tenantId", tenantId);
        command.Parameters.AddWithValue("$key", (object?)idempotencyKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", body.Event);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(data));
        command.Parameters.AddWithValue("$acceptedAt", DateTimeOffset.UtcNow.UtcTicks);
        long id;
        try
        {
            id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return new Error("conflict", $"Bench event {idempotencyKey} of {tenantId} exists.", ErrorType.Conflict).ToProblem(http);
        }

        return TypedResults.Accepted((string?)null, new BenchEventAnswer(id, tenantId, body.Event, idempotencyKey));
    }

    /// <summary>The SQL that <c>GET /api/admin/installations</c> runs, written by hand.</summary>
    private static async Task<Results<Ok<Page<TenantInstallationResponse>>, ProblemHttpResult>> RawInstallationsAsync(
        InstallationFilter filter, HubAlloyOptions alloy, BenchDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = filter.Limit ?? 50;
        if (limit is < 1 or > ValidationRules.MaxPageSize || (filter.Cursor is not null && !Cursor.TryDecode(filter.Cursor, out _)))
        {
            return Invalid("limit must be between 1 and 500 and cursor one this API returned.").ToProblem(http);
        }

        Cursor.TryDecode(filter.Cursor, out var after);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder(
            "SELECT Id, TenantId, InstallationId, IntegrationId, IntegrationName, Enabled, InstalledAt, FirstSeenAt, LastSyncedAt, RemovedAt " +
            "FROM Installations WHERE Environment = $environment AND Id > $after");
        command.Parameters.AddWithValue("$environment", alloy.Environment.ToString());
        command.Parameters.AddWithValue("$after", after);
        if (filter.TenantId is not null)
        {
            sql.Append(" AND TenantId = $tenantId");
            command.Parameters.AddWithValue("$tenantId", filter.TenantId);
        }

        if (filter.IntegrationId is not null)
        {
            sql.Append(" AND IntegrationId = $integrationId");
            command.Parameters.AddWithValue("$integrationId", filter.IntegrationId);
        }

        if (filter.Enabled is { } enabled)
        {
            sql.Append(" AND Enabled = $enabled");
            command.Parameters.AddWithValue("$enabled", enabled);
        }

        sql.Append(" ORDER BY Id LIMIT $take;");
        command.Parameters.AddWithValue("$take", limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<TenantInstallationResponse>(limit);
        long lastId = 0;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                more = true;
                break;
            }

            lastId = reader.GetInt64(0);
            items.Add(new TenantInstallationResponse(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5),
                Ticks(reader, 6), Ticks(reader, 7)!.Value, Ticks(reader, 8)!.Value, Ticks(reader, 9)));
        }

        return TypedResults.Ok(new Page<TenantInstallationResponse>(items, more ? Cursor.Encode(lastId) : null));
    }

    private static DateTimeOffset? Ticks(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    private static Error Invalid(string message) => new("validation", message, ErrorType.Validation);

    /// <summary>Pooled raw connections to the hub's own SQLite file; the bench table is created on first use.</summary>
    private sealed class BenchDatabase(string connectionString)
    {
        private volatile bool _ready;

        public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            if (!_ready)
            {
                // Idempotent: two first requests racing both run it, harmlessly.
                await using var command = connection.CreateCommand();
                command.CommandText = CreateTable;
                await command.ExecuteNonQueryAsync(cancellationToken);
                _ready = true;
            }

            return connection;
        }
    }
}
