using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IntegrationHub.WebApi.Auth;

/// <summary>
/// <c>X-Api-Key</c>: the key's SHA-256 is compared in constant time with every configured hash (all of them,
/// so the time taken says nothing about which one matched). The key itself is never stored or logged.
/// </summary>
public sealed class ServiceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<AuthOptions> authOptions,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ServiceKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Claim carrying the configured name of the key that authenticated the caller.</summary>
    public const string KeyNameClaim = "hub:key";
    private const int MaxKeyLength = 512;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(presented) || presented.Length > MaxKeyLength)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid credentials."));
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];

        ServiceKeyOptions? match = null;
        foreach (var key in authOptions.CurrentValue.ServiceKeys)
        {
            if (!TryParseHash(key.Sha256, expected))
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(hash, expected) && match is null)
            {
                match = key;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid credentials."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name), new(KeyNameClaim, match.Name) };
        claims.AddRange(match.Roles
            .Where(r => r is HubClaims.ServiceRole or HubClaims.AdminRole)
            .Select(r => new Claim(HubClaims.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, HubClaims.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    public static bool TryParseHash(string? hex, Span<byte> destination) =>
        hex is { Length: SHA256.HashSizeInBytes * 2 }
        && Convert.FromHexString(hex, destination, out _, out var written) == System.Buffers.OperationStatus.Done
        && written == SHA256.HashSizeInBytes;
}
