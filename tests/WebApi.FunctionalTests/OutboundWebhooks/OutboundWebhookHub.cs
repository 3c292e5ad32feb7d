using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>
/// A hub whose webhooks may reach 127.0.0.1 (<c>Webhooks:AllowPrivateNetworks=true</c>), with a fast retry schedule,
/// the in-process sandbox, a real receiver, and a save fault that can be armed for the outbox's atomicity test.
/// </summary>
public sealed class OutboundWebhookHub : IAsyncLifetime
{
    public const string FaultTenantPrefix = "atomic-";

    public ConfiguredHub Hub { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public SaveFault Fault { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        using var alloySigningKey = RSA.Create(2048);
        Hub = new ConfiguredHub(
            new Dictionary<string, string?>
            {
                ["Alloy:Sandbox"] = "true",
                ["AlloyWebhooks:PublicKeyPem"] = alloySigningKey.ExportSubjectPublicKeyInfoPem(),
                ["AlloySandbox:Webhooks:PrivateKeyPem"] = alloySigningKey.ExportPkcs8PrivateKeyPem(),
                ["AlloySandbox:Webhooks:ErrorUrl"] = "/api/webhooks/alloy/errors",
                ["Webhooks:AllowPrivateNetworks"] = "true",
                ["Webhooks:RetrySchedule"] = "00:00:00.100,00:00:00.100,00:00:00.100,00:00:00.100",
                ["Hangfire:SchedulePollingInterval"] = "00:00:00.100",
            },
            services: services => services.ConfigureDbContext<SqliteHubDbContext>(o => o.AddInterceptors(Fault)));
        await ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public HttpClient Admin() => Hub.CreateClient(HubFactory.AdminKey);

    public HttpClient Service() => Hub.CreateClient(HubFactory.ServiceKey);

    public static async Task<JsonElement> CreateEndpointAsync(HttpClient admin, string url, params string[] eventTypes)
    {
        using var response = await admin.PostAsJsonAsync("/api/admin/webhook-endpoints", new { url, description = "test receiver", eventTypes }, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> SignUpAsync(string prefix)
    {
        var tenantId = HubApi.NewTenantId(prefix);
        using var client = Service();
        using var response = await client.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Webhook Receiver Ltd" }, TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBeInRange(200, 299, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return tenantId;
    }

    /// <summary>Waits until the receiver has <paramref name="count"/> requests on <paramref name="path"/> about the tenant.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string path, string tenantId, int count = 1, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            _ => Task.FromResult<IReadOnlyList<ReceivedWebhook>>(Receiver.Received(path).Where(r => r.Body.Contains(tenantId, StringComparison.Ordinal)).ToList()),
            received => received.Count >= count,
            $"{count} webhook(s) about {tenantId} at {path}",
            timeout);

    public async Task<JsonElement> DeliveriesAsync(string endpointId)
    {
        using var admin = Admin();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhook-endpoints/{endpointId}/deliveries", TestContext.Current.CancellationToken);
    }

    public async Task DeleteEndpointAsync(string endpointId)
    {
        using var admin = Admin();
        (await admin.DeleteAsync($"/api/admin/webhook-endpoints/{endpointId}", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    /// <summary>The stored messages whose body mentions <paramref name="text"/>, read straight from the database.</summary>
    public async Task<int> StoredMessagesAsync(string text)
    {
        await using var connection = new SqliteConnection($"Data Source={Hub.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM WebhookMessages WHERE instr(Body, $text) > 0";
        command.Parameters.AddWithValue("$text", text);
        return Convert.ToInt32(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Fails every save that would store a webhook about a tenant whose id starts with <see cref="FaultTenantPrefix"/>.</summary>
    public sealed class SaveFault : SaveChangesInterceptor
    {
        private int _thrown;

        public int Thrown => _thrown;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var doomed = eventData.Context?.ChangeTracker.Entries<WebhookMessage>()
                .Any(e => e.State == EntityState.Added && e.Entity.Body.Contains($"\"tenantId\":\"{FaultTenantPrefix}", StringComparison.Ordinal)) ?? false;
            if (doomed)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("Injected save failure (outbox atomicity test).");
            }

            return ValueTask.FromResult(result);
        }
    }
}
