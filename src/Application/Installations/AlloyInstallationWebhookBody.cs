using System.Text.Json;

namespace IntegrationHub.Application.Installations;

/// <summary>
/// Alloy's Integration Installation Webhook body (docs/alloy-api.md): <c>{userId, workflowIds, integrationId,
/// credentials, success}</c>. Read without binding to a type: only the three fields the hub needs are taken, the rest
/// is kept as received.
/// </summary>
public sealed record AlloyInstallationWebhookBody(string? UserId, string? IntegrationId, bool? Success)
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>The body's fields, or null when it is not one JSON object.</summary>
    public static AlloyInstallationWebhookBody? TryRead(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new AlloyInstallationWebhookBody(
                String(root, "userId"),
                String(root, "integrationId"),
                root.TryGetProperty("success", out var success) && success.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? success.GetBoolean()
                    : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;
}
