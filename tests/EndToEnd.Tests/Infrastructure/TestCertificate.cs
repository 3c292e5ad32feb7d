using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A throwaway self-signed server certificate for Alloy's fixed hosts (and loopback), exported as a PFX file so that
/// the sandbox loads it through Kestrel's standard configuration (<c>Kestrel:Certificates:Default:Path/Password</c>).
/// Chromium accepts it because the tests start it with <c>--ignore-certificate-errors</c>.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(string path, string password)
    {
        Path = path;
        Password = password;
    }

    public string Path { get; }

    public string Password { get; }

    public static TestCertificate Create(string folder, params string[] dnsNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=IntegrationHub end-to-end tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Append("localhost"))
        {
            names.AddDnsName(name);
        }

        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, "sandbox-tls.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new TestCertificate(path, password);
    }

    public void Dispose() => File.Delete(Path);
}
