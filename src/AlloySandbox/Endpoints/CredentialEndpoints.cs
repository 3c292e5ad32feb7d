using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>C1 (both spellings), C2 and C3.</summary>
internal static class CredentialEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/headless/credentials", CreateCredential).IsAlloyOperation("POST", "/headless/credentials");
        api.MapGet("/credentials/users/{uid}", ListCredentials).IsAlloyOperation("GET", "/credentials/users/{uid}");
        api.MapGet("/users/{uid}/credentials", ListCredentials).IsAlloyOperation("GET", "/users/{uid}/credentials"); // 2024-03 spelling
        api.MapDelete("/users/{uid}/credentials/{credentialId}", DeleteCredential).IsAlloyOperation("DELETE", "/users/{uid}/credentials/{credentialId}");
    }

    public static async Task<IResult> CreateCredential(HttpContext http, CredentialStore store)
    {
        var body = await RequestBody.ReadAsync<CreateCredentialRequest>(http.Request);
        return body.IsSuccess
            ? SandboxResults.From(await store.CreateCredentialAsync(http.Environment(), body.Value))
            : SandboxResults.Error(body.Error);
    }

    public static IResult ListCredentials(HttpContext http, CredentialStore store, string uid) =>
        SandboxResults.From(
            store.ListCredentials(http.Environment(), uid),
            list => SandboxResults.Ok(new DataResponse<IReadOnlyList<CredentialResponse>>(list)));

    public static async Task<IResult> DeleteCredential(HttpContext http, CredentialStore store, string uid, string credentialId) =>
        SandboxResults.From(await store.DeleteCredentialAsync(http.Environment(), uid, credentialId));
}
