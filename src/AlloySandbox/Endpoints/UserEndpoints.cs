using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;
using IntegrationHub.AlloySandbox.Tokens;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>U1–U8 and T1.</summary>
internal static class UserEndpoints
{
    public const int MaxBatchSize = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/users", CreateUser).IsAlloyOperation("POST", "/users");
        api.MapGet("/users", ListUsers).IsAlloyOperation("GET", "/users");
        api.MapPost("/users/batch", CreateUsers).IsAlloyOperation("POST", "/users/batch");
        api.MapGet("/users/{uid}", GetUser).IsAlloyOperation("GET", "/users/{uid}");
        api.MapPut("/users/{uid}", UpdateUser).IsAlloyOperation("PUT", "/users/{uid}");
        api.MapDelete("/users/{uid}", DeleteUser).IsAlloyOperation("DELETE", "/users/{uid}");
        api.MapPut("/users/{uid}/deactivate-workflows", DeactivateWorkflows).IsAlloyOperation("PUT", "/users/{uid}/deactivate-workflows");
        api.MapDelete("/users/{uid}/logs", DeleteLogs).IsAlloyOperation("DELETE", "/users/{uid}/logs");
        api.MapGet("/users/{uid}/token", GetToken).IsAlloyOperation("GET", "/users/{uid}/token");
        api.MapGet("/user/{uid}/token", GetToken).IsAlloyOperation("GET", "/user/{uid}/token"); // the authentication guide's singular spelling
    }

    public static async Task<IResult> CreateUser(HttpContext http, UserStore store)
    {
        var body = await RequestBody.ReadAsync<UserInput>(http.Request);
        return body.IsSuccess
            ? SandboxResults.From(await store.CreateUserAsync(http.Environment(), body.Value))
            : SandboxResults.Error(body.Error);
    }

    public static IResult ListUsers(HttpContext http, UserStore store, string? parentWorkflowId) =>
        SandboxResults.Ok(new DataResponse<IReadOnlyList<UserResponse>>(store.ListUsers(http.Environment(), parentWorkflowId)));

    public static async Task<IResult> CreateUsers(HttpContext http, UserStore store)
    {
        var body = await RequestBody.ReadAsync<BatchUsersRequest>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        if (body.Value?.Users is not { } users)
        {
            return SandboxResults.Error(ApiError.Required("users"));
        }

        if (users.Count > MaxBatchSize)
        {
            return SandboxResults.Error(ApiError.BadRequest($"users must not contain more than {MaxBatchSize} users"));
        }

        return SandboxResults.From(await store.CreateUsersAsync(http.Environment(), users));
    }

    public static IResult GetUser(HttpContext http, UserStore store, string uid) =>
        SandboxResults.From(store.GetUser(http.Environment(), uid));

    public static async Task<IResult> UpdateUser(HttpContext http, UserStore store, string uid)
    {
        var body = await RequestBody.ReadAsync<UserInput>(http.Request);
        return body.IsSuccess
            ? SandboxResults.From(await store.UpdateUserAsync(http.Environment(), uid, body.Value))
            : SandboxResults.Error(body.Error);
    }

    public static async Task<IResult> DeleteUser(HttpContext http, UserStore store, string uid) =>
        SandboxResults.From(await store.DeleteUserAsync(http.Environment(), uid));

    public static async Task<IResult> DeactivateWorkflows(HttpContext http, UserStore store, string uid) =>
        SandboxResults.From(await store.DeactivateUserWorkflowsAsync(http.Environment(), uid));

    /// <summary>U8: the sandbox keeps no logs, so this only checks that the user exists.</summary>
    public static IResult DeleteLogs(HttpContext http, UserStore store, string uid) =>
        SandboxResults.From(store.ResolveUserId(http.Environment(), uid), _ => SandboxResults.Ok(new MessageResponse("Success")));

    public static IResult GetToken(HttpContext http, UserStore store, UserTokenService tokens, string uid) =>
        SandboxResults.From(store.ResolveUserId(http.Environment(), uid), userId => SandboxResults.Ok(new TokenResponse(tokens.Issue(userId))));
}
