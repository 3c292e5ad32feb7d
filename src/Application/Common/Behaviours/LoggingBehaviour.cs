using System.Diagnostics;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Application.Common.Behaviours;

/// <summary>Logs each request's name, outcome and duration; never its payload.</summary>
public sealed class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response is Result { IsSuccess: false } failed)
            {
                logger.LogInformation("{Request} failed with {ErrorCode} in {ElapsedMs:0.0} ms", name, failed.Error.Code, elapsed);
            }
            else
            {
                logger.LogDebug("{Request} succeeded in {ElapsedMs:0.0} ms", name, elapsed);
            }

            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Request} threw after {ElapsedMs:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
