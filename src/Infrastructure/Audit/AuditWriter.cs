using System.Threading.Channels;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Audit;

/// <summary>
/// Drains <see cref="BufferedAuditSink"/> into the database in batches: a batch is written once it holds
/// <see cref="AuditOptions.BatchSize"/> entries or its first entry has waited <see cref="AuditOptions.FlushInterval"/>,
/// each through a fresh scope (its own <c>DbContext</c>). A failed write is retried with backoff, never dropped;
/// meanwhile the buffer fills and, once full, requests wait and then fail with 503.
/// </summary>
/// <remarks>
/// On graceful shutdown <see cref="StopAsync"/> closes the buffer and writes everything still in it before the
/// host's shutdown timeout. A crash (SIGKILL, power loss) loses the entries not yet flushed: at most one batch
/// interval's worth plus whatever a database outage had backed up. See docs/adr/0006-audit-log.md.
/// </remarks>
public sealed partial class AuditWriter(
    BufferedAuditSink sink,
    IServiceScopeFactory scopes,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditWriter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How often a partial batch is topped up from the buffer (see <see cref="Fill"/>).</summary>
    private static readonly TimeSpan FillTick = TimeSpan.FromMilliseconds(10);

    /// <summary>Cancelled only when the host's shutdown timeout runs out: the writer then gives up (and says so).</summary>
    private readonly CancellationTokenSource _abandon = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Close the buffer: the loop writes what is left, then ends. Not the stopping token: a cancelled
        // write would lose its batch.
        sink.Complete();
        await using var registration = cancellationToken.Register(_abandon.Cancel);
        await base.StopAsync(cancellationToken);

        // BackgroundService starts ExecuteAsync on the thread pool with the stopping token: a host stopped right
        // after it started may cancel that before the loop ever ran. Whatever is still buffered is written here.
        var rest = new List<AuditEntry>();
        while (sink.Reader.TryRead(out var entry))
        {
            rest.Add(entry);
        }

        if (rest.Count > 0)
        {
            try
            {
                await WriteAsync(rest, _abandon.Token);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                LogAbandoned(logger, rest.Count);
            }
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The loop runs on a thread of its own, not the thread pool: Microsoft.Data.Sqlite's asynchronous calls run
    /// synchronously, so a batch written from the pool held one of the few pool threads a one-core process has (for
    /// the inserts and a checkpoint's I/O) while requests queued behind it (docs/adr/0012-performance.md). It blocks
    /// only itself. With SQL Server the awaited I/O completes on the pool as before and this thread just waits.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(Drain, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Drain()
    {
        var settings = options.Value;
        var reader = sink.Reader;
        var batch = new List<AuditEntry>(settings.BatchSize);
        try
        {
            // Ends when the buffer is closed (StopAsync) and empty.
            while (WaitFor(reader.WaitToReadAsync(_abandon.Token)))
            {
                Fill(reader, batch, settings);
                WriteAsync(batch, _abandon.Token).GetAwaiter().GetResult();
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            LogAbandoned(logger, batch.Count + reader.Count);
        }
    }

    private static bool WaitFor(ValueTask<bool> wait) => wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();

    /// <summary>Takes what is buffered, up to a batch; waits up to the flush interval for a partial batch to fill.</summary>
    /// <remarks>
    /// A partial batch is topped up every <see cref="FillTick"/> rather than on every entry: waiting on the channel
    /// woke this loop once per token answered (thousands of thread-pool wake-ups a second under load, each with a
    /// cancellation registration, on the core the requests need), although the entries are written together anyway.
    /// An empty buffer is still waited on, so the first entry after a quiet spell is taken at once; no entry waits
    /// longer than before (at most <see cref="AuditOptions.FlushInterval"/>, plus one tick).
    /// </remarks>
    private void Fill(ChannelReader<AuditEntry> reader, List<AuditEntry> batch, AuditOptions settings)
    {
        var lingerEnds = time.GetTimestamp() + (long)(settings.FlushInterval.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            while (batch.Count < settings.BatchSize && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (batch.Count >= settings.BatchSize || reader.Completion.IsCompleted)
            {
                return; // full, or closed and empty: write what we have
            }

            var remaining = time.GetElapsedTime(time.GetTimestamp(), lingerEnds);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (batch.Count == 0)
            {
                using var linger = new CancellationTokenSource(remaining, time);
                try
                {
                    if (!WaitFor(reader.WaitToReadAsync(linger.Token)))
                    {
                        return; // closed and empty
                    }
                }
                catch (OperationCanceledException) when (linger.IsCancellationRequested)
                {
                    return;
                }
            }
            else
            {
                Task.Delay(remaining < FillTick ? remaining : FillTick, time, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    private async Task WriteAsync(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                await BulkInsert.InsertAsync(db, batch, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The batch's transaction rolled back: the same entries are written again by the next attempt.
                LogWriteFailed(logger, ex, batch.Count, delay.TotalMilliseconds);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} audit entries failed; retrying in {DelayMs} ms")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown timeout reached: {Count} audit entries were not stored")]
    private static partial void LogAbandoned(ILogger logger, int count);
}
