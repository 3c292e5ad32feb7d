using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Infrastructure.OutboundWebhooks;

/// <summary>
/// Which addresses a webhook may never reach (server-side request forgery): loopback, private (10/8, 172.16/12,
/// 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), unspecified, shared
/// carrier-grade NAT (100.64/10), multicast and broadcast, and the IPv4-mapped IPv6 forms of all of them.
/// </summary>
public static class WebhookAddressPolicy
{
    public static bool IsForbidden(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0                                  // 0.0.0.0/8, "this network" and unspecified
                || b[0] == 10                                 // 10/8
                || (b[0] == 100 && (b[1] & 0xC0) == 64)       // 100.64/10 carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)               // 169.254/16 link-local, metadata 169.254.169.254
                || (b[0] == 172 && (b[1] & 0xF0) == 16)       // 172.16/12
                || (b[0] == 192 && b[1] == 168)               // 192.168/16
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)    // 192.0.0/24 protocol assignments
                || b[0] >= 224;                               // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
            {
                return true;
            }

            var b = address.GetAddressBytes();
            return (b[0] & 0xFE) == 0xFC                      // fc00::/7 unique local
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)    // fe80::/10 link-local
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)    // fec0::/10 site-local (deprecated)
                || b[0] == 0xFF                               // multicast
                || address.IsIPv4Compatible();
        }

        return true; // any other family is not a web address
    }

    private static bool IsIPv4Compatible(this IPAddress address)
    {
        // ::a.b.c.d (deprecated IPv4-compatible form): refuse rather than guess what the stack does with it.
        var b = address.GetAddressBytes();
        for (var i = 0; i < 12; i++)
        {
            if (b[i] != 0)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Resolves a host name to its addresses (DNS); a seam so the address check can be tested without DNS.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

internal sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A webhook's host resolved only to forbidden addresses.</summary>
public sealed class WebhookAddressRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// Chooses the address a webhook connects to, checking the RESOLVED address at send time (a DNS name that points at
/// an internal address, or changes to one after the endpoint was registered, is refused all the same).
/// </summary>
public sealed class WebhookConnector(IHostResolver resolver, Func<bool> allowPrivateNetworks)
{
    public async Task<IPAddress> ChooseAddressAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"The host {host} has no address.");
        }

        if (allowPrivateNetworks())
        {
            return addresses[0];
        }

        return addresses.FirstOrDefault(a => !WebhookAddressPolicy.IsForbidden(a))
            ?? throw new WebhookAddressRefusedException(
                $"Refused: {host} resolves to {addresses[0]}, an internal address (loopback, private, link-local or reserved). Webhooks:AllowPrivateNetworks allows it.");
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: connects to the chosen address only.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var address = await ChooseAddressAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
