using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Webhooks;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>
/// <c>/_sandbox/webhooks</c>: makes the sandbox act as Alloy's outbound side. Alloy streams workflow errors to a URL
/// configured in its dashboard; here a test or a developer asks for one delivery at a time.
/// </summary>
internal static class WebhookEndpoints
{
    public static void Map(IEndpointRouteBuilder webhooks)
    {
        webhooks.MapGet("/public-key", PublicKey);
        webhooks.MapPost("/errors", EmitError);
    }

    /// <summary>The PEM the receiver configures (Alloy publishes its own at cdn.runalloy.com/security/alloy_public_key.pem).</summary>
    public static IResult PublicKey(WebhookSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file");

    /// <summary>
    /// Delivers one signed error webhook to <c>url</c> (absolute, or a path on this request's host), else to
    /// <c>AlloySandbox:Webhooks:ErrorUrl</c>, and answers the receiver's status code.
    /// </summary>
    public static async Task<IResult> EmitError(HttpContext http, ErrorWebhookEmitter emitter)
    {
        var body = await RequestBody.ReadAsync<EmitErrorWebhookRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        var requestBase = new Uri($"{http.Request.Scheme}://{http.Request.Host.ToUriComponent()}/");
        return SandboxResults.From(await emitter.EmitAsync(body.Value, requestBase, http.RequestAborted));
    }
}
