using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;
using IntegrationHub.AlloySandbox.Webhooks;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>N1–N4 and the headless installation H1/H2.</summary>
internal static class InstallationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/installations", ListInstallations).IsAlloyOperation("GET", "/installations");
        api.MapGet("/installations/{installationId}", GetInstallation).IsAlloyOperation("GET", "/installations/{installationId}");
        api.MapDelete("/installations/{installationId}", DeleteInstallation).IsAlloyOperation("DELETE", "/installations/{installationId}");
        api.MapPut("/installations/{installationId}/activate", ActivateInstallation).IsAlloyOperation("PUT", "/installations/{installationId}/activate");
        api.MapPut("/installations/{installationId}/deactivate", DeactivateInstallation).IsAlloyOperation("PUT", "/installations/{installationId}/deactivate");
        api.MapPost("/headless/startInstallation", StartInstallation).IsAlloyOperation("POST", "/headless/startInstallation");
        api.MapPost("/headless/completeInstallation", CompleteInstallation).IsAlloyOperation("POST", "/headless/completeInstallation");
    }

    /// <summary>The whole environment; <c>userId</c> and <c>integrationId</c> filters are sandbox-only.</summary>
    public static IResult ListInstallations(HttpContext http, InstallationStore store, string? userId, string? integrationId) =>
        SandboxResults.Ok(new DataResponse<IReadOnlyList<InstallationResponse>>(store.ListInstallations(http.Environment(), userId, integrationId)));

    public static IResult GetInstallation(HttpContext http, InstallationStore store, string installationId) =>
        SandboxResults.From(
            store.GetInstallation(http.Environment(), installationId),
            installation => SandboxResults.Ok(new DataResponse<InstallationResponse>(installation)));

    public static async Task<IResult> DeleteInstallation(HttpContext http, InstallationStore store, string installationId) =>
        SandboxResults.From(await store.DeleteInstallationAsync(http.Environment(), installationId));

    public static async Task<IResult> ActivateInstallation(HttpContext http, InstallationStore store, string installationId) =>
        SandboxResults.From(
            await store.SetInstallationEnabledAsync(http.Environment(), installationId, enabled: true),
            _ => SandboxResults.Ok(new ActivatedResponse(true)));

    public static async Task<IResult> DeactivateInstallation(HttpContext http, InstallationStore store, string installationId) =>
        SandboxResults.From(
            await store.SetInstallationEnabledAsync(http.Environment(), installationId, enabled: false),
            _ => SandboxResults.Ok(new DeactivatedResponse(true)));

    public static async Task<IResult> StartInstallation(HttpContext http, InstallationStore store)
    {
        var body = await RequestBody.ReadAsync<StartInstallationRequest>(http.Request);
        return body.IsSuccess
            ? SandboxResults.From(await store.StartInstallationAsync(http.Environment(), body.Value))
            : SandboxResults.Error(body.Error);
    }

    /// <summary>H2; like Alloy, announces the completed installation through the installation webhook (in the background).</summary>
    public static async Task<IResult> CompleteInstallation(HttpContext http, InstallationStore store, InstallationWebhookEmitter webhooks)
    {
        var body = await RequestBody.ReadAsync<CompleteInstallationRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        AlloyInstallationWebhookBody? completed = null;
        var result = await store.CompleteInstallationAsync(http.Environment(), body.Value, c => completed = c);
        if (completed is not null)
        {
            webhooks.Enqueue(completed, RequestBase(http));
        }

        return SandboxResults.From(result);
    }

    /// <summary>Scheme and host of the request, against which a path-only webhook URL resolves (the hub, when mounted).</summary>
    internal static Uri RequestBase(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host.ToUriComponent()}/");
}
