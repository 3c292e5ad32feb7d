namespace IntegrationHub.AlloySandbox.Catalog;

internal sealed record CatalogField(string Name, string DisplayName, string Type, bool Required);

internal sealed record CatalogConnector(string Name, string Id, string Connector, string Icon, string Subtitle);

/// <summary>A parent workflow with the configuration form its installation asks for (one block).</summary>
internal sealed record CatalogWorkflow(
    string WorkflowId,
    string IntegrationId,
    string Name,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<CatalogConnector> Connectors,
    string FormApp,
    string FormBlockId,
    IReadOnlyList<CatalogField> FormFields);

internal sealed record CatalogIntegration(
    string IntegrationId,
    string App,
    string Description,
    string Icon,
    IReadOnlyList<string> Credentials,
    IReadOnlyList<CatalogWorkflow> Workflows);

/// <summary>
/// The integrations an ISV would have built in Alloy's dashboard. Ids are fixed so that they are the same in
/// every environment, every run and every process.
/// </summary>
internal static class IntegrationCatalog
{
    public const string ShopifyId = "65f1a0c2e4b0a1b2c3d4e501";
    public const string SalesforceId = "65f1a0c2e4b0a1b2c3d4e502";
    public const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";

    private static readonly DateTimeOffset Created = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Updated = new(2024, 6, 14, 15, 30, 0, TimeSpan.Zero);

    public static IReadOnlyList<CatalogIntegration> All { get; } =
    [
        new(
            ShopifyId,
            "Shopify",
            "Sync orders and customers from your Shopify store.",
            "https://cdn.runalloy.com/icons/shopify.png",
            ["shopifyApi"],
            [
                new(
                    "65f1a0c2e4b0a1b2c3d4e511", ShopifyId, "Sync new orders", 3, Created, Updated,
                    [
                        Connector("On new order", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d01", "shopify", "Trigger"),
                        Connector("Send to your app", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d02", "webhook", "Action"),
                    ],
                    "shopifyApi",
                    "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e01",
                    [
                        new("shopSubdomain", "Shop subdomain", "string", true),
                        new("orderStatus", "Order status to sync", "select", false),
                    ]),
                new(
                    "65f1a0c2e4b0a1b2c3d4e512", ShopifyId, "Sync customers", 1, Created, Updated,
                    [
                        Connector("On new customer", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d03", "shopify", "Trigger"),
                        Connector("Send to your app", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d04", "webhook", "Action"),
                    ],
                    "shopifyApi",
                    "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e02",
                    [new("customerTag", "Customer tag", "string", false)]),
            ]),
        new(
            SalesforceId,
            "Salesforce",
            "Create Salesforce leads and keep contacts in sync.",
            "https://cdn.runalloy.com/icons/salesforce.png",
            ["salesforce"],
            [
                new(
                    "65f1a0c2e4b0a1b2c3d4e521", SalesforceId, "Create leads", 2, Created, Updated,
                    [
                        Connector("On custom event", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d11", "customEvent", "Trigger"),
                        Connector("Create lead", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d12", "salesforce", "Action"),
                    ],
                    "salesforce",
                    "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e11",
                    [
                        new("leadSource", "Lead source", "string", true),
                        new("ownerId", "Lead owner", "select", false),
                    ]),
                new(
                    "65f1a0c2e4b0a1b2c3d4e522", SalesforceId, "Sync contacts", 1, Created, Updated,
                    [
                        Connector("Every hour", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d13", "schedule", "Trigger"),
                        Connector("Find contacts", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d14", "salesforce", "Action"),
                    ],
                    "salesforce",
                    "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e12",
                    [new("contactFilter", "Contact filter (SOQL)", "string", false)]),
            ]),
        new(
            SlackId,
            "Slack",
            "Post notifications to a Slack channel.",
            "https://cdn.runalloy.com/icons/slack.png",
            ["slack"],
            [
                new(
                    "65f1a0c2e4b0a1b2c3d4e531", SlackId, "Post notifications", 1, Created, Updated,
                    [
                        Connector("On webhook", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d21", "webhook", "Trigger"),
                        Connector("Send message", "9b0f7c1e-2a44-4c1e-8f0e-1d2a3b4c5d22", "slack", "Action"),
                    ],
                    "slack",
                    "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e21",
                    [new("channel", "Channel", "string", true)]),
            ]),
    ];

    /// <summary>By id, or by name (<c>app</c>, case-insensitive), as I2 accepts both.</summary>
    public static CatalogIntegration? FindIntegration(string idOrName) =>
        All.FirstOrDefault(i => string.Equals(i.IntegrationId, idOrName, StringComparison.Ordinal))
        ?? All.FirstOrDefault(i => string.Equals(i.App, idOrName, StringComparison.OrdinalIgnoreCase));

    public static CatalogWorkflow? FindWorkflow(string workflowId) =>
        All.SelectMany(i => i.Workflows).FirstOrDefault(w => string.Equals(w.WorkflowId, workflowId, StringComparison.Ordinal));

    public static CatalogWorkflow? FindWorkflowByName(string name) =>
        All.SelectMany(i => i.Workflows).FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));

    private static CatalogConnector Connector(string name, string id, string connector, string subtitle) =>
        new(name, id, connector, $"https://cdn.runalloy.com/icons/{connector}.png", subtitle);
}
