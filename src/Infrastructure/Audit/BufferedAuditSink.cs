using System.Threading.Channels;
using IntegrationHub.Application.Common.Errors;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Audit;

/// <summary>
/// The in-process buffer between requests and <see cref="AuditWriter"/>: a bounded channel, so memory stays bounded
/// when the database falls behind.
/// </summary>
/// <remarks>
/// <para>When the buffer is full, a writer waits for room (up to <see cref="AuditOptions.FullWait"/>) instead of
/// dropping the entry; past that it throws <see cref="AuditBacklogException"/>, which the API answers with 503. An audit
/// log that silently loses entries under load is worse than a hub that slows down.</para>
/// <para>Durability: an entry handed over here is in memory until the writer's next batch commits (within
/// <see cref="AuditOptions.FlushInterval"/> plus one database write). A graceful shutdown flushes everything; a
/// crash or SIGKILL loses what was not yet flushed. Durable events (signup, provisioning, retry) do not come
/// through here: they commit with their own transaction.</para>
/// </remarks>
public sealed partial class BufferedAuditSink : IAuditSink
{
    private readonly Channel<AuditEntry> _channel;
    private readonly TimeSpan _fullWait;
    private readonly ILogger<BufferedAuditSink> _logger;

    public BufferedAuditSink(IOptions<AuditOptions> options, ILogger<BufferedAuditSink> logger)
    {
        var settings = options.Value;
        _channel = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(settings.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _fullWait = settings.FullWait;
        _logger = logger;
    }

    internal ChannelReader<AuditEntry> Reader => _channel.Reader;

    /// <summary>Entries waiting to be written (for diagnostics and tests).</summary>
    public int Pending => _channel.Reader.Count;

    public ValueTask WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _channel.Writer.TryWrite(entry) ? ValueTask.CompletedTask : WaitForRoomAsync(entry, cancellationToken);
    }

    /// <summary>No more entries: the writer drains what is buffered and stops.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    private async ValueTask WaitForRoomAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_fullWait);
        try
        {
            await _channel.Writer.WriteAsync(entry, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogBufferFull(_logger, _fullWait.TotalSeconds, entry.Action, entry.TenantId?.Value, entry.Actor);
            throw new AuditBacklogException($"The audit buffer stayed full for {_fullWait.TotalSeconds} s: the database is not keeping up.");
        }
        catch (ChannelClosedException)
        {
            // Only after shutdown began (the server has stopped taking requests by then): say what is lost.
            LogClosed(_logger, entry.Action, entry.TenantId?.Value, entry.Actor, entry.Detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit buffer full for {Seconds} s; refusing the request rather than dropping its {Action} entry (tenant {TenantId}, actor {Actor})")]
    private static partial void LogBufferFull(ILogger logger, double seconds, AuditAction action, string? tenantId, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry after shutdown not stored: {Action} tenant {TenantId} actor {Actor} detail {Detail}")]
    private static partial void LogClosed(ILogger logger, AuditAction action, string? tenantId, string actor, string? detail);
}
