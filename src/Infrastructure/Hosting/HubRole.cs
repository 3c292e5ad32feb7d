using IntegrationHub.Infrastructure.Jobs;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Infrastructure.Hosting;

/// <summary>What one hub process does (<c>Hub:Role</c>). Every role runs the same binary on the same database.</summary>
public enum HubRole
{
    /// <summary>The HTTP API and background jobs: the embedded default.</summary>
    All,

    /// <summary>The HTTP API only: jobs are enqueued for worker processes, never run here (as <c>Hangfire:WorkerCount=0</c>).</summary>
    Api,

    /// <summary>
    /// Background jobs only (provisioning, reconciler, sync); HTTP serves the health endpoints and, when the embedded
    /// sandbox is on (<c>Alloy:Sandbox</c>, never in Production), the sandbox under <c>/sandbox/alloy</c>, nothing else.
    /// </summary>
    Worker,
}

/// <summary>Section <c>Hub</c>: the process role, read once at start (it decides which services and endpoints exist).</summary>
public static class HubRoles
{
    public const string RoleKey = "Hub:Role";

    public static HubRole Read(IConfiguration configuration)
    {
        var value = configuration[RoleKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return HubRole.All;
        }

        return Enum.TryParse<HubRole>(value, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new InvalidOperationException($"{RoleKey} is '{value}'; expected All, Api or Worker.");
    }

    /// <summary>Whether this process runs a Hangfire server (and so the reconciler and recurring jobs).</summary>
    public static bool RunsJobs(HubRole role, HangfireOptions options)
    {
        if (role == HubRole.Worker && options.WorkerCount is 0)
        {
            throw new InvalidOperationException(
                "Hub:Role is Worker but Hangfire:WorkerCount is 0: this process would do nothing. Give it workers, or make it an Api process.");
        }

        return role != HubRole.Api && options.WorkerCount is not 0;
    }

    /// <summary>
    /// Whether this process maps the HTTP API (tenants, admin, webhooks, problem pages, browser pages, OpenAPI, in
    /// Development Scalar and the development endpoints, and <c>/_bench</c> when enabled). The embedded sandbox does
    /// not depend on the role: when <c>Alloy:Sandbox</c> is on it is mapped in every role, because each process's own
    /// Alloy client calls it on that process's address.
    /// </summary>
    public static bool ServesApi(HubRole role) => role != HubRole.Worker;
}
