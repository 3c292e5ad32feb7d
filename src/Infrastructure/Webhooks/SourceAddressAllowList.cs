using System.Net;

namespace IntegrationHub.Infrastructure.Webhooks;

/// <summary>Single addresses and CIDR ranges; an empty list allows every address.</summary>
public sealed class SourceAddressAllowList
{
    private readonly IPNetwork[] _networks;

    private SourceAddressAllowList(IPNetwork[] networks) => _networks = networks;

    public static SourceAddressAllowList Any { get; } = new([]);

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Parses entries such as <c>3.211.13.53</c>, <c>10.0.0.0/8</c> or <c>::1</c>; names the first bad one.</summary>
    public static bool TryParse(IEnumerable<string?> entries, out SourceAddressAllowList list, out string? invalidEntry)
    {
        var networks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw?.Trim();
            if (string.IsNullOrEmpty(entry))
            {
                continue;
            }

            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal))
            {
                address = Normalize(address);
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else
            {
                list = Any;
                invalidEntry = entry;
                return false;
            }
        }

        list = new SourceAddressAllowList([.. networks]);
        invalidEntry = null;
        return true;
    }

    /// <summary>Whether <paramref name="address"/> may deliver; an unknown address passes only an empty list.</summary>
    public bool Allows(IPAddress? address)
    {
        if (IsEmpty)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Dual-stack sockets report IPv4 peers as <c>::ffff:a.b.c.d</c>; compare them as IPv4.</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
