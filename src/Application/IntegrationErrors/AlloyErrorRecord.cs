using System.Text.Json;

namespace IntegrationHub.Application.IntegrationErrors;

/// <summary>
/// Reads Alloy's error record (the webhook body: <c>_id, workflowId, executionId, blockId, blockType, error, …</c>)
/// without binding it to a type: only its being a JSON object is required, and only the <c>error</c> message is taken.
/// </summary>
public static class AlloyErrorRecord
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Whether <paramref name="body"/> is one JSON object (what Alloy sends).</summary>
    public static bool IsJsonObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body, Options);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The error message: the <c>error</c> field when it is a string, its <c>message</c> when it is an object with one,
    /// its JSON text for any other value; null when the body has no <c>error</c> or is not a JSON object.
    /// </summary>
    public static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error))
            {
                return null;
            }

            return error.ValueKind switch
            {
                JsonValueKind.String => error.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String =>
                    message.GetString(),
                _ => error.GetRawText(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
