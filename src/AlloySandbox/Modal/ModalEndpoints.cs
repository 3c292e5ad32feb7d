using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Endpoints;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;
using IntegrationHub.AlloySandbox.Tokens;
using IntegrationHub.AlloySandbox.Webhooks;
using Microsoft.Extensions.Primitives;

namespace IntegrationHub.AlloySandbox.Modal;

/// <summary>
/// The pages <c>alloy-frontend</c> 2.1.1 opens in its iframe, at the root of Alloy's app host:
/// <c>/forge-install?integrationId=…&amp;token=…&amp;forgeMode=engaged</c> (<c>install</c>, <c>edit</c>, <c>update</c>) and
/// <c>/authenticate-app?token=…&amp;app=…</c> (<c>authenticate</c>). The user comes from the token. Connecting posts to
/// the parent window exactly the messages the SDK listens for (docs/alloy-api.md, section 8); the pages' own form posts go to
/// <c>…/connect</c> with the token in <c>x-alloy-user-token</c>, as the SDK's API calls do.
/// </summary>
internal static class ModalEndpoints
{
    public const string InstallPath = "/forge-install";
    public const string AuthenticatePath = "/authenticate-app";
    private const string ConnectSuffix = "/connect";

    public static void Map(IEndpointRouteBuilder root)
    {
        root.MapGet(InstallPath, InstallPage);
        root.MapPost(InstallPath + ConnectSuffix, Install);
        root.MapGet(AuthenticatePath, AuthenticatePage);
        root.MapPost(AuthenticatePath + ConnectSuffix, ConnectCredential);
    }

