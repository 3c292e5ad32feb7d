using System.Security.Cryptography;
using System.Text;
using IntegrationHub.AlloySandbox.Store;
using IntegrationHub.AlloySandbox.Tokens;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> (scheme case-insensitive) against the configured keys, read on every
/// call; on the endpoints the browser SDK calls, <c>x-alloy-user-token: &lt;JWT&gt;</c> instead.
/// </summary>
internal sealed class SandboxAuthenticator(IOptionsMonitor<AlloySandboxOptions> options, UserTokenService tokens, UserStore users)
{
    public const string UserTokenHeader = "x-alloy-user-token";

    public SandboxCaller? Authenticate(HttpContext http, SandboxOperation operation)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(authorization))
        {
            return FindKey(authorization) is { } environment ? new SandboxCaller(environment, null) : null;
        }

        if (!operation.AllowsUserToken)
        {
            return null;
        }

        var userId = tokens.Validate(http.Request.Headers[UserTokenHeader].ToString());
        return userId is not null && users.EnvironmentOfUser(userId) is { } userEnvironment
            ? new SandboxCaller(userEnvironment, userId)
            : null;
    }

    private SandboxEnvironment? FindKey(string authorization)
    {
        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim());
        if (presented.Length == 0)
        {
            return null;
        }

        SandboxEnvironment? found = null;
        foreach (var key in options.CurrentValue.EffectiveKeys())
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key.Key)))
            {
                found ??= key.Environment;
            }
        }

        return found;
    }
}
