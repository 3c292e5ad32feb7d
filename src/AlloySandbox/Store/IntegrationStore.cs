using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>Which user a call is about: a uid (userId or username) from the request and/or the user of a user token.</summary>
internal readonly record struct UserScope(string? Uid, string? TokenUserId);

/// <summary>
/// Integrations and workflows as one user sees them (I1, I2, W1–W4): the catalogue joined with the user's
/// installations and installed workflows. Every call runs under <see cref="SandboxState"/>'s single lock.
/// </summary>
internal sealed class IntegrationStore(SandboxState state)
{
    public Result<IReadOnlyList<IntegrationResponse>> ListIntegrations(SandboxEnvironment environment, UserScope scope) =>
        state.Read<Result<IReadOnlyList<IntegrationResponse>>>(environment, partition =>
        {
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            return Result<IReadOnlyList<IntegrationResponse>>.Success(
                [.. IntegrationCatalog.All.Select(i => ToResponse(partition, user.Value, i))]);
        });

    public Result<IntegrationResponse> GetIntegration(SandboxEnvironment environment, string integrationIdOrName, UserScope scope) =>
        state.Read<Result<IntegrationResponse>>(environment, partition =>
        {
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            var integration = IntegrationCatalog.FindIntegration(integrationIdOrName);
            return integration is null ? ApiError.NotFound("Integration") : ToResponse(partition, user.Value, integration);
        });

    public Result<IReadOnlyList<WorkflowResponse>> ListWorkflows(SandboxEnvironment environment, UserScope scope) =>
        state.Read<Result<IReadOnlyList<WorkflowResponse>>>(environment, partition =>
        {
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            return Result<IReadOnlyList<WorkflowResponse>>.Success(
                [.. IntegrationCatalog.All.SelectMany(i => i.Workflows).Select(w => ToResponse(user.Value, w))]);
        });

    public Result<WorkflowResponse> GetWorkflow(SandboxEnvironment environment, string workflowId, UserScope scope) =>
        state.Read<Result<WorkflowResponse>>(environment, partition =>
        {
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            var workflow = IntegrationCatalog.FindWorkflow(workflowId);
            return workflow is null ? ApiError.NotFound("Workflow") : ToResponse(user.Value, workflow);
        });

    /// <summary>W3/W4 for one of the user's installed workflows.</summary>
    public Task<Result<bool>> SetWorkflowActiveAsync(SandboxEnvironment environment, UserScope scope, string? workflowId, string? workflowName, bool active) =>
        state.WriteAsync<bool>(environment, partition =>
        {
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            if (string.IsNullOrEmpty(workflowId) && string.IsNullOrEmpty(workflowName))
            {
                return ApiError.Required("workflowId");
            }

            var workflow = string.IsNullOrEmpty(workflowId)
                ? IntegrationCatalog.FindWorkflowByName(workflowName!)
                : IntegrationCatalog.FindWorkflow(workflowId);
            if (workflow is null || !user.Value.Workflows.TryGetValue(workflow.WorkflowId, out var installed))
            {
                return ApiError.NotFound("Workflow");
            }

            installed.Active = active;
            return true;
        });

    // ---------------------------------------------------------------- helpers

    private static Result<UserRecord> Resolve(Partition partition, UserScope scope)
    {
        if (!string.IsNullOrEmpty(scope.Uid))
        {
            var user = partition.FindUser(scope.Uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            // A user token only speaks for its own user.
            return scope.TokenUserId is null || scope.TokenUserId == user.UserId ? user : ApiError.Unauthorized;
        }

        if (scope.TokenUserId is not null)
        {
            return partition.UsersById.TryGetValue(scope.TokenUserId, out var user) ? user : ApiError.Unauthorized;
        }

        return ApiError.Required("userId");
    }

    private static IntegrationResponse ToResponse(Partition partition, UserRecord user, CatalogIntegration integration)
    {
        var installed = partition.InstallationsByUserIntegration.TryGetValue(
            Partition.UserIntegrationKey(user.UserId, integration.IntegrationId), out var installation) && installation.Completed;
        return new IntegrationResponse(
            integration.IntegrationId,
            integration.App,
            integration.App,
            integration.Description,
            integration.Icon,
            integration.Credentials,
            installed,
            [
                .. integration.Workflows.Select(w =>
                {
                    var workflow = user.Workflows.GetValueOrDefault(w.WorkflowId);
                    return new IntegrationWorkflowResponse(w.WorkflowId, w.Name, workflow is not null, workflow?.Active ?? false, w.Version, workflow?.InstalledVersion, Connectors(w));
                }),
            ]);
    }

    private static WorkflowResponse ToResponse(UserRecord user, CatalogWorkflow workflow)
    {
        var installed = user.Workflows.GetValueOrDefault(workflow.WorkflowId);
        return new WorkflowResponse(
            workflow.WorkflowId,
            workflow.IntegrationId,
            workflow.Name,
            Timestamps.Iso(workflow.CreatedAt),
            Timestamps.Iso(workflow.UpdatedAt),
            installed is not null,
            installed?.Active ?? false,
            workflow.Version,
            installed?.InstalledVersion,
            Connectors(workflow));
    }

    private static IReadOnlyList<ConnectorResponse> Connectors(CatalogWorkflow workflow) =>
        [.. workflow.Connectors.Select(c => new ConnectorResponse(c.Name, c.Id, c.Connector, c.Icon, c.Subtitle))];
}
