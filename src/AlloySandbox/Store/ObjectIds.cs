using System.Buffers.Binary;
using System.Security.Cryptography;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>24-char lowercase hex ids shaped like MongoDB ObjectIds: 4 bytes of Unix seconds, 8 random bytes.</summary>
internal static class ObjectIds
{
    public static string New(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)time.GetUtcNow().ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }
}
