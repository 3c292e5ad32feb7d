using FluentValidation;
using NetArchTest.Rules;

namespace IntegrationHub.Architecture.Tests;

/// <summary>Requests are public sealed records; handlers and validators are internal sealed (docs/conventions.md, section 2).</summary>
public sealed class ApplicationConventionTests
{
    [Fact]
    public void Handlers_WhenInspected_ShouldBeInternalAndSealed()
    {
        // Arrange
        var handlers = Types.InAssembly(Layers.Application)
            .That().ResideInNamespaceStartingWith(Layers.ApplicationNamespace)
            .And().AreClasses()
            .And().HaveNameEndingWith("Handler");

        // Act
        var result = handlers.Should().NotBePublic().And().BeSealed().GetResult();

        // Assert
        handlers.GetTypes().Count().ShouldBeGreaterThanOrEqualTo(10);
        result.ShouldPass();
    }

    [Fact]
    public void MediatorHandlers_WhenInspected_ShouldBeInternalSealedAndNamedAfterTheirRequest()
    {
        // Arrange
        var handlers = ApplicationTypes().Where(t => HandledMessage(t) is not null).ToList();

        // Act
        var offenders = handlers
            .Where(t => t.IsPublic || t.IsNestedPublic || !t.IsSealed || t.Name != HandledMessage(t)!.Name + "Handler")
            .Select(t => t.FullName)
            .ToList();

        // Assert
        handlers.Count.ShouldBeGreaterThanOrEqualTo(10);
        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void Validators_WhenInspected_ShouldBeInternalSealedAndNamedAfterTheirRequest()
    {
        // Arrange
        var validators = ApplicationTypes().Where(t => ValidatedMessage(t) is not null).ToList();
        var byName = Types.InAssembly(Layers.Application)
            .That().ResideInNamespaceStartingWith(Layers.ApplicationNamespace)
            .And().HaveNameEndingWith("Validator");

        // Act
        var offenders = validators
            .Where(t => t.IsPublic || t.IsNestedPublic || !t.IsSealed || t.Name != ValidatedMessage(t)!.Name + "Validator")
            .Select(t => t.FullName)
            .ToList();
        var result = byName.Should().NotBePublic().And().BeSealed().GetResult();

        // Assert
        validators.Count.ShouldBeGreaterThanOrEqualTo(8);
        offenders.ShouldBeEmpty();
        result.ShouldPass();
    }

    [Fact]
    public void Requests_WhenNamedCommandOrQuery_ShouldBePublicSealedRecords()
    {
        // Arrange
        var requests = Types.InAssembly(Layers.Application)
            .That().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().HaveNameEndingWith("Command")
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().HaveNameEndingWith("Query");

        // Act
        var result = requests.Should().BePublic().And().BeSealed().GetResult();
        var notRecords = requests.GetTypes().Where(t => !IsRecord(t)).Select(t => t.FullName).ToList();

        // Assert
        requests.GetTypes().Count().ShouldBeGreaterThanOrEqualTo(10);
        result.ShouldPass();
        notRecords.ShouldBeEmpty();
    }

    [Fact]
    public void Requests_WhenTheyAreMediatorMessages_ShouldBeNamedCommandOrQuery()
    {
        // Arrange
        var messages = ApplicationTypes().Where(t => t.GetInterfaces().Any(IsMediatorMessage)).ToList();

        // Act
        var misnamed = messages
            .Where(t => !(t.Name.EndsWith("Command", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();

        // Assert
        messages.Count.ShouldBeGreaterThanOrEqualTo(10);
        misnamed.ShouldBeEmpty();
    }

    private static IEnumerable<Type> ApplicationTypes() =>
        Layers.Application.GetTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false }
            && t.Namespace?.StartsWith(Layers.ApplicationNamespace, StringComparison.Ordinal) == true
            && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false));

    /// <summary>The request type of a Mediator handler (ICommandHandler, IQueryHandler, IRequestHandler…), else null.</summary>
    private static Type? HandledMessage(Type type) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && i.Namespace == "Mediator" && i.Name.Contains("Handler", StringComparison.Ordinal))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault();

    private static Type? ValidatedMessage(Type type) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault();

    private static bool IsMediatorMessage(Type i) =>
        i.Namespace == "Mediator" && !i.Name.Contains("Handler", StringComparison.Ordinal) && (i.Name.StartsWith("ICommand", StringComparison.Ordinal)
            || i.Name.StartsWith("IQuery", StringComparison.Ordinal)
            || i.Name.StartsWith("IRequest", StringComparison.Ordinal)
            || i.Name.StartsWith("IStream", StringComparison.Ordinal));

    /// <summary>Records carry a compiler-generated <c>&lt;Clone&gt;$</c> method.</summary>
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;
}
