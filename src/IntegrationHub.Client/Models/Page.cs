namespace IntegrationHub.Client.Models;

/// <summary>One page of a cursor-paged listing of the hub.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page, in the listing's order.</param>
/// <param name="NextCursor">Pass it as <c>cursor</c> to get the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
