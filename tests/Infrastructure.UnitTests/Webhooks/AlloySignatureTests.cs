using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Infrastructure.Webhooks;

namespace IntegrationHub.Infrastructure.UnitTests.Webhooks;

/// <summary>X-Alloy-Signature: hex RSA PKCS#1 v1.5 over SHA-256 of METHOD + URL + BODY (docs/alloy-api.md, section 7.2).</summary>
public sealed class AlloySignatureTests
{
    private const string Url = "https://hub.example.com/api/webhooks/alloy/errors";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"_id\":\"66aa\",\"executionId\":\"e1\",\"error\":\"boom\"}");
    private static readonly RSA Alloy = RSA.Create(2048);
    private static readonly RSA Stranger = RSA.Create(2048);

    [Fact]
    public void Verify_WhenSignedByTheKeyOverMethodUrlAndBody_ShouldBeValid()
    {
        // Arrange: signed independently of the verifier's code path (SignData over the concatenation).
        var signature = Convert.ToHexStringLower(Alloy.SignData(
            (byte[])[.. Encoding.UTF8.GetBytes("POST" + Url), .. Body], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), "POST", Url, Body, signature);

        // Assert
        check.ShouldBe(SignatureCheck.Valid);
    }

    [Fact]
    public void Verify_WhenTheHexIsUppercaseOrPadded_ShouldBeValid()
    {
        // Arrange
        var signature = AlloySignature.Sign(Alloy, "POST", Url, Body);

        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), "POST", Url, Body, " " + signature.ToUpperInvariant() + " ");

        // Assert
        check.ShouldBe(SignatureCheck.Valid);
    }

    [Theory]
    [InlineData("PUT", Url, false)]
    [InlineData("post", Url, false)]
    [InlineData("POST", Url + "?x=1", false)]
    [InlineData("POST", "http://hub.example.com/api/webhooks/alloy/errors", false)]
    [InlineData("POST", Url, true)]
    public void Verify_WhenMethodUrlOrBodyDifferFromWhatWasSigned_ShouldBeInvalid(string method, string url, bool tamperBody)
    {
        // Arrange
        var signature = AlloySignature.Sign(Alloy, "POST", Url, Body);
        byte[] body = tamperBody ? [.. Body[..^1], (byte)' ', Body[^1]] : Body;

        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), method, url, body, signature);

        // Assert
        check.ShouldBe(SignatureCheck.Invalid);
    }

    [Fact]
    public void Verify_WhenSignedByAnotherKey_ShouldBeInvalid()
    {
        // Arrange
        var signature = AlloySignature.Sign(Stranger, "POST", Url, Body);

        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), "POST", Url, Body, signature);

        // Assert
        check.ShouldBe(SignatureCheck.Invalid);
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("   ", SignatureCheck.Missing)]
    [InlineData("abc", SignatureCheck.Malformed)]
    [InlineData("zz00", SignatureCheck.Malformed)]
    [InlineData("sha256=00ff", SignatureCheck.Malformed)]
    [InlineData("00ff", SignatureCheck.Invalid)]
    public void Verify_WhenTheSignatureIsMissingOrNotHex_ShouldSaySo(string? signature, SignatureCheck expected)
    {
        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), "POST", Url, Body, signature);

        // Assert
        check.ShouldBe(expected);
    }

    [Fact]
    public void Verify_WhenTheHexIsAbsurdlyLong_ShouldBeMalformed()
    {
        // Act
        var check = AlloySignature.Verify(PublicHalf(Alloy), "POST", Url, Body, new string('a', 10_000));

        // Assert
        check.ShouldBe(SignatureCheck.Malformed);
    }

    private static RSA PublicHalf(RSA key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        return rsa;
    }
}
