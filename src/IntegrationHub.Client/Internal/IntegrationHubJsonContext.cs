using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Client.Models;
using IntegrationHub.Client.Webhooks;

namespace IntegrationHub.Client.Internal;

/// <summary>
/// Source-generated JSON for every body the client reads or writes, as the hub writes JSON: camelCase, enums as
/// strings, nulls omitted when writing (a PATCH sends only what changes).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SignUpTenantRequest))]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(ModalToken))]
[JsonSerializable(typeof(Integrations))]
[JsonSerializable(typeof(Installations))]
[JsonSerializable(typeof(Page<IntegrationError>))]
[JsonSerializable(typeof(SendEventRequest))]
[JsonSerializable(typeof(AcceptedEvent))]
[JsonSerializable(typeof(SendEventBatchRequest))]
[JsonSerializable(typeof(SendEventBatchResult))]
[JsonSerializable(typeof(Page<EventSummary>))]
[JsonSerializable(typeof(EventSummary))]
[JsonSerializable(typeof(EventDetail))]
[JsonSerializable(typeof(Page<Tenant>))]
[JsonSerializable(typeof(Page<TenantInstallation>))]
[JsonSerializable(typeof(InstallationHistory))]
[JsonSerializable(typeof(Page<AuditEntry>))]
[JsonSerializable(typeof(Page<InstallationWebhook>))]
[JsonSerializable(typeof(CreateWebhookEndpointRequest))]
[JsonSerializable(typeof(CreatedWebhookEndpoint))]
[JsonSerializable(typeof(WebhookEndpoints))]
[JsonSerializable(typeof(WebhookEndpoint))]
[JsonSerializable(typeof(UpdateWebhookEndpointRequest))]
[JsonSerializable(typeof(RotatedWebhookSecret))]
[JsonSerializable(typeof(Page<WebhookDelivery>))]
[JsonSerializable(typeof(WebhookReplay))]
[JsonSerializable(typeof(ProblemDetailsBody))]
[JsonSerializable(typeof(WebhookEnvelope))]
[JsonSerializable(typeof(TenantWebhookData))]
[JsonSerializable(typeof(InstallationWebhookData))]
[JsonSerializable(typeof(IntegrationErrorWebhookData))]
[JsonSerializable(typeof(EventFailedWebhookData))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class IntegrationHubJsonContext : JsonSerializerContext;
