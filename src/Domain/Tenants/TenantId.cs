using IntegrationHub.Domain.Common;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace IntegrationHub.Domain.Tenants;

/// <summary>The SaaS's own identifier of a tenant: <c>^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$</c>.</summary>
public readonly partial record struct TenantId
{
    public const string Pattern = PatternBody + "$";
    public const int MaxLength = 64;

    private const string PatternBody = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private TenantId(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Regex().IsMatch(value);

    public static bool TryParse(string? value, out TenantId tenantId)
    {
        tenantId = IsValid(value) ? new TenantId(value) : default;
        return tenantId.Value is not null;
    }

    /// <summary>Creates a tenant id from a value already validated (or read back from storage).</summary>
    public static TenantId From(string value) =>
        IsValid(value) ? new TenantId(value) : throw new DomainException($"'{value}' is not a valid tenant id.");

    public override string ToString() => Value;

    /// <summary>
    /// <see cref="Pattern"/> anchored with <c>\z</c>: in .NET a final <c>$</c> also matches before a trailing
    /// newline, which would let <c>"acme\n"</c> through as a distinct tenant id.
    /// </summary>
    [GeneratedRegex(PatternBody + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
