using System.Reflection;

namespace IntegrationHub.Architecture.Tests;

/// <summary>The assemblies under test, each found through a type that lives in it.</summary>
internal static class Layers
{
    public const string DomainNamespace = "IntegrationHub.Domain";
    public const string ApplicationNamespace = "IntegrationHub.Application";
    public const string InfrastructureNamespace = "IntegrationHub.Infrastructure";
    public const string WebApiNamespace = "IntegrationHub.WebApi";
    public const string AlloySandboxNamespace = "IntegrationHub.AlloySandbox";

    public static readonly Assembly Domain = typeof(Domain.Tenants.Tenant).Assembly;
    public static readonly Assembly Application = typeof(Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(Infrastructure.DependencyInjection).Assembly;
    public static readonly Assembly WebApi = typeof(Program).Assembly;
    public static readonly Assembly AlloySandbox = typeof(AlloySandbox.SandboxDefaults).Assembly;

    public static Assembly ByName(string name) => name switch
    {
        nameof(Domain) => Domain,
        nameof(Application) => Application,
        nameof(Infrastructure) => Infrastructure,
        nameof(WebApi) => WebApi,
        nameof(AlloySandbox) => AlloySandbox,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
