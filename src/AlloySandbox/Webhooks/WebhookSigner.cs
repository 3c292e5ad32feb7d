using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Webhooks;

/// <summary>
/// Signs outgoing webhooks as Alloy does (docs/alloy-api.md, section 7.2 and assumption 13): hex of the RSA PKCS#1 v1.5 signature of
/// SHA-256 over <c>METHOD + URL + BODY</c>. The key is <c>AlloySandbox:Webhooks:PrivateKeyPem</c> when configured,
/// else a 2048-bit key generated once per process; <c>GET /_sandbox/webhooks/public-key</c> serves its public half.
/// </summary>
internal sealed class WebhookSigner(IOptions<AlloySandboxOptions> options) : IDisposable
{
    private readonly Lazy<RSA> _key = new(() => LoadKey(options.Value.Webhooks.PrivateKeyPem), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>), what Alloy publishes on its CDN.</summary>
    public string PublicKeyPem => _key.Value.ExportSubjectPublicKeyInfoPem();

    public string Sign(string method, string url, ReadOnlySpan<byte> body)
    {
        var data = new byte[Encoding.UTF8.GetByteCount(method) + Encoding.UTF8.GetByteCount(url) + body.Length];
        var written = Encoding.UTF8.GetBytes(method, data);
        written += Encoding.UTF8.GetBytes(url, data.AsSpan(written));
        body.CopyTo(data.AsSpan(written));
        return Convert.ToHexStringLower(_key.Value.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }

    private static RSA LoadKey(string? pem)
    {
        var rsa = RSA.Create(2048);
        if (string.IsNullOrWhiteSpace(pem))
        {
            return rsa;
        }

        try
        {
            rsa.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException("AlloySandbox:Webhooks:PrivateKeyPem is not an RSA private key in PEM form.", ex);
        }
    }
}
