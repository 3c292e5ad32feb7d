using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>I1, I2 and W1–W4; the browser SDK may call these with <c>x-alloy-user-token</c> instead of the key.</summary>
internal static class IntegrationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/integrations", ListIntegrations).IsAlloyOperation("GET", "/integrations", allowsUserToken: true);
        api.MapGet("/integrations/{integrationId}", GetIntegration).IsAlloyOperation("GET", "/integrations/{integrationId}", allowsUserToken: true);
        api.MapGet("/workflows", ListWorkflows).IsAlloyOperation("GET", "/workflows", allowsUserToken: true);
        api.MapGet("/workflows/{workflowId}", GetWorkflow).IsAlloyOperation("GET", "/workflows/{workflowId}", allowsUserToken: true);
        api.MapPut("/workflows/activate", ActivateWorkflow).IsAlloyOperation("PUT", "/workflows/activate", allowsUserToken: true);
        api.MapPut("/workflows/deactivate", DeactivateWorkflow).IsAlloyOperation("PUT", "/workflows/deactivate", allowsUserToken: true);
    }

    public static IResult ListIntegrations(HttpContext http, IntegrationStore store, string? userId) =>
        SandboxResults.From(
            store.ListIntegrations(http.Environment(), Scope(http, userId)),
            list => SandboxResults.Ok(new DataResponse<IReadOnlyList<IntegrationResponse>>(list)));

    public static IResult GetIntegration(HttpContext http, IntegrationStore store, string integrationId, string? userId) =>
        SandboxResults.From(
            store.GetIntegration(http.Environment(), integrationId, Scope(http, userId)),
            integration => SandboxResults.Ok(new DataResponse<IntegrationResponse>(integration)));

    public static IResult ListWorkflows(HttpContext http, IntegrationStore store, string? userId) =>
        SandboxResults.From(
            store.ListWorkflows(http.Environment(), Scope(http, userId)),
            list => SandboxResults.Ok(new DataResponse<IReadOnlyList<WorkflowResponse>>(list)));

    public static IResult GetWorkflow(HttpContext http, IntegrationStore store, string workflowId, string? userId) =>
        SandboxResults.From(
            store.GetWorkflow(http.Environment(), workflowId, Scope(http, userId)),
            workflow => SandboxResults.Ok(new DataResponse<WorkflowResponse>(workflow)));

    public static Task<IResult> ActivateWorkflow(HttpContext http, IntegrationStore store) =>
        SetActive(http, store, active: true);

    public static Task<IResult> DeactivateWorkflow(HttpContext http, IntegrationStore store) =>
        SetActive(http, store, active: false);

    private static async Task<IResult> SetActive(HttpContext http, IntegrationStore store, bool active)
    {
        var body = await RequestBody.ReadAsync<WorkflowActivationRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        var result = await store.SetWorkflowActiveAsync(
            http.Environment(), Scope(http, body.Value?.UserId), body.Value?.WorkflowId, body.Value?.WorkflowName, active);
        return SandboxResults.From(
            result,
            _ => active ? SandboxResults.Ok(new ActivatedResponse(true)) : SandboxResults.Ok(new DeactivatedResponse(true)));
    }

    private static UserScope Scope(HttpContext http, string? userId) => new(userId, SandboxCaller.Of(http).TokenUserId);
}
