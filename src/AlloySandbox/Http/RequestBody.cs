using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Http;

internal static class RequestBody
{
    /// <summary>
    /// Reads the JSON body with the sandbox's own options. An empty body (or <c>null</c>) is a null value, so
    /// that the endpoint answers "&lt;field&gt; is required"; malformed JSON is a 400 with a message.
    /// </summary>
    public static async Task<Result<T?>> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Result<T?>.Success(null);
        }

        try
        {
            return Result<T?>.Success(JsonSerializer.Deserialize(bytes.Span, SandboxJson.TypeInfo<T>()));
        }
        catch (JsonException ex)
        {
            return ApiError.BadRequest($"Invalid JSON in request body: {ex.Message}");
        }
    }
}
