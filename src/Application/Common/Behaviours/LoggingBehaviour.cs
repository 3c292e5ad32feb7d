using System.Diagnostics;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Application.Common.Behaviours;

/// <summary>Logs each request's name, outcome and duration; never its payload.</summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    // Once per message type, not per request.
    private static readonly string Name = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response is Result { IsSuccess: false } failed)
            {
                LogFailed(logger, name, failed.Error.Code, elapsed);
            }
            else
            {
                // Source-generated: checks the level before it boxes or allocates anything (every request passes here).
                LogSucceeded(logger, name, elapsed);
            }

            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogThrew(logger, ex, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} failed with {ErrorCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string request, string errorCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} succeeded in {ElapsedMs:0.0} ms")]
    private static partial void LogSucceeded(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} threw after {ElapsedMs:0.0} ms")]
    private static partial void LogThrew(ILogger logger, Exception exception, string request, double elapsedMs);
}
