using System.Diagnostics;
using IntegrationHub.Application.Installations.SyncInstallations;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.WebApi.Auth;
using Mediator;

namespace IntegrationHub.Bench.Host;

/// <summary>
/// <c>/_bench/scale</c>, for <c>bench/run.sh --scale</c>: runs the installation sync or one reconciler pass in this
/// process now and answers how long it took and how many SQL commands it issued (EF Core's <c>CommandExecuted</c>
/// diagnostic events of this request's flow only, so background jobs running meanwhile are not counted). Admin key.
/// </summary>
public static class ScaleEndpoints
{
    private static readonly AsyncLocal<StrongBox> Counter = new();

    public static WebApplication MapScaleEndpoints(this WebApplication app)
    {
        DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        var group = app.MapGroup("/_bench/scale").WithTags("Bench").ExcludeFromDescription();
        group.MapPost("/sync", async (ISender sender, CancellationToken ct) =>
        {
            var (elapsed, commands, result) = await MeasureAsync(() => sender.Send(new SyncInstallationsCommand(), ct).AsTask());
            return result.IsSuccess
                ? Results.Ok(new ScaleRun(elapsed, commands, result.Value.Tenants, result.Value.Installations, null))
                : Results.Ok(new ScaleRun(elapsed, commands, 0, 0, result.Error.Code));
        }).RequireAuthorization(Policies.Admin);
        group.MapPost("/reconcile", async (ISender sender, CancellationToken ct) =>
        {
            var (elapsed, commands, enqueued) = await MeasureAsync(() => sender.Send(new ReconcileProvisioningCommand(), ct).AsTask());
            return Results.Ok(new ScaleRun(elapsed, commands, enqueued, 0, null));
        }).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>What a measured run answers: milliseconds, SQL commands, and the use case's own counts.</summary>
    public sealed record ScaleRun(double ElapsedMs, long Commands, int Count, int Installations, string? Error);

    private static async Task<(double ElapsedMs, long Commands, T Result)> MeasureAsync<T>(Func<Task<T>> run)
    {
        var box = new StrongBox();
        Counter.Value = box;
        var clock = Stopwatch.StartNew();
        var result = await run();
        return (clock.Elapsed.TotalMilliseconds, Interlocked.Read(ref box.Count), result);
    }

    private sealed class StrongBox
    {
        public long Count;
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.EntityFrameworkCore")
            {
                value.Subscribe(new CommandObserver(), name => name == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted");
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class CommandObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Counter.Value is { } box)
            {
                Interlocked.Increment(ref box.Count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
