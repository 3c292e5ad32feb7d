using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Endpoints;

internal static class SandboxRoutes
{
    /// <summary>
    /// Names the endpoint as an Alloy API operation, for counting, scripted faults and user-token access.
    /// The user-token operations are the ones a browser calls cross-origin, so they also take CORS preflights
    /// (answered by <see cref="AlloyApiFilter"/>).
    /// </summary>
    public static RouteHandlerBuilder IsAlloyOperation(this RouteHandlerBuilder builder, string method, string template, bool allowsUserToken = false)
    {
        builder.WithMetadata(new SandboxOperation(method, template, allowsUserToken));
        return allowsUserToken ? builder.WithMetadata(new HttpMethodMetadata([method], acceptCorsPreflight: true)) : builder;
    }

    public static SandboxEnvironment Environment(this HttpContext http) => SandboxCaller.Of(http).Environment;
}
