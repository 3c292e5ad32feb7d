using System.Buffers;
using System.Globalization;
using System.Text;
using IntegrationHub.Application.Installations;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary>
/// The admin installation export's CSV, written as UTF-8 straight into the response's buffer: no string per row or
/// field, so an export of any size allocates next to nothing per row. RFC 4180 quoting, and no formula injection when
/// the file is opened in a spreadsheet.
/// </summary>
internal static class InstallationsCsv
{
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    private static readonly byte[] NewLine = Encoding.UTF8.GetBytes(Environment.NewLine);

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    private static ReadOnlySpan<byte> Header => "tenantId,installationId,integrationId,integrationName,enabled,installedAt,firstSeenAt,lastSyncedAt,removedAt"u8;

    public static void WriteHeader(IBufferWriter<byte> writer)
    {
        writer.Write(Header);
        writer.Write(NewLine);
    }

    public static void WriteRow(IBufferWriter<byte> writer, TenantInstallationResponse i)
    {
        Text(writer, i.TenantId);
        Comma(writer);
        Text(writer, i.InstallationId);
        Comma(writer);
        Text(writer, i.IntegrationId);
        Comma(writer);
        Text(writer, i.IntegrationName);
        Comma(writer);
        writer.Write(i.Enabled ? "true"u8 : "false"u8);
        Comma(writer);
        Timestamp(writer, i.InstalledAt);
        Comma(writer);
        Timestamp(writer, i.FirstSeenAt);
        Comma(writer);
        Timestamp(writer, i.LastSyncedAt);
        Comma(writer);
        Timestamp(writer, i.RemovedAt);
        writer.Write(NewLine);
    }

    /// <summary>A field as a CSV cell: quoted when it holds a comma, quote or line break; prefixed with <c>'</c> when a spreadsheet would read it as a formula.</summary>
    internal static void Text(IBufferWriter<byte> writer, string value)
    {
        var quoted = value.AsSpan().IndexOfAny(NeedsQuotes) >= 0;
        if (quoted)
        {
            writer.Write("\""u8);
        }

        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            writer.Write("'"u8);
        }

        var rest = value.AsSpan();
        while (quoted && rest.IndexOf('"') is var quote and >= 0)
        {
            Utf8(writer, rest[..(quote + 1)]);
            writer.Write("\""u8);
            rest = rest[(quote + 1)..];
        }

        Utf8(writer, rest);
        if (quoted)
        {
            writer.Write("\""u8);
        }
    }

    private static void Timestamp(IBufferWriter<byte> writer, DateTimeOffset? value)
    {
        if (value is not { } at)
        {
            return;
        }

        var span = writer.GetSpan(32);
        if (!at.UtcDateTime.TryFormat(span, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"The timestamp {at:O} did not fit its CSV cell.");
        }

        writer.Advance(written);
    }

    private static void Utf8(IBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Comma(IBufferWriter<byte> writer) => writer.Write(","u8);
}
