using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Common.Models;

/// <summary>Which way a keyset page runs over the row id.</summary>
public enum PageOrder
{
    /// <summary>Oldest first: a page holds the ids above the cursor.</summary>
    Ascending,

    /// <summary>
    /// Newest first: a page holds the ids below the cursor, so rows stored while someone pages (higher ids) never
    /// shift the pages still to come.
    /// </summary>
    Descending,
}

/// <summary>
/// The one keyset paging of the hub's listings: rows after the opaque <see cref="Cursor"/> (the last id of the previous
/// page) in id order, one more row than asked for to learn whether another page follows, and the next cursor.
/// </summary>
public static class CursorPaging
{
    /// <summary>The page size when the caller names none.</summary>
    public const int DefaultLimit = 50;

    /// <param name="rows">The filtered rows (not yet ordered).</param>
    /// <param name="id">The row's id, the paging key (unique, stable).</param>
    /// <param name="order">Which way the pages run.</param>
    /// <param name="cursor">The cursor of the previous page's answer, or null for the first page; validated upstream.</param>
    /// <param name="limit">The page size, or null for <see cref="DefaultLimit"/>.</param>
    /// <param name="map">Turns a row into the item the caller answers with.</param>
    public static async Task<Page<TItem>> ToPageAsync<TRow, TItem>(
        this IQueryable<TRow> rows,
        Expression<Func<TRow, long>> id,
        PageOrder order,
        string? cursor,
        int? limit,
        Func<TRow, TItem> map,
        CancellationToken cancellationToken)
    {
        var size = limit ?? DefaultLimit;
        if (Cursor.TryDecode(cursor, out var lastId))
        {
            rows = rows.Where(Beyond(id, order, lastId));
        }

        var ordered = order == PageOrder.Ascending ? rows.OrderBy(id) : rows.OrderByDescending(id);
        var page = await ordered.Take(size + 1).ToListAsync(cancellationToken);
        var items = page.Take(size).Select(map).ToList();
        var next = page.Count > size ? Cursor.Encode(id.Compile(preferInterpretation: true)(page[size - 1])) : null;
        return new Page<TItem>(items, next);
    }

    /// <summary><c>row => id(row) &gt; lastId</c> (or <c>&lt;</c>), with the id a query parameter, not a literal in the SQL.</summary>
    private static Expression<Func<TRow, bool>> Beyond<TRow>(Expression<Func<TRow, long>> id, PageOrder order, long lastId)
    {
        var bound = Expression.Property(Expression.Constant(new Bound(lastId)), nameof(Bound.LastId));
        var comparison = order == PageOrder.Ascending
            ? Expression.GreaterThan(id.Body, bound)
            : Expression.LessThan(id.Body, bound);
        return Expression.Lambda<Func<TRow, bool>>(comparison, id.Parameters);
    }

    // A member read off a constant is what EF Core turns into a parameter (as it does for a captured local).
    private sealed record Bound(long LastId);
}
