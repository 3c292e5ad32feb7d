using IntegrationHub.AlloySandbox.Faults;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>
/// The Alloy API pipeline, as a route-group filter so that it works inside someone else's app:
/// count the call, add latency, authenticate, check the version, wait at the gate if it holds the call, apply faults,
/// run the endpoint, and, for an after-handling gate or fault, hold or replace the endpoint's answer (a lost response).
/// </summary>
internal sealed class AlloyApiFilter(
    CallCounter calls,
    FaultInjector faults,
    SandboxAuthenticator authenticator,
    IOptionsMonitor<AlloySandboxOptions> options,
    ILogger<AlloyApiFilter> logger) : IEndpointFilter
{
    public const string ApiVersionRouteValue = "apiVersion";
    public const string ApiVersionHeader = "x-api-version";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<SandboxOperation>();
        if (operation is null)
        {
            return await next(context);
        }

        if (operation.AllowsUserToken && BrowserAccess(http))
        {
            return Results.NoContent(); // a CORS preflight: not an API call
        }

        calls.Increment(operation.Key);

        var latency = faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, http.RequestAborted);
        }

        var caller = authenticator.Authenticate(http, operation);
        if (caller is null)
        {
            return SandboxResults.Error(ApiError.Unauthorized);
        }

        caller.Attach(http);

        if (!http.Request.RouteValues.ContainsKey(ApiVersionRouteValue)
            && options.CurrentValue.RequireApiVersion
            && string.IsNullOrWhiteSpace(http.Request.Headers[ApiVersionHeader].ToString()))
        {
            return SandboxResults.Error(ApiError.BadRequest("x-api-version header is required"));
        }

        var held = faults.EnterGate(operation);
        if (held is { AfterHandling: false })
        {
            logger.LogDebug("Holding {Operation} at the gate", operation.Key);
            await faults.WaitAtGateAsync(held, http.RequestAborted);
        }

        var decision = faults.Decide(operation);
        if (decision.Failure is { } before && !decision.AfterHandling)
        {
            logger.LogDebug("Injected {Status} before {Operation}", before.Status, operation.Key);
            return SandboxResults.Error(before);
        }

        object? answer;
        try
        {
            answer = await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Alloy sandbox endpoint {Operation} failed", operation.Key);
            answer = SandboxResults.Error(new ApiError(StatusCodes.Status500InternalServerError, "Internal server error"));
        }

        if (held is { AfterHandling: true })
        {
            logger.LogDebug("Holding the answer of {Operation} at the gate", operation.Key);
            await faults.WaitAtGateAsync(held, http.RequestAborted);
        }

        if (decision.Failure is { } after)
        {
            logger.LogDebug("Injected {Status} after {Operation} ran", after.Status, operation.Key);
            return SandboxResults.Error(after);
        }

        if (decision.LoseAnswer && Succeeded(answer))
        {
            return LoseAnswer(http, operation, decision.LostAnswerStatus);
        }

        return answer;
    }

    /// <summary>Whether the endpoint's answer is a 2xx, i.e. it did what was asked.</summary>
    private static bool Succeeded(object? answer) =>
        answer is IStatusCodeHttpResult { StatusCode: null or (>= 200 and < 300) } || answer is IResult and not IStatusCodeHttpResult;

    /// <summary>
    /// The lost-answer fault, after the endpoint did its work: with status 0 the connection is aborted, so the caller
    /// sees a transport failure (as when Alloy's answer is lost on the way); otherwise the answer becomes that 5xx.
    /// </summary>
    private IResult LoseAnswer(HttpContext http, SandboxOperation operation, int status)
    {
        if (status == 0)
        {
            logger.LogDebug("Aborted the connection after {Operation} ran (lost answer)", operation.Key);
            http.Abort();
            return Results.Empty;
        }

        logger.LogDebug("Answered {Status} after {Operation} ran (lost answer)", status, operation.Key);
        return SandboxResults.Error(new ApiError(status, ApiError.DefaultMessage(status)));
    }

    /// <summary>
    /// Lets any origin call the user-token operations from a browser, as the frontend SDK does. Returns true
    /// when the request is a preflight, which the caller answers with 204.
    /// </summary>
    private static bool BrowserAccess(HttpContext http)
    {
        var request = http.Request;
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = "Origin";
        if (!HttpMethods.IsOptions(request.Method) || string.IsNullOrEmpty(request.Headers.AccessControlRequestMethod))
        {
            return false;
        }

        headers.AccessControlAllowMethods = request.Headers.AccessControlRequestMethod;
        var requested = request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlAllowHeaders = string.IsNullOrEmpty(requested)
            ? $"{SandboxAuthenticator.UserTokenHeader}, content-type, authorization, {ApiVersionHeader}"
            : requested;
        headers.AccessControlMaxAge = "600";
        return true;
    }
}
