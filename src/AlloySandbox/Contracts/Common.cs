namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record MessageResponse(string Message);

internal sealed record SuccessResponse(bool Success)
{
    public static SuccessResponse True { get; } = new(true);
}

/// <summary>Alloy wraps lists, and single integrations, workflows and installations, in <c>data</c>.</summary>
internal sealed record DataResponse<T>(T Data);

internal sealed record ActivatedResponse(bool Activated);

internal sealed record DeactivatedResponse(bool Deactivated);
