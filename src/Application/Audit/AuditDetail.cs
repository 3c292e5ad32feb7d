using System.Text;

namespace IntegrationHub.Application.Audit;

/// <summary>Builds the short, human-readable details of audit entries.</summary>
public static class AuditDetail
{
    /// <summary>
    /// What an admin asked for: <c>"installations tenantId=acme enabled=true"</c>; filters without a value are
    /// left out.
    /// </summary>
    public static string Filters(string what, params ReadOnlySpan<(string Name, string? Value)> filters)
    {
        var detail = new StringBuilder(what);
        foreach (var (name, value) in filters)
        {
            if (value is not null)
            {
                detail.Append(' ').Append(name).Append('=').Append(value);
            }
        }

        return detail.ToString();
    }
}