    /// <summary>GET /forge-install: the integration (or the workflows named by <c>id</c>) with its configuration form.</summary>
    public static IResult InstallPage(HttpContext http, UserStore users, IntegrationStore integrations, UserTokenService tokens, CallCounter calls)
    {
        calls.Increment("GET " + InstallPath);
        var query = http.Request.Query;
        if (Authenticate(users, tokens, query["token"]) is not { } user)
        {
            return ModalPage.Error(http, StatusCodes.Status401Unauthorized, "This link has expired",
                "The token in this link is missing, expired or not valid. Close this window and open the integration again.");
        }

        var requestedWorkflows = query["id"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        var integration = FindIntegration(query["integrationId"].ToString(), requestedWorkflows);
        if (integration is null)
        {
            return ModalPage.Error(http, StatusCodes.Status404NotFound, "Integration not found",
                "No integration matches this link. Close this window and try again.");
        }

        var current = integrations.GetIntegration(user.Environment, integration.IntegrationId, new UserScope(null, user.UserId));
        if (!current.IsSuccess)
        {
            return ModalPage.Error(http, current.Error.Status, "Integration unavailable", current.Error.Message);
        }

        var workflows = integration.Workflows
            .Where(w => requestedWorkflows.Count == 0 || requestedWorkflows.Contains(w.WorkflowId))
            .Select(w => new ModalWorkflow(w, current.Value.Workflows.FirstOrDefault(s => s.WorkflowId == w.WorkflowId)?.Installed ?? false))
            .ToList();

        return ModalPage.Install(http, new InstallPageModel(
            integration,
            workflows,
            Title: NonEmpty(query["title"]),
            Operation: NonEmpty(query["operation"]),
            Hide: IsTrue(query["hide"]),
            AlwaysShowAuthentication: IsTrue(query["alwaysShowAuthentication"]),
            PreFilledValues: ReadPreFilledValues(query["preFilledValues"]),
            ConnectUrl: http.Request.PathBase + http.Request.Path + ConnectSuffix));
    }

    /// <summary>
    /// POST /forge-install/connect: creates and completes the installation for the token's user, through the same
    /// store operations as the headless install API (H1 then H2).
    /// </summary>
    public static async Task<IResult> Install(HttpContext http, UserStore users, InstallationStore installations, UserTokenService tokens, CallCounter calls)
    {
        calls.Increment("POST " + InstallPath + ConnectSuffix);
        if (Authenticate(users, tokens, http.Request.Headers[SandboxAuthenticator.UserTokenHeader]) is not { } user)
        {
            return SandboxResults.Error(ApiError.Unauthorized);
        }

        var body = await RequestBody.ReadAsync<ModalInstallRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        var request = body.Value;
        var integration = FindIntegration(request?.IntegrationId, request?.WorkflowIds ?? []);
        if (integration is null)
        {
            return SandboxResults.Error(ApiError.NotFound("Integration"));
        }

        // The form is checked before anything is created: a refused Connect leaves no half-made installation.
        var data = request?.Data ?? [];
        var chosen = request?.WorkflowIds is { Count: > 0 } ids ? integration.Workflows.Where(w => ids.Contains(w.WorkflowId)) : integration.Workflows;
        if (MissingRequiredField(chosen, data) is { } missing)
        {
            return SandboxResults.Error(ApiError.Required(missing));
        }

        var started = await installations.StartInstallationAsync(
            user.Environment, new StartInstallationRequest(user.UserId, integration.IntegrationId, null, request?.WorkflowIds));
        if (!started.IsSuccess)
        {
            return SandboxResults.Error(started.Error);
        }

        AlloyInstallationWebhookBody? announced = null;
        var completed = await installations.CompleteInstallationAsync(
            user.Environment, new CompleteInstallationRequest(started.Value.InstallationId, data), c => announced = c);
        if (announced is not null)
        {
            http.RequestServices.GetRequiredService<InstallationWebhookEmitter>().Enqueue(announced, InstallationEndpoints.RequestBase(http));
        }

        return completed.IsSuccess
            ? SandboxResults.Ok(new ModalInstallResponse(started.Value.InstallationId, [.. started.Value.Data.Select(b => b.WorkflowId)]))
            : SandboxResults.Error(completed.Error);
    }

    /// <summary>GET /authenticate-app: connect one app's credential for the token's user.</summary>
    public static IResult AuthenticatePage(HttpContext http, UserStore users, UserTokenService tokens, CallCounter calls)
    {
        calls.Increment("GET " + AuthenticatePath);
        var query = http.Request.Query;
        if (Authenticate(users, tokens, query["token"]) is null)
        {
            return ModalPage.Error(http, StatusCodes.Status401Unauthorized, "This link has expired",
                "The token in this link is missing, expired or not valid. Close this window and try again.");
        }

        var integration = FindIntegration(query["integrationId"].ToString(), []);
        var app = NonEmpty(query["app"]) ?? (integration is { Credentials.Count: > 0 } ? integration.Credentials[0] : null) ?? NonEmpty(query["category"]);
        if (app is null)
        {
            return ModalPage.Error(http, StatusCodes.Status400BadRequest, "Nothing to connect",
                "This link names no app, category or integration to connect.");
        }

        var displayName = integration?.App
            ?? IntegrationCatalog.All.FirstOrDefault(i => i.Credentials.Contains(app, StringComparer.OrdinalIgnoreCase))?.App
            ?? app;
        return ModalPage.Authenticate(http, new AuthenticatePageModel(app, displayName, http.Request.PathBase + http.Request.Path + ConnectSuffix));
    }

    /// <summary>POST /authenticate-app/connect: stores a stand-in credential of the app for the token's user.</summary>
    public static async Task<IResult> ConnectCredential(HttpContext http, UserStore users, CredentialStore credentials, UserTokenService tokens, CallCounter calls)
    {
        calls.Increment("POST " + AuthenticatePath + ConnectSuffix);
        if (Authenticate(users, tokens, http.Request.Headers[SandboxAuthenticator.UserTokenHeader]) is not { } user)
        {
            return SandboxResults.Error(ApiError.Unauthorized);
        }

        var body = await RequestBody.ReadAsync<ModalCredentialRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        if (string.IsNullOrWhiteSpace(body.Value?.App))
        {
            return SandboxResults.Error(ApiError.Required("app"));
        }

        using var empty = JsonDocument.Parse("{}");
        return SandboxResults.From(await credentials.CreateCredentialAsync(
            user.Environment, new CreateCredentialRequest(user.UserId, new CredentialInput(body.Value.App, empty.RootElement.Clone()))));
    }

    private static ModalUser? Authenticate(UserStore users, UserTokenService tokens, StringValues token) =>
        tokens.Validate(token.ToString()) is { } userId && users.EnvironmentOfUser(userId) is { } environment
            ? new ModalUser(userId, environment)
            : null;

    /// <summary>By <c>integrationId</c> (id or name), else the integration of the first named workflow.</summary>
    private static CatalogIntegration? FindIntegration(string? integrationId, IReadOnlyList<string> workflowIds)
    {
        if (!string.IsNullOrEmpty(integrationId))
        {
            return IntegrationCatalog.FindIntegration(integrationId);
        }

        var workflow = workflowIds.Select(IntegrationCatalog.FindWorkflow).FirstOrDefault(w => w is not null);
        if (workflow is null)
        {
            return null;
        }

        var integration = IntegrationCatalog.FindIntegration(workflow.IntegrationId);
        return integration is not null && workflowIds.All(id => integration.Workflows.Any(w => w.WorkflowId == id)) ? integration : null;
    }

    /// <summary>The first required form field left empty, as <c>fieldName</c>; null when the form is complete.</summary>
    private static string? MissingRequiredField(IEnumerable<CatalogWorkflow> workflows, IReadOnlyList<CompletedBlockRequest?> data)
    {
        foreach (var workflow in workflows)
        {
            var submitted = data.FirstOrDefault(d => d?.WorkflowId == workflow.WorkflowId && string.Equals(d.BlockId, workflow.FormBlockId, StringComparison.OrdinalIgnoreCase));
            foreach (var field in workflow.FormFields.Where(f => f.Required))
            {
                var value = submitted?.Fields?.FirstOrDefault(f =>
                    f.ValueKind == JsonValueKind.Object
                    && f.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == field.Name);
                if (value is not { } found || !found.TryGetProperty("value", out var text)
                    || text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString()))
                {
                    return field.Name;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// <c>preFilledValues</c>, JSON-encoded into the URL by the SDK: entries naming a field (<c>name</c> or
    /// <c>fieldName</c>) and a <c>value</c> prefill that field; anything else is ignored, as a modal would.
    /// </summary>
    private static Dictionary<string, string> ReadPreFilledValues(StringValues raw)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StringValues.IsNullOrEmpty(raw))
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(raw.ToString());
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return values;
            }

            foreach (var entry in document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
            {
                var name = (entry.TryGetProperty("name", out var n) ? n : entry.TryGetProperty("fieldName", out var f) ? f : default)
                    is { ValueKind: JsonValueKind.String } nameElement ? nameElement.GetString() : null;
                if (name is not null && entry.TryGetProperty("value", out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    values[name] = value.ToString();
                }
            }
        }
        catch (JsonException)
        {
            // A malformed value is not the user's problem: the form starts from its defaults.
        }

        return values;
    }

    private static string? NonEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) || string.IsNullOrWhiteSpace(value.ToString()) ? null : value.ToString();

    private static bool IsTrue(StringValues value) => string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private sealed record ModalUser(string UserId, SandboxEnvironment Environment);
}

internal sealed record ModalWorkflow(CatalogWorkflow Workflow, bool Installed);

internal sealed record InstallPageModel(
    CatalogIntegration Integration,
    IReadOnlyList<ModalWorkflow> Workflows,
    string? Title,
    string? Operation,
    bool Hide,
    bool AlwaysShowAuthentication,
    IReadOnlyDictionary<string, string> PreFilledValues,
    string ConnectUrl);

internal sealed record AuthenticatePageModel(string App, string DisplayName, string ConnectUrl);
