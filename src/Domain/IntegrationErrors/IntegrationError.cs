using System.Text;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.IntegrationErrors;

/// <summary>
/// One failed workflow execution that Alloy streamed to the hub (the error webhook), kept as received. Append-only.
/// Alloy names the execution, workflow, block and Alloy user in headers; the body is Alloy's error record, stored
/// verbatim. The tenant is the one whose Alloy account has the user, or none: an error for a user the hub does not
/// know is kept (admins see it) rather than dropped.
/// </summary>
public sealed class IntegrationError
{
    public const int MaxExecutionIdLength = 100;
    public const int MaxAlloyIdLength = 64;
    public const int MaxBlockNameLength = 200;
    public const int MaxBlockTypeLength = 100;
    public const int MaxErrorMessageLength = 1000;

    /// <summary>The largest body the hub accepts and stores (UTF-8 bytes).</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>For EF Core.</summary>
    private IntegrationError()
    {
        ExecutionId = null!;
        AlloyUserId = null!;
        RawPayload = null!;
    }

    private IntegrationError(
        string executionId,
        string? workflowId,
        string alloyUserId,
        string? blockName,
        string? blockType,
        TenantId? tenantId,
        AlloyEnvironment environment,
        string? errorMessage,
        string rawPayload,
        DateTimeOffset receivedAt)
    {
        ExecutionId = executionId;
        WorkflowId = workflowId;
        AlloyUserId = alloyUserId;
        BlockName = blockName;
        BlockType = blockType;
        TenantId = tenantId;
        Environment = environment;
        ErrorMessage = errorMessage;
        RawPayload = rawPayload;
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }

    /// <summary>Alloy's execution id (<c>X-Alloy-ExecutionUuid</c>): unique per environment, the deduplication key.</summary>
    public string ExecutionId { get; private set; }

    public string? WorkflowId { get; private set; }

    /// <summary>The Alloy user whose workflow failed (<c>X-Alloy-UserId</c>).</summary>
    public string AlloyUserId { get; private set; }

    public string? BlockName { get; private set; }

    public string? BlockType { get; private set; }

    /// <summary>The tenant owning <see cref="AlloyUserId"/> when it arrived; null when no tenant has that user.</summary>
    public TenantId? TenantId { get; private set; }

    /// <summary>The Alloy environment (key type) the hub was configured with when the error arrived.</summary>
    public AlloyEnvironment Environment { get; private set; }

    /// <summary>The body's <c>error</c> message, cut to <see cref="MaxErrorMessageLength"/>; null when there is none.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>The body exactly as received (at most <see cref="MaxPayloadBytes"/> bytes of UTF-8).</summary>
    public string RawPayload { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>
    /// Records a received error. Identifiers must be present and within their lengths (the caller validated them);
    /// descriptive fields (block name and type, the message) are cut short rather than refused, so an error is never
    /// lost because Alloy described it at length.
    /// </summary>
    public static IntegrationError Receive(
        string executionId,
        string? workflowId,
        string alloyUserId,
        string? blockName,
        string? blockType,
        TenantId? tenantId,
        AlloyEnvironment environment,
        string? errorMessage,
        string rawPayload,
        DateTimeOffset receivedAt)
    {
        executionId = RequireId(executionId, MaxExecutionIdLength, "An execution id");
        alloyUserId = RequireId(alloyUserId, MaxAlloyIdLength, "An Alloy user id");
        workflowId = string.IsNullOrWhiteSpace(workflowId) ? null : RequireId(workflowId, MaxAlloyIdLength, "A workflow id");
        if (!Enum.IsDefined(environment))
        {
            throw new DomainException($"'{environment}' is not an Alloy environment.");
        }

        ArgumentNullException.ThrowIfNull(rawPayload);
        if (Encoding.UTF8.GetByteCount(rawPayload) > MaxPayloadBytes)
        {
            throw new DomainException($"An error payload is at most {MaxPayloadBytes} bytes.");
        }

        return new IntegrationError(
            executionId,
            workflowId,
            alloyUserId,
            Clip(blockName, MaxBlockNameLength),
            Clip(blockType, MaxBlockTypeLength),
            tenantId,
            environment,
            Clip(errorMessage, MaxErrorMessageLength),
            rawPayload,
            receivedAt);
    }

    private static string RequireId(string? value, int maxLength, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            throw new DomainException($"{what} is required and at most {maxLength} characters.");
        }

        return value.Trim();
    }

    private static string? Clip(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        return value.Length <= max ? value : value[..(max - 1)] + "…";
    }
}
