using System.Net;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.Infrastructure.Webhooks;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Infrastructure.UnitTests.Webhooks;

public sealed class AlloyWebhookSettingsTests
{
    private static readonly RSA Key = RSA.Create(2048);

    [Fact]
    public void TryCreate_WhenNothingIsConfigured_ShouldAcceptNoDeliveryButAllowAnySource()
    {
        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(), out var settings, out var problem);

        // Assert
        ok.ShouldBeTrue(problem);
        settings.IsConfigured.ShouldBeFalse();
        settings.AllowsSource(IPAddress.Parse("203.0.113.9")).ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => settings.Verify("POST", "https://x", [], "00"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void TryCreate_WhenAPublicKeyPemIsConfigured_ShouldVerifyWithIt(bool pkcs1, bool escapedNewlines)
    {
        // Arrange
        var pem = pkcs1 ? Key.ExportRSAPublicKeyPem() : Key.ExportSubjectPublicKeyInfoPem();
        if (escapedNewlines)
        {
            pem = pem.Replace("\n", "\\n", StringComparison.Ordinal);
        }

        var body = Encoding.UTF8.GetBytes("{}");

        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(pem), out var settings, out var problem);

        // Assert
        ok.ShouldBeTrue(problem);
        settings.IsConfigured.ShouldBeTrue();
        settings.Verify("POST", "https://x/y", body, AlloySignature.Sign(Key, "POST", "https://x/y", body)).ShouldBe(SignatureCheck.Valid);
    }

    [Theory]
    [InlineData("not a pem", "is not PEM")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "not a public key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "is not an RSA public key")]
    public void TryCreate_WhenThePublicKeyPemIsUnusable_ShouldNameTheSetting(string pem, string expected)
    {
        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(pem), out _, out var problem);

        // Assert
        ok.ShouldBeFalse();
        problem.ShouldNotBeNull();
        problem.ShouldContain("AlloyWebhooks:PublicKeyPem");
        problem.ShouldContain(expected);
    }

    [Fact]
    public void TryCreate_WhenGivenAPrivateKey_ShouldRefuseItWithoutEchoingIt()
    {
        // Arrange
        var privatePem = Key.ExportPkcs8PrivateKeyPem();

        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(privatePem), out _, out var problem);

        // Assert
        ok.ShouldBeFalse();
        problem.ShouldNotBeNull();
        problem.ShouldContain("'PRIVATE KEY', not a public key");
        problem.ShouldNotContain(privatePem.Split('\n')[1]);
    }

    [Theory]
    [InlineData("ftp://hub.example.com/x")]
    [InlineData("/api/webhooks/alloy/errors")]
    public void TryCreate_WhenThePublicUrlIsNotAnAbsoluteHttpUrl_ShouldNameTheSetting(string url)
    {
        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(publicUrl: url), out _, out var problem);

        // Assert
        ok.ShouldBeFalse();
        problem.ShouldNotBeNull();
        problem.ShouldContain("AlloyWebhooks:PublicUrl");
    }

    [Fact]
    public void TryCreate_WhenAnAllowedIpIsNotAnAddress_ShouldNameTheEntry()
    {
        // Act
        var ok = AlloyWebhookSettings.TryCreate(NewOptions(allowedIps: ["3.211.13.53", "alloy.example"]), out _, out var problem);

        // Assert
        ok.ShouldBeFalse();
        problem.ShouldNotBeNull();
        problem.ShouldContain("AlloyWebhooks:AllowedIps");
        problem.ShouldContain("'alloy.example'");
    }

    [Theory]
    [InlineData("3.211.13.53", true)]
    [InlineData("::ffff:3.211.13.53", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("2001:db8::7", true)]
    [InlineData("3.211.13.54", false)]
    [InlineData("11.0.0.1", false)]
    [InlineData("2001:db9::1", false)]
    public void AllowsSource_WhenAnAllowListIsConfigured_ShouldAdmitOnlyItsAddressesAndRanges(string address, bool expected)
    {
        // Arrange
        AlloyWebhookSettings.TryCreate(NewOptions(allowedIps: ["3.211.13.53", "10.0.0.0/8", "2001:db8::/32"]), out var settings, out _);

        // Act
        var allowed = settings.AllowsSource(IPAddress.Parse(address));

        // Assert
        allowed.ShouldBe(expected);
    }

    [Fact]
    public void AllowsSource_WhenAListIsConfiguredAndTheAddressIsUnknown_ShouldRefuse()
    {
        // Arrange
        AlloyWebhookSettings.TryCreate(NewOptions(allowedIps: ["127.0.0.1"]), out var settings, out _);

        // Act
        var allowed = settings.AllowsSource(null);

        // Assert
        allowed.ShouldBeFalse();
    }

    [Fact]
    public void Current_WhenTheConfigurationChanges_ShouldFollowItAndAcceptNothingWhileItIsBroken()
    {
        // Arrange
        var monitor = new TestOptionsMonitor<AlloyWebhookOptions>(NewOptions());
        var logger = new CapturingLogger<AlloyWebhookVerifier>();
        var verifier = new AlloyWebhookVerifier(monitor, logger);

        // Act
        var before = verifier.Current;
        monitor.Set(NewOptions(Key.ExportSubjectPublicKeyInfoPem()));
        var configured = verifier.Current;
        var again = verifier.Current;
        monitor.Set(NewOptions("garbage"));
        var broken = verifier.Current;
        _ = verifier.Current;

        // Assert
        before.IsConfigured.ShouldBeFalse();
        configured.IsConfigured.ShouldBeTrue();
        again.ShouldBeSameAs(configured);
        broken.IsConfigured.ShouldBeFalse();
        logger.Entries.Count(e => e.Level == LogLevel.Error).ShouldBe(1);
    }

    private static AlloyWebhookOptions NewOptions(string? publicKeyPem = null, string? publicUrl = null, string[]? allowedIps = null)
    {
        var options = new AlloyWebhookOptions { PublicKeyPem = publicKeyPem, PublicUrl = publicUrl };
        foreach (var ip in allowedIps ?? [])
        {
            options.AllowedIps.Add(ip);
        }

        return options;
    }
}
