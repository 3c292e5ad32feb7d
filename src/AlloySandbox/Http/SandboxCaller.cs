namespace IntegrationHub.AlloySandbox.Http;

/// <summary>Who is calling: the environment of the key (or of the token's user) and, for user-token calls, the user.</summary>
internal sealed record SandboxCaller(SandboxEnvironment Environment, string? TokenUserId)
{
    private static readonly object ItemKey = new();

    public void Attach(HttpContext http) => http.Items[ItemKey] = this;

    /// <summary>The caller the API filter authenticated; endpoints only run after it did.</summary>
    public static SandboxCaller Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var caller) && caller is SandboxCaller found
            ? found
            : throw new InvalidOperationException("The Alloy sandbox API filter did not run for this endpoint.");
}
