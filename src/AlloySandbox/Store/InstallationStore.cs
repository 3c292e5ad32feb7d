using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// Installations (N1–N4) and the headless installation (H1/H2), which installs workflows for the user.
/// Every call runs under <see cref="SandboxState"/>'s single lock; H1 chooses credentials through
/// <see cref="CredentialStore"/> inside the same write.
/// </summary>
internal sealed class InstallationStore(SandboxState state, CredentialStore credentials, TimeProvider time)
{
    /// <summary>N1: the whole environment, with the sandbox-only filters.</summary>
    public IReadOnlyList<InstallationResponse> ListInstallations(SandboxEnvironment environment, string? userId, string? integrationId) =>
        state.Read<IReadOnlyList<InstallationResponse>>(environment, partition =>
        {
            string? userFilter = null;
            if (!string.IsNullOrEmpty(userId))
            {
                userFilter = partition.FindUser(userId)?.UserId;
                if (userFilter is null)
                {
                    return [];
                }
            }

            string? integrationFilter = null;
            if (!string.IsNullOrEmpty(integrationId))
            {
                integrationFilter = IntegrationCatalog.FindIntegration(integrationId)?.IntegrationId;
                if (integrationFilter is null)
                {
                    return [];
                }
            }

            return
            [
                .. partition.Installations.Values
                    .Where(i => userFilter is null || i.UserId == userFilter)
                    .Where(i => integrationFilter is null || i.IntegrationId == integrationFilter)
                    .OrderBy(i => i.Sequence)
                    .Select(ToResponse),
            ];
        });

    public Result<InstallationResponse> GetInstallation(SandboxEnvironment environment, string installationId) =>
        state.Read<Result<InstallationResponse>>(environment, partition =>
            partition.Installations.TryGetValue(installationId, out var installation)
                ? ToResponse(installation)
                : ApiError.NotFound("Installation"));

    /// <summary>N3: removes the installation and uninstalls its workflows for the user.</summary>
    public Task<Result<SuccessResponse>> DeleteInstallationAsync(SandboxEnvironment environment, string installationId) =>
        state.WriteAsync<SuccessResponse>(environment, partition =>
        {
            if (!partition.Installations.TryGetValue(installationId, out var installation))
            {
                return ApiError.NotFound("Installation");
            }

            partition.RemoveInstallation(installation);
            if (partition.UsersById.TryGetValue(installation.UserId, out var user))
            {
                foreach (var workflowId in installation.WorkflowIds)
                {
                    user.Workflows.Remove(workflowId);
                }
            }

            return SuccessResponse.True;
        });

    /// <summary>N4: enable or disable the installation and its workflows.</summary>
    public Task<Result<bool>> SetInstallationEnabledAsync(SandboxEnvironment environment, string installationId, bool enabled) =>
        state.WriteAsync<bool>(environment, partition =>
        {
            if (!partition.Installations.TryGetValue(installationId, out var installation))
            {
                return ApiError.NotFound("Installation");
            }

            installation.Enabled = enabled;
            if (partition.UsersById.TryGetValue(installation.UserId, out var user))
            {
                foreach (var workflowId in installation.WorkflowIds)
                {
                    if (user.Workflows.TryGetValue(workflowId, out var workflow))
                    {
                        workflow.Active = enabled;
                    }
                }
            }

            return true;
        });

    /// <summary>
    /// H1: creates the installation (not enabled until completed) or reuses the user's existing one for the
    /// integration, and returns the form to fill. Credentials the integration needs and the caller did not
    /// name are taken from the user's stored credentials, or connected on the spot (a sandbox stand-in for
    /// the user authorising the app).
    /// </summary>
    public Task<Result<StartInstallationResponse>> StartInstallationAsync(SandboxEnvironment environment, StartInstallationRequest? request) =>
        state.WriteAsync<StartInstallationResponse>(environment, partition =>
        {
            if (string.IsNullOrEmpty(request?.UserId))
            {
                return ApiError.Required("userId");
            }

            if (string.IsNullOrEmpty(request.IntegrationId))
            {
                return ApiError.Required("integrationId");
            }

            var user = partition.FindUser(request.UserId);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            var integration = IntegrationCatalog.FindIntegration(request.IntegrationId);
            if (integration is null)
            {
                return ApiError.NotFound("Integration");
            }

            List<string> workflowIds;
            if (request.WorkflowIds is { Count: > 0 } requested)
            {
                if (requested.FirstOrDefault(id => integration.Workflows.All(w => w.WorkflowId != id)) is not null)
                {
                    return ApiError.NotFound("Workflow");
                }

                workflowIds = [.. requested.Distinct(StringComparer.Ordinal)];
            }
            else
            {
                workflowIds = [.. integration.Workflows.Select(w => w.WorkflowId)];
            }

            var chosen = credentials.ChooseForInstallation(partition, user, integration, request.CredentialIds);
            if (!chosen.IsSuccess)
            {
                return chosen.Error;
            }

            var key = Partition.UserIntegrationKey(user.UserId, integration.IntegrationId);
            if (!partition.InstallationsByUserIntegration.TryGetValue(key, out var installation))
            {
                installation = new InstallationRecord
                {
                    InstallationId = ObjectIds.New(time),
                    IntegrationId = integration.IntegrationId,
                    UserId = user.UserId,
                    InstalledAt = time.GetUtcNow(),
                    Enabled = false,
                    Sequence = state.NextSequence(),
                };
                partition.AddInstallation(installation);
            }

            installation.CredentialIds = chosen.Value;
            installation.WorkflowIds = workflowIds;
            return new StartInstallationResponse(installation.InstallationId, FormOf(installation));
        });

