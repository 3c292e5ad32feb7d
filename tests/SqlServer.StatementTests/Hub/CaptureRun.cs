using System.Reflection;
using System.Runtime.CompilerServices;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.SqlServer.StatementTests.Capture;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.SqlServer.StatementTests.Hub;

/// <summary>What one use case run did: its label, and the exception it ended with, if any.</summary>
public sealed record FlowOutcome(string Source, Exception? Failure);

/// <summary>
/// Runs everything that sends SQL to SQL Server through a <see cref="CaptureHub"/>, once per test run:
/// every use case through the Mediator pipeline (two variants each), every entity's insert, update and delete as
/// SaveChanges sends them (optimistic concurrency included), and the hand-built bulk insert for every table.
/// New use cases and new tables are picked up from the Application assembly and the EF model.
/// </summary>
public sealed class CaptureRun
{
    private static readonly Lazy<Task<CaptureRun>> Instance = new(() => RunAsync());

    private CaptureRun(CaptureHub hub, IReadOnlyList<FlowOutcome> outcomes, IModel model)
    {
        Hub = hub;
        Outcomes = outcomes;
        Model = model;
    }

    public CaptureHub Hub { get; }

    public StatementLog Log => Hub.Log;

    public IModel Model { get; }

    public IReadOnlyList<FlowOutcome> Outcomes { get; }

    public static Task<CaptureRun> GetAsync() => Instance.Value;

    /// <summary>How each use case is run: optional members unset or all set; rows found, or an empty database.</summary>
    public static IReadOnlyList<(string Name, Func<Type, object> Build, bool EmptyDatabase)> Variants { get; } =
    [
        ("sparse", UseCaseRequests.Sparse, false),
        ("full", UseCaseRequests.Full, false),
        ("full, empty database", UseCaseRequests.Full, true),
    ];

    public static string UseCaseSource(Type request, string variant) => $"use case {request.Name} ({variant})";

    public static string SaveSource(IEntityType entity, EntityState state) => $"SaveChanges {entity.ClrType.Name} {state}";

    public static string BulkSource(IEntityType entity) => $"bulk insert {entity.ClrType.Name}";

    private static async Task<CaptureRun> RunAsync()
    {
        var hub = new CaptureHub();
        var outcomes = new List<FlowOutcome>();
        foreach (var type in UseCaseRequests.Types)
        {
            foreach (var (variant, build, empty) in Variants)
            {
                var source = UseCaseSource(type, variant);
                await using var scope = hub.BeginFlow(source, empty);
                outcomes.Add(await CatchAsync(source, () => DispatchAsync(scope.ServiceProvider.GetRequiredService<IMediator>(), build(type))));
            }
        }

        IModel model;
        await using (var scope = hub.BeginFlow("model"))
        {
            model = scope.ServiceProvider.GetRequiredService<SqlServerHubDbContext>().Model;
        }

        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()))
        {
            foreach (var state in new[] { EntityState.Added, EntityState.Modified, EntityState.Deleted })
            {
                var source = SaveSource(entity, state);
                await using var scope = hub.BeginFlow(source);
                var db = scope.ServiceProvider.GetRequiredService<SqlServerHubDbContext>();
                outcomes.Add(await CatchAsync(source, () => SaveAsync(db, entity, state)));
            }

            var bulk = BulkSource(entity);
            await using (var scope = hub.BeginFlow(bulk))
            {
                var db = scope.ServiceProvider.GetRequiredService<SqlServerHubDbContext>();
                outcomes.Add(await CatchAsync(bulk, () => BulkInsertAsync(db, entity)));
            }
        }

        return new CaptureRun(hub, outcomes, model);
    }

    /// <summary>Sends a request, publishes a notification, or reads a stream to its end, whichever the message is.</summary>
    private static async Task DispatchAsync(IMediator mediator, object message)
    {
        var streaming = message.GetType().GetInterfaces().Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IStreamQuery<>) || i.GetGenericTypeDefinition() == typeof(IStreamCommand<>)
                || i.GetGenericTypeDefinition() == typeof(IStreamRequest<>)));
        if (message is INotification)
        {
            await mediator.Publish(message); // the object overload: the generated mediator dispatches on the run-time type
        }
        else if (streaming)
        {
            await foreach (var _ in mediator.CreateStream(message))
            {
            }
        }
        else
        {
            await mediator.Send(message);
        }
    }

    private static async Task<FlowOutcome> CatchAsync(string source, Func<Task> flow)
    {
        try
        {
            await flow();
            return new FlowOutcome(source, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new FlowOutcome(source, ex);
        }
    }

    /// <summary>One entity saved in <paramref name="state"/>: every column set, every non-key column modified.</summary>
    private static async Task SaveAsync(DbContext db, IEntityType entity, EntityState state)
    {
        var entry = db.Entry(NewEntity(entity));
        var generatedKey = state == EntityState.Added;
        foreach (var property in entity.GetProperties())
        {
            if (generatedKey && property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
            {
                continue;
            }

            entry.Property(property).CurrentValue = ClrSample(property);
        }

        if (state == EntityState.Modified)
        {
            entry.State = EntityState.Unchanged;
            foreach (var property in entity.GetProperties().Where(p => !p.IsKey()))
            {
                entry.Property(property).IsModified = true;
            }
        }
        else
        {
            entry.State = state;
        }

        await db.SaveChangesAsync();
    }

    private static Task BulkInsertAsync(DbContext db, IEntityType entity)
    {
        var insert = typeof(BulkInsert).GetMethod(nameof(BulkInsert.InsertAsync))!.MakeGenericMethod(entity.ClrType);
        var rows = Array.CreateInstance(entity.ClrType, 3);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = NewEntity(entity);
            var entry = db.Entry(row);
            foreach (var property in entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)))
            {
                entry.Property(property).CurrentValue = ClrSample(property);
            }

            entry.State = EntityState.Detached;
            rows.SetValue(row, i);
        }

        return (Task)insert.Invoke(null, [db, rows, CancellationToken.None])!;
    }

    private static object NewEntity(IEntityType entity)
    {
        var instance = RuntimeHelpers.GetUninitializedObject(entity.ClrType);

        // Collections the constructor would have made (backing lists of value-converted members).
        foreach (var field in entity.ClrType.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                     .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(List<>)))
        {
            field.SetValue(instance, Activator.CreateInstance(field.FieldType));
        }

        return instance;
    }

    private static object? ClrSample(IProperty property)
    {
        var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (clr.IsEnum)
        {
            return Enum.GetValues(clr).GetValue(0);
        }

        if (clr != typeof(string) && clr.IsAssignableFrom(typeof(List<string>)))
        {
            return new List<string> { property.Name.ToLowerInvariant() + "-1" };
        }

        var converter = property.GetTypeMapping().Converter;
        if (converter is not null && ResultFabricator.SampleOf(converter.ProviderClrType, property.Name, property.GetMaxLength()) is { } stored)
        {
            return converter.ConvertFromProvider(stored);
        }

        return ResultFabricator.SampleOf(clr, property.Name, property.GetMaxLength());
    }
}
