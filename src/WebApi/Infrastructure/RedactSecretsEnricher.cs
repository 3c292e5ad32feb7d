using Serilog.Core;
using Serilog.Events;

namespace IntegrationHub.WebApi.Infrastructure;

/// <summary>
/// Removes, from every log event before any sink sees it, the properties that carry credentials. HttpClient's trace
/// logging renders header values as "*" but still attaches each header as a structured property; a JSON sink would
/// write the Alloy key. Names are compared case-insensitively.
/// </summary>
public sealed class RedactSecretsEnricher : ILogEventEnricher
{
    private static readonly HashSet<string> Sensitive = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "X-Api-Key", "x-alloy-user-token", "Cookie", "Set-Cookie",
        "ApiKey", "SecondaryApiKey", "SigningKey", "Token", "AccessToken",
    };

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<string>? remove = null;
        foreach (var name in logEvent.Properties.Keys)
        {
            if (Sensitive.Contains(name))
            {
                (remove ??= []).Add(name);
            }
        }

        if (remove is null)
        {
            return;
        }

        foreach (var name in remove)
        {
            logEvent.RemovePropertyIfPresent(name);
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(name, "[redacted]"));
        }
    }
}
