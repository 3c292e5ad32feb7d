using System.Reflection;
using System.Text.Json;
using IntegrationHub.Application.Events.AcceptEventBatch;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.SqlServer.StatementTests.Capture;
using Mediator;

namespace IntegrationHub.SqlServer.StatementTests.Hub;

/// <summary>
/// Every use case of the Application layer (each Mediator command and query type in its assembly, found by reflection,
/// so a new use case is picked up without touching this file), built twice: <see cref="Sparse"/> leaves every optional
/// member unset (the broadest query), <see cref="Full"/> sets every member (each filter's shape). Values pass the
/// validators: ids in the hub's formats, a webhook body that is a JSON object, a known event type.
/// </summary>
public static class UseCaseRequests
{
    private const string WebhookBody = """{"userId":"userid-1","integrationId":"integrationid-1","success":true}""";

    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly JsonElement EventData = JsonElement.Parse("""{"ticketId":"T-1"}""");

    private static readonly Dictionary<string, object?> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TenantId"] = "capture-tenant-1",
        ["EndpointId"] = "ep_capture1",
        ["MessageId"] = "msg_capture1",
        ["InstallationId"] = "installationid-1",
        ["IntegrationId"] = "integrationid-1",
        ["Url"] = "https://hooks.example.com/endpoint",
        ["Body"] = WebhookBody,
        ["Cursor"] = null, // only a cursor the API returned is valid
        ["EventTypes"] = WebhookEventTypes.All.Take(1).ToList(),
        ["AccountIds"] = new List<long> { 1, 2 },
        ["EventId"] = "evt_capture00000000000000001",
        ["Event"] = "event-1", // the capture's Alloy lists it
        ["Data"] = (JsonElement?)EventData.Clone(),
        ["IdempotencyKey"] = "capture-key-1",
        ["Events"] = new List<EventBatchItem?> { new("capture-tenant-1", "event-1", EventData.Clone(), "capture-key-2") },
    };

    /// <summary>The request types: public, concrete, and a Mediator message.</summary>
    public static IReadOnlyList<Type> Types { get; } = typeof(Application.DependencyInjection).Assembly.GetExportedTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false } && typeof(IMessage).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static object Sparse(Type type) => Build(type, sparse: true);

    public static object Full(Type type) => Build(type, sparse: false);

    private static object Build(Type type, bool sparse)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = constructor.GetParameters();
        var request = constructor.Invoke(parameters.Select(p => Argument(p, sparse)).ToArray());

        // Members outside the constructor (init-only, set by the endpoint from the route): the validator's required ones.
        foreach (var property in type.GetProperties().Where(p => p.CanWrite && parameters.All(a => a.Name != p.Name)))
        {
            if (IsRequiredByValidator(property.Name) && ByName.TryGetValue(property.Name, out var value))
            {
                property.SetValue(request, value);
            }
        }

        return request;
    }

    private static object? Argument(ParameterInfo parameter, bool sparse)
    {
        var name = parameter.Name!;
        if (ByName.TryGetValue(name, out var known) && !(sparse && IsOptional(parameter)))
        {
            return known;
        }

        if (sparse && IsOptional(parameter))
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        if (parameter.ParameterType == typeof(bool))
        {
            return true; // the non-default branch (AtStartup and the like)
        }

        return ResultFabricator.SampleOf(parameter.ParameterType, name) ?? throw new NotSupportedException(
            $"{parameter.Member.DeclaringType?.Name}: no sample value for parameter {name} ({parameter.ParameterType}); add one to {nameof(UseCaseRequests)}.{nameof(ByName)}.");
    }

    private static bool IsOptional(ParameterInfo parameter) =>
        !IsRequiredByValidator(parameter.Name!)
        && (parameter.HasDefaultValue
            || Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            || (!parameter.ParameterType.IsValueType && Nullability.Create(parameter).WriteState == NullabilityState.Nullable));

    // Nullable in the record (an endpoint answers a missing value with a 400), but required by the validator.
    private static bool IsRequiredByValidator(string name) =>
        name is "EndpointId" or "MessageId" or "Url" or "Body" or "ExecutionId" or "AlloyUserId" or "Since" or "Data" or "Events";
}
