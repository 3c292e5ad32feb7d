namespace IntegrationHub.AlloySandbox.Http;

/// <summary>
/// Endpoint metadata naming one Alloy API operation by method and normalized route template, the way
/// <c>/_sandbox/stats</c> counts it and scripted faults match it: no version segment, no mount prefix,
/// no trailing slash.
/// </summary>
internal sealed class SandboxOperation
{
    public SandboxOperation(string method, string template, bool allowsUserToken)
    {
        Method = method;
        Template = NormalizePath(template);
        TemplateSegments = Segments(Template);
        AllowsUserToken = allowsUserToken;
        Key = $"{Method} {Template}";
    }

    public string Method { get; }

    public string Template { get; }

    public string[] TemplateSegments { get; }

    /// <summary>Whether <c>x-alloy-user-token</c> may stand in for the API key.</summary>
    public bool AllowsUserToken { get; }

    /// <summary>"METHOD /template", e.g. <c>POST /users</c>.</summary>
    public string Key { get; }

    /// <summary>Leading slash, no trailing slash, no leading <c>/YYYY-MM</c> segment.</summary>
    public static string NormalizePath(string path)
    {
        var segments = Segments(path.Trim());
        var skip = segments.Length > 0 && ApiVersionRouteConstraint.IsApiVersion(segments[0]) ? 1 : 0;
        return "/" + string.Join('/', segments.Skip(skip));
    }

    public static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
