using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Events;

/// <summary>An accepted event; <see cref="Created"/> is false when an earlier request with the same key created it.</summary>
public sealed record AcceptedEvent(TenantEventResponse Event, bool Created);

/// <summary>
/// Accepts one event for one tenant: stored before the caller gets an answer, exactly once per <c>Idempotency-Key</c>
/// (the unique index on tenant and key settles concurrent requests), Held while the tenant has no provisioned Alloy
/// user in the current environment, otherwise handed to the tenant's delivery job.
/// </summary>
public sealed class EventIntake(
    IApplicationDbContext db,
    IAlloyClient alloy,
    EventCatalog catalog,
    ProvisionedAccountCache accounts,
    EnvironmentAccounts environmentAccounts,
    TenantEventDispatch dispatch,
    IBackgroundJobs jobs,
    IOptionsMonitor<HubAlloyOptions> alloyOptions,
    IOptionsMonitor<EventsOptions> options,
    TimeProvider time,
    HubMetrics metrics)
{
    /// <param name="data">The payload; the caller has checked that it is a JSON object.</param>
    public async Task<Result<AcceptedEvent>> AcceptAsync(
        TenantId tenantId, string name, JsonElement data, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(tenantId, name, data, idempotencyKey, cancellationToken);
        if (!prepared.IsSuccess)
        {
            return prepared.Error;
        }

        if (prepared.Value is not { Event: { } accepted })
        {
            return prepared.Value.Earlier!;
        }

        db.TenantEvents.Add(accepted);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // Another request with the same key was stored first: this one answers with that event.
            db.ClearChangeTracker();
            if (await FindByKeyAsync(tenantId, idempotencyKey, cancellationToken) is { } winner)
            {
                return Repeat(winner, accepted.RequestHash, idempotencyKey);
            }

            throw;
        }

        await StoredAsync([accepted], cancellationToken);
        return new AcceptedEvent(TenantEventResponse.From(accepted), Created: true);
    }

    /// <summary>
    /// Accepts many events in one save; when that save fails (a key stored before, or twice in the batch) each event is
    /// accepted on its own instead, so every item still gets its own answer.
    /// </summary>
    public async Task<IReadOnlyList<Result<AcceptedEvent>>> AcceptManyAsync(
        IReadOnlyList<(TenantId TenantId, string Name, JsonElement Data, string? IdempotencyKey)> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new Result<AcceptedEvent>?[items.Count];
        var prepared = new List<(int Index, TenantEvent Event)>();
        for (var i = 0; i < items.Count; i++)
        {
            var (tenantId, name, data, key) = items[i];
            var outcome = await PrepareAsync(tenantId, name, data, key, cancellationToken);
            if (!outcome.IsSuccess)
            {
                results[i] = outcome.Error;
            }
            else if (outcome.Value is { Event: { } accepted })
            {
                prepared.Add((i, accepted));
            }
            else
            {
                results[i] = outcome.Value.Earlier!;
            }
        }

        if (prepared.Count > 0)
        {
            db.TenantEvents.AddRange(prepared.Select(p => p.Event));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await StoredAsync(prepared.Select(p => p.Event).ToList(), cancellationToken);
                foreach (var (index, e) in prepared)
                {
                    results[index] = new AcceptedEvent(TenantEventResponse.From(e), Created: true);
                }
            }
            catch (DbUpdateException)
            {
                db.ClearChangeTracker();
                foreach (var (index, _) in prepared)
                {
                    var (tenantId, name, data, key) = items[index];
                    results[index] = await AcceptAsync(tenantId, name, data, key, cancellationToken);
                }
            }
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>Everything before the insert: size, tenant, account state, event name; the row to store, not yet added.</summary>
    private async Task<Result<Prepared>> PrepareAsync(
        TenantId tenantId, string name, JsonElement data, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(data);
        var bytes = Encoding.UTF8.GetByteCount(json);
        var limit = options.CurrentValue.MaxDataBytes;
        if (bytes > limit)
        {
            return TenantEventErrors.DataTooLarge(bytes, limit);
        }

        // The hot path (a provisioned tenant this process remembers) reads nothing before the insert: an offboarded
        // tenant's account leaves the cache when offboarding saves, and a repeated key is caught by the unique index.
        var hash = Hash(name, json);
        var environment = alloyOptions.CurrentValue.Environment;
        ProvisioningState state;
        if (accounts.TryGet(tenantId, environment, out _))
        {
            state = ProvisioningState.Provisioned;
        }
        else
        {
            var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
            if (tenant is null)
            {
                return TenantErrors.NotFound(tenantId.Value);
            }

            state = tenant.IsDeleted ? ProvisioningState.Deprovisioned : await AccountStateAsync(tenantId, environment, cancellationToken);
        }

        if (state is ProvisioningState.Deprovisioning or ProvisioningState.Deprovisioned)
        {
            return AsPrepared(await RepeatOrAsync(tenantId, idempotencyKey, hash, AlloyAccountErrors.Offboarded(tenantId), cancellationToken));
        }

        var (check, known) = await catalog.CheckAsync(alloy, environment, name, cancellationToken);
        if (check == EventNameCheck.Unknown)
        {
            return AsPrepared(
                await RepeatOrAsync(tenantId, idempotencyKey, hash, TenantEventErrors.UnknownEvent(name, known.Order(StringComparer.Ordinal).ToList()), cancellationToken));
        }

        var held = state != ProvisioningState.Provisioned;
        return new Prepared(TenantEvent.Accept(tenantId, name, json, idempotencyKey, hash, held, time.GetUtcNow()), Earlier: null);
    }

    /// <summary>After the save: count, and ask for each tenant's delivery job once.</summary>
    private async Task StoredAsync(IReadOnlyList<TenantEvent> stored, CancellationToken cancellationToken)
    {
        foreach (var e in stored)
        {
            metrics.EventAccepted(e.State == TenantEventState.Held);
        }

        var environment = alloyOptions.CurrentValue.Environment;
        foreach (var tenant in stored.GroupBy(e => e.TenantId))
        {
            var held = tenant.All(e => e.State == TenantEventState.Held);
            if (!held || await AccountStateAsync(tenant.Key, environment, cancellationToken) == ProvisioningState.Provisioned)
            {
                // Provisioning may have finished between the check and the save: the job releases held events then too.
                dispatch.Request(tenant.Key, jobs.EnqueueTenantEvents);
            }
        }
    }

    /// <summary>SHA-256 (hex) of the name and the compact payload: the same event sent again has the same hash.</summary>
    public static string Hash(string name, string compactJson)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name + "\n" + compactJson));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A request that would be refused now answers as before if its key was already accepted (same key, same answer).</summary>
    private async Task<Result<AcceptedEvent>> RepeatOrAsync(
        TenantId tenantId, string? idempotencyKey, string hash, Error refusal, CancellationToken cancellationToken) =>
        idempotencyKey is not null && await FindByKeyAsync(tenantId, idempotencyKey, cancellationToken) is { } earlier
            ? Repeat(earlier, hash, idempotencyKey)
            : refusal;

    private static Result<AcceptedEvent> Repeat(TenantEvent earlier, string hash, string idempotencyKey) =>
        string.Equals(earlier.RequestHash, hash, StringComparison.Ordinal)
            ? new AcceptedEvent(TenantEventResponse.From(earlier), Created: false)
            : TenantEventErrors.IdempotencyConflict(idempotencyKey);

    private Task<TenantEvent?> FindByKeyAsync(TenantId tenantId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.TenantEvents.AsNoTracking().FirstOrDefaultAsync(e => e.TenantId == tenantId && e.IdempotencyKey == idempotencyKey, cancellationToken);

    /// <summary>The state of the tenant's account in <paramref name="environment"/>, created (and provisioned in the background) if missing.</summary>
    private async Task<ProvisioningState> AccountStateAsync(TenantId tenantId, AlloyEnvironment environment, CancellationToken cancellationToken)
    {
        if (accounts.TryGet(tenantId, environment, out _))
        {
            return ProvisioningState.Provisioned;
        }

        var account = await db.AlloyAccounts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Environment == environment, cancellationToken);
        if (account is not null)
        {
            if (account.State == ProvisioningState.Provisioned)
            {
                accounts.Remember(account);
            }

            return account.State;
        }

        var created = await environmentAccounts.EnsureAsync(tenantId, environment, alloyOptions.CurrentValue.UsernamePrefix, cancellationToken);
        return created.State;
    }

    /// <summary>
    /// An event ready to store; or, when the request would be refused
    /// now but its key was accepted before, that earlier answer (<see cref="Earlier"/>, nothing to store).
    /// </summary>
    private sealed record Prepared(TenantEvent? Event, AcceptedEvent? Earlier);

    private static Result<Prepared> AsPrepared(Result<AcceptedEvent> answer) =>
        answer.IsSuccess ? new Prepared(null, answer.Value) : answer.Error;
}
