using System.Net;
using IntegrationHub.Infrastructure.OutboundWebhooks;

namespace IntegrationHub.Infrastructure.UnitTests.OutboundWebhooks;

public sealed class WebhookConnectorTests
{
    public static TheoryData<string> InternalAddresses() =>
    [
        "127.0.0.1", "127.10.20.30", "::1",
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1", "192.168.255.255",
        "169.254.169.254", "169.254.0.1", "fe80::1", "fe80::abcd:1234",
        "fc00::1", "fd12:3456:789a::1",
        "100.64.0.1", "100.127.255.254",
        "0.0.0.0", "::", "224.0.0.1", "239.255.255.250", "255.255.255.255", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
    ];

    public static TheoryData<string> PublicAddresses() =>
    [
        "93.184.216.34", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "169.253.0.1",
        "2606:4700:4700::1111", "::ffff:93.184.216.34",
    ];

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public void IsForbidden_WhenTheAddressIsInternal_ShouldBeTrue(string address)
    {
        // Act
        var forbidden = WebhookAddressPolicy.IsForbidden(IPAddress.Parse(address));

        // Assert
        forbidden.ShouldBeTrue(address);
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void IsForbidden_WhenTheAddressIsPublic_ShouldBeFalse(string address)
    {
        // Act
        var forbidden = WebhookAddressPolicy.IsForbidden(IPAddress.Parse(address));

        // Assert
        forbidden.ShouldBeFalse(address);
    }

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public async Task ChooseAddress_WhenANameResolvesToAnInternalAddress_ShouldRefuse(string address)
    {
        // Arrange
        var connector = new WebhookConnector(new FixedResolver(IPAddress.Parse(address)), () => false);

        // Act
        var act = () => connector.ChooseAddressAsync("hooks.example.com", TestContext.Current.CancellationToken);

        // Assert
        var refused = await act.ShouldThrowAsync<WebhookAddressRefusedException>();
        refused.Message.ShouldContain("hooks.example.com");
    }

    [Fact]
    public async Task ChooseAddress_WhenANameResolvesToInternalAndPublicAddresses_ShouldConnectToThePublicOneOnly()
    {
        // Arrange
        var connector = new WebhookConnector(new FixedResolver(IPAddress.Loopback, IPAddress.Parse("93.184.216.34")), () => false);

        // Act
        var chosen = await connector.ChooseAddressAsync("hooks.example.com", TestContext.Current.CancellationToken);

        // Assert
        chosen.ShouldBe(IPAddress.Parse("93.184.216.34"));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("[::1]")]
    [InlineData("10.0.0.7")]
    public async Task ChooseAddress_WhenTheHostIsAnInternalIpLiteral_ShouldRefuseWithoutResolving(string host)
    {
        // Arrange
        var resolver = new FixedResolver(IPAddress.Parse("93.184.216.34"));
        var connector = new WebhookConnector(resolver, () => false);

        // Act
        var act = () => connector.ChooseAddressAsync(host, TestContext.Current.CancellationToken);

        // Assert
        await act.ShouldThrowAsync<WebhookAddressRefusedException>();
        resolver.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task ChooseAddress_WhenPrivateNetworksAreAllowed_ShouldAcceptLoopback()
    {
        // Arrange
        var connector = new WebhookConnector(new FixedResolver(IPAddress.Loopback), () => true);

        // Act
        var chosen = await connector.ChooseAddressAsync("receiver.test", TestContext.Current.CancellationToken);

        // Assert
        chosen.ShouldBe(IPAddress.Loopback);
    }

    private sealed class FixedResolver(params IPAddress[] addresses) : IHostResolver
    {
        public int Calls { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(addresses);
        }
    }
}
