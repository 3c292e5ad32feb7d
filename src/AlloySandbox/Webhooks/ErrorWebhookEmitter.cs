using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Webhooks;

/// <summary>
/// Delivers a workflow error the way Alloy's error streaming does: a POST of the error record with the five
/// <c>X-Alloy-*</c> identifier headers and <c>X-Alloy-Signature</c>.
/// </summary>
internal sealed class ErrorWebhookEmitter(
    IHttpClientFactory clients,
    WebhookSigner signer,
    IOptionsMonitor<AlloySandboxOptions> options,
    TimeProvider time,
    ILogger<ErrorWebhookEmitter> logger)
{
    public const string HttpClientName = "AlloySandbox.Webhooks";
    public const string DefaultBlockName = "HTTP Request";
    public const string DefaultBlockType = "httpRequest";
    public const string DefaultError = "Request failed with status code 401";

    private const int MaxResponseBodyLength = 2000;

    /// <param name="requestBase">Scheme and host of the control request, against which a path-only URL resolves.</param>
    public async Task<Result<EmitErrorWebhookResponse>> EmitAsync(EmitErrorWebhookRequest? request, Uri requestBase, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.UserId))
        {
            return ApiError.Required("userId");
        }

        var configured = request.Url ?? options.CurrentValue.Webhooks.ErrorUrl;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return ApiError.BadRequest("url is required (or configure AlloySandbox:Webhooks:ErrorUrl)");
        }

        if (!WebhookUrls.TryResolve(configured, requestBase, out var url))
        {
            return ApiError.BadRequest("url must be an absolute http(s) URL or a path starting with '/'");
        }

        var now = Timestamps.Iso(time.GetUtcNow());
        var record = new AlloyErrorRecord(
            Id: ObjectIds.New(time),
            WorkflowId: request.WorkflowId ?? ObjectIds.New(time),
            ExecutionId: request.ExecutionId ?? ObjectIds.New(time),
            BlockId: Guid.NewGuid().ToString(),
            BlockType: request.BlockType ?? DefaultBlockType,
            Error: request.Error ?? DefaultError,
            CreatedAt: now,
            UpdatedAt: now);
        var body = JsonSerializer.SerializeToUtf8Bytes(record, SandboxJson.TypeInfo<AlloyErrorRecord>());

        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.Add("X-Alloy-WorkflowId", record.WorkflowId);
        message.Headers.Add("X-Alloy-UserId", request.UserId);
        message.Headers.Add("X-Alloy-BlockName", request.BlockName ?? DefaultBlockName);
        message.Headers.Add("X-Alloy-BlockType", record.BlockType);
        message.Headers.Add("X-Alloy-ExecutionUuid", record.ExecutionId);
        message.Headers.Add("X-Alloy-Signature", signer.Sign(message.Method.Method, url.AbsoluteUri, body));

        try
        {
            var client = clients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            logger.LogInformation("Error webhook for execution {ExecutionId} delivered to {Url}: {StatusCode}",
                record.ExecutionId, url.GetLeftPart(UriPartial.Path), (int)response.StatusCode);
            return new EmitErrorWebhookResponse(
                (int)response.StatusCode,
                url.AbsoluteUri,
                record.ExecutionId,
                record.WorkflowId,
                text.Length <= MaxResponseBodyLength ? text : text[..MaxResponseBodyLength]);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Error webhook for execution {ExecutionId} could not be delivered to {Url}: {Reason}",
                record.ExecutionId, url.GetLeftPart(UriPartial.Path), ex.Message);
            return new ApiError(StatusCodes.Status502BadGateway, $"Delivery to {url.GetLeftPart(UriPartial.Path)} failed: {ex.Message}");
        }
    }
}
