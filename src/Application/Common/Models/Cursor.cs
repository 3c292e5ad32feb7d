using System.Buffers.Binary;
using System.Buffers.Text;

namespace IntegrationHub.Application.Common.Models;

/// <summary>An opaque keyset cursor: the last row id of the previous page, base64url-encoded.</summary>
public static class Cursor
{
    public static string Encode(long lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, lastId);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? cursor, out long lastId)
    {
        lastId = 0;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 16)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[12];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 8)
        {
            return false;
        }

        lastId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return lastId > 0;
    }
}

/// <summary>One page of a cursor-paged listing.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
