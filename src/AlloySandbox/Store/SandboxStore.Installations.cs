using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

// Integrations, workflows, installations (headless and direct) and credentials.
internal sealed partial class SandboxStore
{
    // ---------------------------------------------------------------- integrations and workflows

    public Result<IReadOnlyList<IntegrationResponse>> ListIntegrations(SandboxEnvironment environment, UserScope scope)
    {
        lock (_gate)
        {
            var partition = _partitions[environment];
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            return Result<IReadOnlyList<IntegrationResponse>>.Success(
                [.. IntegrationCatalog.All.Select(i => ToResponse(partition, user.Value, i))]);
        }
    }

    public Result<IntegrationResponse> GetIntegration(SandboxEnvironment environment, string integrationIdOrName, UserScope scope)
    {
        lock (_gate)
        {
            var partition = _partitions[environment];
            var user = Resolve(partition, scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            var integration = IntegrationCatalog.FindIntegration(integrationIdOrName);
            return integration is null ? ApiError.NotFound("Integration") : ToResponse(partition, user.Value, integration);
        }
    }

    public Result<IReadOnlyList<WorkflowResponse>> ListWorkflows(SandboxEnvironment environment, UserScope scope)
    {
        lock (_gate)
        {
            var user = Resolve(_partitions[environment], scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            return Result<IReadOnlyList<WorkflowResponse>>.Success(
                [.. IntegrationCatalog.All.SelectMany(i => i.Workflows).Select(w => ToResponse(user.Value, w))]);
        }
    }

    public Result<WorkflowResponse> GetWorkflow(SandboxEnvironment environment, string workflowId, UserScope scope)
    {
        lock (_gate)
        {
            var user = Resolve(_partitions[environment], scope);
            if (!user.IsSuccess)
            {
                return user.Error;
            }

            var workflow = IntegrationCatalog.FindWorkflow(workflowId);
            return workflow is null ? ApiError.NotFound("Workflow") : ToResponse(user.Value, workflow);
        }
    }

    /// <summary>W3/W4 for one of the user's installed workflows.</summary>
    public Task<Result<bool>> SetWorkflowActiveAsync(SandboxEnvironment environment, UserScope scope, string? workflowId, string? workflowName, bool active) =>
        WriteAsync<bool>(() =>
        {
            var user = Resolve(_partitions[environment], scope);
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
            if (workflow is null || !user.Value.Workflows.TryGetValue(workflow.WorkflowId, out var state))
            {
                return ApiError.NotFound("Workflow");
            }

            state.Active = active;
            return true;
        });

    // ---------------------------------------------------------------- installations

    /// <summary>N1: the whole environment, with the sandbox-only filters.</summary>
    public IReadOnlyList<InstallationResponse> ListInstallations(SandboxEnvironment environment, string? userId, string? integrationId)
    {
        lock (_gate)
        {
            var partition = _partitions[environment];
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
        }
    }

    public Result<InstallationResponse> GetInstallation(SandboxEnvironment environment, string installationId)
    {
        lock (_gate)
        {
            return _partitions[environment].Installations.TryGetValue(installationId, out var installation)
                ? ToResponse(installation)
                : ApiError.NotFound("Installation");
        }
    }

    /// <summary>N3: removes the installation and uninstalls its workflows for the user.</summary>
    public Task<Result<SuccessResponse>> DeleteInstallationAsync(SandboxEnvironment environment, string installationId) =>
        WriteAsync<SuccessResponse>(() =>
        {
            var partition = _partitions[environment];
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
        WriteAsync<bool>(() =>
        {
            var partition = _partitions[environment];
            if (!partition.Installations.TryGetValue(installationId, out var installation))
            {
                return ApiError.NotFound("Installation");
            }

            installation.Enabled = enabled;
            if (partition.UsersById.TryGetValue(installation.UserId, out var user))
            {
                foreach (var workflowId in installation.WorkflowIds)
                {
                    if (user.Workflows.TryGetValue(workflowId, out var state))
                    {
                        state.Active = enabled;
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
        WriteAsync<StartInstallationResponse>(() =>
        {
            if (string.IsNullOrEmpty(request?.UserId))
            {
                return ApiError.Required("userId");
            }

            if (string.IsNullOrEmpty(request.IntegrationId))
            {
                return ApiError.Required("integrationId");
            }

            var partition = _partitions[environment];
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

            var credentials = ChooseCredentials(partition, user, integration, request.CredentialIds);
            if (!credentials.IsSuccess)
            {
                return credentials.Error;
            }

            var key = Partition.UserIntegrationKey(user.UserId, integration.IntegrationId);
            if (!partition.InstallationsByUserIntegration.TryGetValue(key, out var installation))
            {
                installation = new InstallationRecord
                {
                    InstallationId = ObjectIds.New(_time),
                    IntegrationId = integration.IntegrationId,
                    UserId = user.UserId,
                    InstalledAt = _time.GetUtcNow(),
                    Enabled = false,
                    Sequence = ++_sequence,
                };
                partition.AddInstallation(installation);
            }

            installation.CredentialIds = credentials.Value;
            installation.WorkflowIds = workflowIds;
            return new StartInstallationResponse(installation.InstallationId, FormOf(installation));
        });

    /// <summary>H2: enables the installation and installs its workflows (active, at their current version) for the user.</summary>
    public Task<Result<MessageResponse>> CompleteInstallationAsync(SandboxEnvironment environment, CompleteInstallationRequest? request) =>
        WriteAsync<MessageResponse>(() =>
        {
            if (string.IsNullOrEmpty(request?.InstallationId))
            {
                return ApiError.Required("installationId");
            }

            if (request.Data is null)
            {
                return ApiError.Required("data");
            }

            var partition = _partitions[environment];
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
            installation.InstalledAt = _time.GetUtcNow();
            foreach (var workflow in integration.Workflows.Where(w => installation.WorkflowIds.Contains(w.WorkflowId)))
            {
                user.Workflows[workflow.WorkflowId] = new UserWorkflowState { Active = true, InstalledVersion = workflow.Version };
            }

            return new MessageResponse("Installation completed successfully");
        });

    // ---------------------------------------------------------------- credentials

    public Task<Result<CreateCredentialResponse>> CreateCredentialAsync(SandboxEnvironment environment, CreateCredentialRequest? request) =>
        WriteAsync<CreateCredentialResponse>(() =>
        {
            if (string.IsNullOrEmpty(request?.UserId))
            {
                return ApiError.Required("userId");
            }

            if (request.Credential is null)
            {
                return ApiError.Required("credential");
            }

            if (string.IsNullOrWhiteSpace(request.Credential.Type))
            {
                return ApiError.Required("credential.type");
            }

            if (request.Credential.Data is not { ValueKind: JsonValueKind.Object })
            {
                return ApiError.Required("credential.data");
            }

            var partition = _partitions[environment];
            var user = partition.FindUser(request.UserId);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            var credential = NewCredential(partition, user, request.Credential.Type);
            return new CreateCredentialResponse(true, credential.CredentialId);
        });

    public Result<IReadOnlyList<CredentialResponse>> ListCredentials(SandboxEnvironment environment, string uid)
    {
        lock (_gate)
        {
            var partition = _partitions[environment];
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            return Result<IReadOnlyList<CredentialResponse>>.Success(
            [
                .. partition.Credentials.Values
                    .Where(c => c.UserId == user.UserId)
                    .OrderBy(c => c.Sequence)
                    .Select(c => new CredentialResponse(c.CredentialId, c.Type, c.Name, Timestamps.Iso(c.CreatedAt), Timestamps.Iso(c.UpdatedAt))),
            ]);
        }
    }

    public Task<Result<SuccessResponse>> DeleteCredentialAsync(SandboxEnvironment environment, string uid, string credentialId) =>
        WriteAsync<SuccessResponse>(() =>
        {
            var partition = _partitions[environment];
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            if (!partition.Credentials.TryGetValue(credentialId, out var credential) || credential.UserId != user.UserId)
            {
                return ApiError.NotFound("Credential");
            }

            partition.Credentials.Remove(credentialId);
            return SuccessResponse.True;
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

    private Result<Dictionary<string, string>> ChooseCredentials(Partition partition, UserRecord user, CatalogIntegration integration, JsonElement? requested)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        var named = new List<string>();
        switch (requested?.ValueKind)
        {
            case null or JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            case JsonValueKind.Array:
                foreach (var item in requested.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return ApiError.BadRequest("credentialIds must be a list of strings");
                    }

                    named.Add(item.GetString()!);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in requested.Value.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return ApiError.BadRequest("credentialIds must map apps to credential ids");
                    }

                    named.Add(property.Value.GetString()!);
                }

                break;
            default:
                return ApiError.BadRequest("credentialIds must be a list of strings");
        }

        foreach (var credentialId in named)
        {
            if (!partition.Credentials.TryGetValue(credentialId, out var credential) || credential.UserId != user.UserId)
            {
                return ApiError.NotFound("Credential");
            }

            chosen[credential.Type] = credential.CredentialId;
        }

        foreach (var app in integration.Credentials.Where(app => !chosen.ContainsKey(app)))
        {
            var existing = partition.Credentials.Values
                .Where(c => c.UserId == user.UserId && string.Equals(c.Type, app, StringComparison.Ordinal))
                .MaxBy(c => c.Sequence)
                ?? NewCredential(partition, user, app);
            chosen[app] = existing.CredentialId;
        }

        return chosen;
    }

    private CredentialRecord NewCredential(Partition partition, UserRecord user, string type)
    {
        var now = _time.GetUtcNow();
        var credential = new CredentialRecord
        {
            CredentialId = ObjectIds.New(_time),
            UserId = user.UserId,
            Type = type,
            Name = $"{type} ({user.Username})",
            CreatedAt = now,
            UpdatedAt = now,
            Sequence = ++_sequence,
        };
        partition.Credentials[credential.CredentialId] = credential;
        return credential;
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
                    var state = user.Workflows.GetValueOrDefault(w.WorkflowId);
                    return new IntegrationWorkflowResponse(w.WorkflowId, w.Name, state is not null, state?.Active ?? false, w.Version, state?.InstalledVersion, Connectors(w));
                }),
            ]);
    }

    private static WorkflowResponse ToResponse(UserRecord user, CatalogWorkflow workflow)
    {
        var state = user.Workflows.GetValueOrDefault(workflow.WorkflowId);
        return new WorkflowResponse(
            workflow.WorkflowId,
            workflow.IntegrationId,
            workflow.Name,
            Timestamps.Iso(workflow.CreatedAt),
            Timestamps.Iso(workflow.UpdatedAt),
            state is not null,
            state?.Active ?? false,
            workflow.Version,
            state?.InstalledVersion,
            Connectors(workflow));
    }

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

    private static IReadOnlyList<ConnectorResponse> Connectors(CatalogWorkflow workflow) =>
        [.. workflow.Connectors.Select(c => new ConnectorResponse(c.Name, c.Id, c.Connector, c.Icon, c.Subtitle))];
}