    /// <summary>H2: enables the installation and installs its workflows (active, at their current version) for the user.</summary>
    /// <param name="completed">Told, on success, what Alloy's installation webhook would carry.</param>
    public Task<Result<MessageResponse>> CompleteInstallationAsync(
        SandboxEnvironment environment, CompleteInstallationRequest? request, Action<AlloyInstallationWebhookBody>? completed = null) =>
        state.WriteAsync<MessageResponse>(environment, partition =>
        {
            if (string.IsNullOrEmpty(request?.InstallationId))
            {
                return ApiError.Required("installationId");
            }

            if (request.Data is null)
            {
                return ApiError.Required("data");
            }

            if (!partition.Installations.TryGetValue(request.InstallationId, out var installation))
            {
                return ApiError.NotFound("Installation");
            }

            var integration = IntegrationOf(installation);
            foreach (var block in request.Data)
            {
                if (block is null)
                {
                    return ApiError.BadRequest("data must be a list of objects");
                }

                if (string.IsNullOrEmpty(block.WorkflowId))
                {
                    return ApiError.Required("workflowId");
                }

                if (string.IsNullOrEmpty(block.BlockId))
                {
                    return ApiError.Required("blockId");
                }

                var workflow = integration.Workflows.FirstOrDefault(w => w.WorkflowId == block.WorkflowId);
                if (workflow is null || !installation.WorkflowIds.Contains(workflow.WorkflowId))
                {
                    return ApiError.NotFound("Workflow");
                }

                if (!string.Equals(workflow.FormBlockId, block.BlockId, StringComparison.OrdinalIgnoreCase))
                {
                    return ApiError.NotFound("Block");
                }
            }

            if (!partition.UsersById.TryGetValue(installation.UserId, out var user))
            {
                return ApiError.NotFound("User");
            }

            installation.Enabled = true;
            installation.Completed = true;
            installation.InstalledAt = time.GetUtcNow();
            foreach (var workflow in integration.Workflows.Where(w => installation.WorkflowIds.Contains(w.WorkflowId)))
            {
                user.Workflows[workflow.WorkflowId] = new UserWorkflowState { Active = true, InstalledVersion = workflow.Version };
            }

            completed?.Invoke(new AlloyInstallationWebhookBody(
                installation.UserId,
                [.. installation.WorkflowIds],
                installation.IntegrationId,
                new Dictionary<string, string>(installation.CredentialIds, StringComparer.Ordinal),
                Success: true));
            return new MessageResponse("Installation completed successfully");
        });

    // ---------------------------------------------------------------- helpers

    private static CatalogIntegration IntegrationOf(InstallationRecord installation) =>
        IntegrationCatalog.FindIntegration(installation.IntegrationId)
        ?? throw new InvalidOperationException($"Installation {installation.InstallationId} refers to unknown integration {installation.IntegrationId}.");

    private static InstallationResponse ToResponse(InstallationRecord installation) => new(
        installation.InstallationId,
        installation.IntegrationId,
        installation.UserId,
        FormOf(installation),
        new Dictionary<string, string>(installation.CredentialIds, StringComparer.Ordinal),
        [.. installation.WorkflowIds],
        Timestamps.Iso(installation.InstalledAt),
        installation.Enabled);

    private static IReadOnlyList<FormBlockResponse> FormOf(InstallationRecord installation) =>
    [
        .. IntegrationOf(installation).Workflows
            .Where(w => installation.WorkflowIds.Contains(w.WorkflowId))
            .Select(w => new FormBlockResponse(
                w.WorkflowId,
                w.FormApp,
                w.FormBlockId,
                [.. w.FormFields.Select(f => new FormFieldResponse(f.Name, f.DisplayName, f.Type, f.Required))])),
    ];
}
