using System.Globalization;

namespace IntegrationHub.AlloySandbox.Http;

internal static class Timestamps
{
    /// <summary>ISO-8601 UTC with milliseconds, e.g. <c>2024-04-30T16:00:05.041Z</c>.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
