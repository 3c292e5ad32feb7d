using System.Reflection;
using NetArchTest.Rules;

namespace IntegrationHub.Architecture.Tests;

/// <summary>Domain ← Application ← Infrastructure ← WebApi; the sandbox is reachable from WebApi only (docs/conventions.md, section 1).</summary>
public sealed class LayerTests
{
    /// <summary>Packages the Domain must not know, by the namespaces their types live in.</summary>
    private static readonly string[] DomainForbiddenPackages =
    [
        "Microsoft.EntityFrameworkCore",
        "Mediator",
        "FluentValidation",
        "Refit",
        "Hangfire",
        "Microsoft.AspNetCore",
        "Microsoft.Extensions",
        "Serilog",
        "Polly",
    ];

    private static readonly string[] ApplicationForbidden =
    [
        Layers.InfrastructureNamespace,
        Layers.WebApiNamespace,
        Layers.AlloySandboxNamespace,
        "Refit",
        "Hangfire",
        "Microsoft.AspNetCore",
        "Microsoft.EntityFrameworkCore.Sqlite",
        "Microsoft.EntityFrameworkCore.SqlServer",
        "Microsoft.Data.Sqlite",
        "Microsoft.Data.SqlClient",
        "Polly",
        "Serilog",
    ];

    /// <summary>Assemblies the Application must not reference (provider extensions live in namespace Microsoft.EntityFrameworkCore, so namespaces alone cannot tell).</summary>
    private static readonly string[] ApplicationForbiddenAssemblies =
    [
        "IntegrationHub.Infrastructure",
        "IntegrationHub.WebApi",
        "IntegrationHub.AlloySandbox",
        "Refit",
        "Hangfire.Core",
        "Microsoft.EntityFrameworkCore.Sqlite",
        "Microsoft.EntityFrameworkCore.SqlServer",
        "Microsoft.EntityFrameworkCore.Relational",
        "Microsoft.Data.Sqlite",
        "Microsoft.Data.SqlClient",
    ];

    [Theory]
    [InlineData(nameof(Layers.Domain), "IntegrationHub.Domain")]
    [InlineData(nameof(Layers.Application), "IntegrationHub.Application")]
    [InlineData(nameof(Layers.Infrastructure), "IntegrationHub.Infrastructure")]
    [InlineData(nameof(Layers.WebApi), "IntegrationHub.WebApi")]
    [InlineData(nameof(Layers.AlloySandbox), "IntegrationHub.AlloySandbox")]
    public void Layers_WhenLoaded_ShouldBeTheAssemblyTheRulesAreAbout(string layer, string expectedAssembly)
    {
        // Arrange
        var assembly = Layers.ByName(layer);

        // Act
        var name = assembly.GetName().Name;

        // Assert
        name.ShouldBe(expectedAssembly);
        Types.InAssembly(assembly).GetTypes().ShouldNotBeEmpty();
    }

    [Fact]
    public void Domain_WhenInspected_ShouldNotDependOnAnyOtherLayer()
    {
        // Arrange
        var types = Types.InAssembly(Layers.Domain);

        // Act
        var result = types.ShouldNot()
            .HaveDependencyOnAny(Layers.ApplicationNamespace, Layers.InfrastructureNamespace, Layers.WebApiNamespace, Layers.AlloySandboxNamespace)
            .GetResult();

        // Assert
        result.ShouldPass();
    }

    [Fact]
    public void Domain_WhenInspected_ShouldNotDependOnPackages()
    {
        // Arrange
        var types = Types.InAssembly(Layers.Domain);

        // Act
        var result = types.ShouldNot().HaveDependencyOnAny(DomainForbiddenPackages).GetResult();

        // Assert
        result.ShouldPass();
    }

    [Fact]
    public void Domain_WhenInspected_ShouldReferenceOnlyTheBaseClassLibrary()
    {
        // Arrange
        var assembly = Layers.Domain;

        // Act
        var references = NonFrameworkReferences(assembly);

        // Assert
        references.ShouldBeEmpty();
    }

    [Fact]
    public void Application_WhenInspected_ShouldNotDependOnOuterLayersOrAdapterPackages()
    {
        // Arrange
        var types = Types.InAssembly(Layers.Application);

        // Act
        var result = types.ShouldNot().HaveDependencyOnAny(ApplicationForbidden).GetResult();

        // Assert
        result.ShouldPass();
    }

    [Fact]
    public void Application_WhenInspected_ShouldNotReferenceProviderOrAdapterAssemblies()
    {
        // Arrange
        var assembly = Layers.Application;

        // Act
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        // Assert
        references.ShouldNotContain(r => ApplicationForbiddenAssemblies.Contains(r) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || r.StartsWith("Hangfire", StringComparison.Ordinal));
    }

    [Fact]
    public void Application_WhenInspected_ShouldBeAllowedToUseEntityFrameworkCore()
    {
        // Arrange: the allowance is deliberate (IApplicationDbContext exposes DbSet); this guards the rule above
        // from being "fixed" by forbidding the whole of EF Core by accident.
        var assembly = Layers.Application;

        // Act
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        // Assert
        references.ShouldContain("Microsoft.EntityFrameworkCore");
    }

    [Fact]
    public void Infrastructure_WhenInspected_ShouldNotDependOnWebApiOrSandbox()
    {
        // Arrange
        var types = Types.InAssembly(Layers.Infrastructure);

        // Act
        var result = types.ShouldNot().HaveDependencyOnAny(Layers.WebApiNamespace, Layers.AlloySandboxNamespace).GetResult();

        // Assert
        result.ShouldPass();
    }

    [Theory]
    [InlineData(nameof(Layers.Domain))]
    [InlineData(nameof(Layers.Application))]
    [InlineData(nameof(Layers.Infrastructure))]
    public void Layer_WhenNotWebApi_ShouldNotDependOnAlloySandbox(string layer)
    {
        // Arrange
        var assembly = Layers.ByName(layer);

        // Act
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOn(Layers.AlloySandboxNamespace).GetResult();
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        // Assert
        result.ShouldPass();
        references.ShouldNotContain("IntegrationHub.AlloySandbox");
    }

    private static List<string> NonFrameworkReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n is "netstandard" or "mscorlib" || n.StartsWith("Microsoft.Win32", StringComparison.Ordinal)))
            .ToList();
}
