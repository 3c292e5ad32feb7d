using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Infrastructure.Webhooks;

/// <summary>The outcome of checking <c>X-Alloy-Signature</c>.</summary>
public enum SignatureCheck
{
    Valid,

    /// <summary>No signature header, or an empty one.</summary>
    Missing,

    /// <summary>Not hex (odd length, other characters) or absurdly long.</summary>
    Malformed,

    /// <summary>Well-formed, but not a signature of this method, URL and body by the configured key.</summary>
    Invalid,
}

/// <summary>
/// Alloy's request signature (docs/alloy-api.md, section 7.2): the hex-encoded RSA PKCS#1 v1.5 signature of the SHA-256 of
/// <c>METHOD + URL + BODY</c>, the three concatenated as UTF-8 with nothing between them, the body as sent.
/// </summary>
public static class AlloySignature
{
    public const string HeaderName = "X-Alloy-Signature";

    /// <summary>Hex of a 16384-bit signature; anything longer is not a signature.</summary>
    private const int MaxHexLength = 4096;

    /// <summary>Checks <paramref name="signatureHex"/> against <paramref name="publicKey"/>; never throws for bad input.</summary>
    public static SignatureCheck Verify(RSA publicKey, string method, string url, ReadOnlySpan<byte> body, string? signatureHex)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var hex = signatureHex.AsSpan().Trim();
        if (hex.IsEmpty)
        {
            return SignatureCheck.Missing;
        }

        if (hex.Length > MaxHexLength || hex.Length % 2 != 0 || !IsHex(hex))
        {
            return SignatureCheck.Malformed;
        }

        var signature = Convert.FromHexString(hex);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(method, url, body, hash);
        try
        {
            return publicKey.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? SignatureCheck.Valid
                : SignatureCheck.Invalid;
        }
        catch (CryptographicException)
        {
            return SignatureCheck.Invalid;
        }
    }

    /// <summary>Signs like Alloy does (lowercase hex), for tests and tools that stand in for Alloy.</summary>
    public static string Sign(RSA privateKey, string method, string url, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(method, url, body, hash);
        return Convert.ToHexStringLower(privateKey.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static void Hash(string method, string url, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(method));
        sha.AppendData(Encoding.UTF8.GetBytes(url));
        sha.AppendData(body);
        sha.GetHashAndReset(destination);
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
