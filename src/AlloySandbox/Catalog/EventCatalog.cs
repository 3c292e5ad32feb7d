using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Catalog;

/// <summary>A custom event as E1 lists it: its name, what it means, and an example payload.</summary>
internal sealed record CatalogEvent(string Name, string Description, JsonElement Body);

/// <summary>
/// The custom events an ISV would have defined in Alloy's dashboard (E1), the same in every environment: what a
/// SaaS sends through E2 to start its users' workflows. The bodies are example payloads, as Alloy shows them.
/// </summary>
internal static class EventCatalog
{
    public static IReadOnlyList<CatalogEvent> All { get; } =
    [
        Event(
            "ticket.created",
            "A support ticket was opened in your app.",
            """{"ticketId":"TCK-1042","subject":"Cannot export my invoices","priority":"high","requesterEmail":"ana@example.com"}"""),
        Event(
            "invoice.paid",
            "A customer paid an invoice.",
            """{"invoiceId":"INV-2024-0087","amount":129.5,"currency":"EUR","paidAt":"2024-06-14T15:30:00.000Z"}"""),
        Event(
            "customer.signed_up",
            "A new customer created an account.",
            """{"customerId":"cus_8f2k1","email":"ana@example.com","plan":"pro"}"""),
    ];

    /// <summary>The event with this exact name (names are case-sensitive, as they are keys of workflow triggers).</summary>
    public static CatalogEvent? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    private static CatalogEvent Event(string name, string description, string body)
    {
        using var document = JsonDocument.Parse(body);
        return new CatalogEvent(name, description, document.RootElement.Clone());
    }
}
