using System.Buffers;
using System.Text;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Infrastructure.Webhooks;
using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.WebApi.Webhooks;

/// <summary>A webhook delivery that came from an allowed address and carries Alloy's valid signature.</summary>
/// <param name="Body">The body as received (UTF-8), exactly the bytes that were signed.</param>
public sealed record VerifiedAlloyDelivery(
    string? ExecutionId,
    string? WorkflowId,
    string? UserId,
    string? BlockName,
    string? BlockType,
    string Body);

/// <summary>Either a verified delivery or the problem to answer instead.</summary>
public sealed record AlloyWebhookReadResult(VerifiedAlloyDelivery? Delivery, ProblemHttpResult? Problem);

/// <summary>
/// The HTTP side of Alloy's webhooks, done before anything reads the body as data: source allow-list, the size cap,
/// then <c>X-Alloy-Signature</c> over <c>METHOD + URL + BODY</c> with the raw body bytes (no model binding, so the
/// bytes checked are the bytes stored). Refusals are logged with the reason, never with the signature or the body.
/// </summary>
public sealed class AlloyWebhookReader(AlloyWebhookVerifier verifier, ILogger<AlloyWebhookReader> logger)
{
    public const string WorkflowIdHeader = "X-Alloy-WorkflowId";
    public const string UserIdHeader = "X-Alloy-UserId";
    public const string BlockNameHeader = "X-Alloy-BlockName";
    public const string BlockTypeHeader = "X-Alloy-BlockType";
    public const string ExecutionIdHeader = "X-Alloy-ExecutionUuid";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<AlloyWebhookReadResult> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = verifier.Current;
        var request = http.Request;
        var remote = http.Connection.RemoteIpAddress;
        if (!settings.AllowsSource(remote))
        {
            logger.LogWarning("Alloy webhook refused: source {RemoteIp} is not in AlloyWebhooks:AllowedIps", remote?.ToString() ?? "(unknown)");
            return Refuse(StatusCodes.Status403Forbidden, "forbidden", "This source address may not deliver Alloy webhooks.");
        }

        if (!settings.IsConfigured)
        {
            logger.LogWarning("Alloy webhook refused: no Alloy public key is configured (AlloyWebhooks:PublicKeyPem)");
            return Refuse(StatusCodes.Status503ServiceUnavailable, "webhooks-not-configured",
                "Alloy webhooks are not configured on this hub: no Alloy public key is set, so no delivery can be verified.");
        }

        if (request.ContentLength > IntegrationError.MaxPayloadBytes
            || await ReadBodyAsync(request.Body, IntegrationError.MaxPayloadBytes, cancellationToken) is not { } body)
        {
            logger.LogWarning("Alloy webhook refused: body larger than {MaxBytes} bytes", IntegrationError.MaxPayloadBytes);
            return Refuse(StatusCodes.Status413PayloadTooLarge, "payload-too-large",
                $"The body is larger than {IntegrationError.MaxPayloadBytes} bytes.");
        }

        var url = settings.PublicUrl ?? RequestUrl(http);
        var check = settings.Verify(request.Method, url, body, request.Headers[AlloySignature.HeaderName].ToString());
        if (check != SignatureCheck.Valid)
        {
            // The signed URL is not logged: an operator's webhook URL may carry a secret in its query.
            logger.LogWarning("Alloy webhook refused: signature {SignatureCheck} for {Method} {Path} from {RemoteIp}",
                check, request.Method, request.Path.Value, remote?.ToString() ?? "(unknown)");
            return Refuse(StatusCodes.Status401Unauthorized, "invalid-signature", check switch
            {
                SignatureCheck.Missing => "The X-Alloy-Signature header is required.",
                SignatureCheck.Malformed => "X-Alloy-Signature is not a hex-encoded signature.",
                _ => "X-Alloy-Signature is not Alloy's signature of this request.",
            });
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return new AlloyWebhookReadResult(null, Error.Validation("body", "The body must be UTF-8 JSON.").ToProblem(http));
        }

        var headers = request.Headers;
        return new AlloyWebhookReadResult(
            new VerifiedAlloyDelivery(
                Header(headers, ExecutionIdHeader),
                Header(headers, WorkflowIdHeader),
                Header(headers, UserIdHeader),
                Header(headers, BlockNameHeader),
                Header(headers, BlockTypeHeader),
                text),
            null);
    }

    /// <summary>
    /// The URL the request was sent to, as the sender wrote it: scheme, the <c>Host</c> header and the raw request
    /// target (path and query exactly as on the wire). Behind a proxy that is not what Alloy signed: configure
    /// <c>AlloyWebhooks:PublicUrl</c> (and forwarded headers for the source address).
    /// </summary>
    internal static string RequestUrl(HttpContext http)
    {
        var request = http.Request;
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = UriHelper.BuildRelative(request.PathBase, request.Path, request.QueryString);
        }

        return $"{request.Scheme}://{request.Host.ToUriComponent()}{target}";
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString() : null;

    /// <summary>The whole body, or null as soon as it passes <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static AlloyWebhookReadResult Refuse(int status, string slug, string detail) =>
        new(null, TypedResults.Problem(statusCode: status, title: ProblemTypes.TitleFor(slug), detail: detail, type: ProblemTypes.Uri(slug)));
}
