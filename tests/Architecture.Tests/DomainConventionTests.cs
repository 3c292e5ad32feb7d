using System.Reflection;

namespace IntegrationHub.Architecture.Tests;

/// <summary>Aggregates guard their invariants: no public setters, no public constructors (docs/conventions.md, section 4).</summary>
public sealed class DomainConventionTests
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Fact]
    public void Entities_WhenInspected_ShouldHaveNoPublicSetters()
    {
        // Arrange
        var entities = Entities();

        // Act
        var settable = entities
            .SelectMany(t => t.GetProperties(Declared).Where(p => p.SetMethod is { } set && (set.IsPublic || set.IsFamily || set.IsFamilyOrAssembly)))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();

        // Assert
        entities.Count.ShouldBeGreaterThanOrEqualTo(4);
        settable.ShouldBeEmpty();
    }

    [Fact]
    public void Entities_WhenInspected_ShouldHaveNoPublicConstructors()
    {
        // Arrange
        var entities = Entities();

        // Act
        var constructible = entities.Where(t => t.GetConstructors(BindingFlags.Instance | BindingFlags.Public).Length > 0).Select(t => t.Name).ToList();

        // Assert
        constructible.ShouldBeEmpty();
    }

    [Fact]
    public void Entities_WhenInspected_ShouldBeSealed()
    {
        // Arrange (NetArchTest 1.3.2's HaveName(string[]) selects nothing when given several names, so a
        // NetArchTest version of this rule passed vacuously; plain reflection it is)
        var entities = Entities();

        // Act
        var unsealed = entities.Where(t => !t.IsSealed).Select(t => t.Name).ToList();

        // Assert
        entities.Count.ShouldBeGreaterThanOrEqualTo(4);
        unsealed.ShouldBeEmpty();
    }

    /// <summary>Entities: Domain classes (not records) with an <c>Id</c>, i.e. rows with an identity.</summary>
    private static List<Type> Entities() =>
        Layers.Domain.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                && t.Namespace?.StartsWith(Layers.DomainNamespace, StringComparison.Ordinal) == true
                && t.GetMethod("<Clone>$") is null
                && t.GetProperty("Id", BindingFlags.Instance | BindingFlags.Public) is not null)
            .ToList();
}
