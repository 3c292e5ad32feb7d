using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Faults;
using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>
/// The sandbox's own JSON settings (camelCase, Alloy's wire format), used for every body it reads or writes,
/// so that a host's JSON options never change what the sandbox puts on the wire.
/// </summary>
internal static class SandboxJson
{
    public static JsonSerializerOptions Options { get; } = Create(writeIndented: false);

    public static JsonSerializerOptions StateFileOptions { get; } = Create(writeIndented: true);

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(bool writeIndented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = writeIndented,
            // An API, not HTML: write ' and < as they are, as Alloy's Node servers do.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(SandboxJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(AlloyInstallationWebhookBody))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(ActivatedResponse))]
[JsonSerializable(typeof(DeactivatedResponse))]
[JsonSerializable(typeof(UserInput))]
[JsonSerializable(typeof(BatchUsersRequest))]
[JsonSerializable(typeof(UserIdResponse))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<UserResponse>>))]
[JsonSerializable(typeof(BatchUsersResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<IntegrationResponse>>))]
[JsonSerializable(typeof(DataResponse<IntegrationResponse>))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<WorkflowResponse>>))]
[JsonSerializable(typeof(DataResponse<WorkflowResponse>))]
[JsonSerializable(typeof(WorkflowActivationRequest))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<InstallationResponse>>))]
[JsonSerializable(typeof(DataResponse<InstallationResponse>))]
[JsonSerializable(typeof(StartInstallationRequest))]
[JsonSerializable(typeof(StartInstallationResponse))]
[JsonSerializable(typeof(CompleteInstallationRequest))]
[JsonSerializable(typeof(CreateCredentialRequest))]
[JsonSerializable(typeof(CreateCredentialResponse))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<CredentialResponse>>))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<CustomEventResponse>>))]
[JsonSerializable(typeof(RunEventRequest))]
[JsonSerializable(typeof(ReceivedEventsResponse))]
[JsonSerializable(typeof(DataResponse<IReadOnlyList<SandboxUserResponse>>))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(HelloResponse))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(GateSettings))]
[JsonSerializable(typeof(GateStatus))]
[JsonSerializable(typeof(EmitErrorWebhookRequest))]
[JsonSerializable(typeof(EmitErrorWebhookResponse))]
[JsonSerializable(typeof(AlloyErrorRecord))]
[JsonSerializable(typeof(ModalInstallRequest))]
[JsonSerializable(typeof(ModalInstallResponse))]
[JsonSerializable(typeof(ModalCredentialRequest))]
[JsonSerializable(typeof(StoredState))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
