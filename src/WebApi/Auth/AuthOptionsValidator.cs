using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace IntegrationHub.WebApi.Auth;

/// <summary>Refuses to start on an authentication configuration that cannot be safe, saying exactly what to fix.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const int MinimumSigningKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < options.ServiceKeys.Count; i++)
        {
            var key = options.ServiceKeys[i];
            var at = $"Auth:ServiceKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{at}:Name is required.");
            }

            if (!ServiceKeyAuthenticationHandler.TryParseHash(key.Sha256, hash))
            {
                failures.Add($"{at}:Sha256 must be the lowercase hex SHA-256 of the key (64 characters), e.g. the output of `printf '%s' \"$KEY\" | sha256sum`.");
            }

            if (key.Roles.Count == 0 || key.Roles.Any(r => r is not (HubClaims.ServiceRole or HubClaims.AdminRole)))
            {
                failures.Add($"{at}:Roles must list 'service' and/or 'admin'.");
            }
        }

        var duplicates = options.ServiceKeys.GroupBy(k => k.Sha256, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            failures.Add("Auth:ServiceKeys lists the same key hash more than once.");
        }

        var jwt = options.Jwt;
        if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            var buffer = new byte[jwt.SigningKey.Length];
            if (!Convert.TryFromBase64String(jwt.SigningKey, buffer, out var written))
            {
                failures.Add("Auth:Jwt:SigningKey must be base64.");
            }
            else if (written < MinimumSigningKeyBytes)
            {
                failures.Add($"Auth:Jwt:SigningKey is too weak: {written} bytes; HS256 needs at least {MinimumSigningKeyBytes} random bytes.");
            }
        }

        if (!string.IsNullOrWhiteSpace(jwt.Authority) && !Uri.TryCreate(jwt.Authority, UriKind.Absolute, out _))
        {
            failures.Add("Auth:Jwt:Authority must be an absolute URL.");
        }

        var validating = !string.IsNullOrWhiteSpace(jwt.SigningKey) || !string.IsNullOrWhiteSpace(jwt.Authority);
        if (validating && (string.IsNullOrWhiteSpace(jwt.Issuer) || string.IsNullOrWhiteSpace(jwt.Audience)))
        {
            failures.Add("Auth:Jwt:Issuer and Auth:Jwt:Audience are required when a signing key or authority is configured.");
        }

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("Auth:Jwt:ClockSkew must be between 0 and 5 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
