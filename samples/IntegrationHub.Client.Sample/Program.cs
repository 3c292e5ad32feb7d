// The five most common calls of IntegrationHub.Client, as a SaaS backend makes them.
//
//   INTEGRATIONHUB_URL=https://hub.example.com/ INTEGRATIONHUB_SERVICE_KEY=... dotnet run -- run <tenantId> <eventName>
//       signs the tenant up, waits until it is provisioned, sends an event, lists its installations;
//   dotnet run -- verify <whsec_secret> <webhook-id> <webhook-timestamp> "<webhook-signature>" <body-file>
//       verifies a webhook the hub delivered (headers and raw body as received) and prints what it carries.
using System.Text.Json;
using IntegrationHub.Client;
using IntegrationHub.Client.Webhooks;
using Microsoft.Extensions.DependencyInjection;

return args switch
{
    ["run", var tenantId, var eventName] => await RunAsync(tenantId, eventName),
    ["verify", var secret, var id, var timestamp, var signature, var bodyFile] => Verify(secret, id, timestamp, signature, await File.ReadAllTextAsync(bodyFile)),
    _ => Usage(),
};

static async Task<int> RunAsync(string tenantId, string eventName)
{
    // Configure: the hub's address and a service key (X-Api-Key), from the environment (never from source).
    var services = new ServiceCollection();
    services.AddIntegrationHubClient(options =>
    {
        options.BaseAddress = new Uri(Environment.GetEnvironmentVariable("INTEGRATIONHUB_URL") ?? "http://localhost:5080/");
        options.ServiceKey = Environment.GetEnvironmentVariable("INTEGRATIONHUB_SERVICE_KEY");
    });
    await using var provider = services.BuildServiceProvider();
    var hub = provider.GetRequiredService<IIntegrationHubClient>();
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    var ct = timeout.Token;

    try
    {
        // 1. Sign the tenant up: 202 the first time, 200 (Created = false) when it already exists with this name.
        var signup = await hub.SignUpAsync(tenantId, $"Tenant {tenantId}", ct);
        Console.WriteLine($"Signed up {signup.Tenant.TenantId} (created: {signup.Created})");

        // 2. Wait until its Alloy user is provisioned (or provisioning failed).
        var tenant = await hub.WaitUntilProvisionedAsync(tenantId, cancellationToken: ct);
        Console.WriteLine($"Provisioning: {tenant.Alloy?.State} (Alloy user {tenant.Alloy?.UserId})");

        // 3. Send an event; the idempotency key makes the call safe to retry.
        var data = JsonSerializer.SerializeToElement(new { orderId = 42, total = 99.5 });
        var sent = await hub.SendEventAsync(tenantId, eventName, data, idempotencyKey: $"{tenantId}-order-42", ct);
        Console.WriteLine($"Event {sent.Event.EventId}: {sent.Event.Status}");

        // 4. List its installations.
        var installations = await hub.GetInstallationsAsync(tenantId, ct);
        foreach (var installation in installations.Items)
        {
            Console.WriteLine($"Installed {installation.IntegrationName} ({installation.InstallationId}), enabled: {installation.Enabled}");
        }

        return 0;
    }
    catch (IntegrationHubProblemException problem) when (problem.IsProvisioningPending)
    {
        Console.Error.WriteLine($"Still provisioning; retry after {problem.RetryAfter}.");
        return 2;
    }
    catch (IntegrationHubProblemException problem)
    {
        Console.Error.WriteLine($"{problem.Status} {problem.Slug}: {problem.Detail}");
        foreach (var (field, messages) in problem.Errors)
        {
            Console.Error.WriteLine($"  {field}: {string.Join(" ", messages)}");
        }

        if (problem.KnownEvents.Count > 0)
        {
            Console.Error.WriteLine($"  known events: {string.Join(", ", problem.KnownEvents)}");
        }

        return 1;
    }
    catch (HttpRequestException unreachable)
    {
        // The hub did not answer (after the retries the resilience handler allows for requests safe to repeat).
        Console.Error.WriteLine($"The hub could not be reached: {unreachable.Message}");
        return 3;
    }
}

static int Verify(string secret, string id, string timestamp, string signature, string body)
{
    // 5. Verify a webhook: signature (any of several), timestamp within 5 minutes, then the typed data.
    var verifier = new IntegrationHubWebhookVerifier(secret);
    try
    {
        var webhook = verifier.Verify(id, timestamp, signature, body);
        Console.WriteLine($"Verified {webhook.Id}: {webhook.Type} sent at {webhook.SentAt:O}");
        if (webhook.AsTenant() is { } tenant)
        {
            Console.WriteLine($"Tenant {tenant.TenantId}: {tenant.Alloy?.State}");
        }
        else if (webhook.AsInstallation() is { } installation)
        {
            Console.WriteLine($"Installation {installation.InstallationId} of {installation.TenantId}: enabled {installation.Enabled}");
        }
        else if (webhook.AsIntegrationError() is { } error)
        {
            Console.WriteLine($"Workflow {error.WorkflowId} of {error.TenantId} failed: {error.ErrorMessage}");
        }
        else if (webhook.AsEventFailed() is { } failed)
        {
            Console.WriteLine($"Event {failed.EventId} ({failed.Event}) of {failed.TenantId} failed after {failed.Attempts} attempts: {failed.LastError}");
        }

        return 0;
    }
    catch (WebhookVerificationException refused)
    {
        Console.Error.WriteLine($"Refused: {refused.Message}");
        return 1;
    }
}

static int Usage()
{
    Console.Error.WriteLine("usage: run <tenantId> <eventName> | verify <secret> <webhook-id> <webhook-timestamp> <webhook-signature> <body-file>");
    return 64;
}
