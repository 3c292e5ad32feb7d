using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IntegrationHub.SqlServer.StatementTests.Capture;

/// <summary>One result set: column names (null where the select list names none) and rows.</summary>
public sealed record FabricatedResultSet(IReadOnlyList<string?> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>What a captured command answers: its result sets in order and the rows it claims to have changed.</summary>
public sealed record FabricatedResult(IReadOnlyList<FabricatedResultSet> ResultSets, int RecordsAffected);

/// <summary>
/// Answers a captured command with results shaped like SQL Server's, so that use cases go on past their reads and
/// writes: the statement is parsed (ScriptDom); a <c>SELECT</c> yields one row the first time its text is seen in the
/// current flow and none after (paging loops end), a write yields one row per <c>OUTPUT</c> clause row and counts its
/// rows as affected (optimistic concurrency checks pass). Column values are plausible for the column they come from:
/// the EF model's property of that name in a table the statement references (an enum stored as text gets a real
/// member's name, a URL a URL), or, for computed columns, a value of the type the reader is asked for.
/// </summary>
public sealed class ResultFabricator
{
    private static readonly HashSet<string> AggregateFunctions = new(["COUNT", "COUNT_BIG", "SUM", "MIN", "MAX", "AVG"], StringComparer.OrdinalIgnoreCase);

    private static readonly DateTimeOffset SampleTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IProperty>> _columnsByTable;
    private readonly AsyncLocal<ConcurrentDictionary<string, int>?> _seen = new();
    private readonly AsyncLocal<bool> _empty = new();
    private long _nextKey = 1000;

    public ResultFabricator(IModel model)
    {
        _columnsByTable = model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .GroupBy(e => e.GetTableName()!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, IProperty>)g.SelectMany(e => e.GetProperties())
                    .Select(p => (Column: p.GetColumnName(StoreObjectIdentifier.Table(g.Key, p.DeclaringType.GetSchema())), Property: p))
                    .Where(c => c.Column is not null)
                    .GroupBy(c => c.Column!, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(c => c.Key, c => c.First().Property, StringComparer.OrdinalIgnoreCase),
                StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Starts a new flow (a use case run): every query yields a row again the first time, or, with
    /// <paramref name="emptyDatabase"/>, never (the paths taken when nothing exists yet: a first signup inserts).
    /// </summary>
    public void BeginFlow(bool emptyDatabase = false)
    {
        _seen.Value = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        _empty.Value = emptyDatabase;
    }

    /// <summary>Sample value of a property as its column stores it (after the value converter).</summary>
    public static object? ProviderSample(IProperty property)
    {
        var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        object? value = clr.IsEnum ? Enum.GetValues(clr).GetValue(0) : SampleOf(clr, property.Name, property.GetMaxLength());
        var converter = property.GetTypeMapping().Converter;
        return value is not null && converter is not null ? converter.ConvertToProvider(value) : value;
    }

    /// <summary>A plausible value of <paramref name="type"/> for a column or member called <paramref name="name"/>.</summary>
    public static object? SampleOf(Type type, string? name, int? maxLength = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            var text = name switch
            {
                _ when name is null => "value-1",
                _ when name.Contains("Url", StringComparison.OrdinalIgnoreCase) => "https://hooks.example.com/endpoint",
                _ when name.Contains("Json", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("Payload", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("Body", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("Detail", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("Secrets", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("Types", StringComparison.OrdinalIgnoreCase) => "{}",
                _ => name.ToLowerInvariant() + "-1",
            };
            return maxLength is { } max && text.Length > max ? text[..max] : text;
        }

        return type switch
        {
            _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
            _ when type == typeof(bool) => true,
            _ when type == typeof(int) => 1,
            _ when type == typeof(long) => 1L,
            _ when type == typeof(short) => (short)1,
            _ when type == typeof(byte) => (byte)1,
            _ when type == typeof(decimal) => 1m,
            _ when type == typeof(double) => 1d,
            _ when type == typeof(float) => 1f,
            _ when type == typeof(Guid) => new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
            _ when type == typeof(DateTimeOffset) => SampleTime,
            _ when type == typeof(DateTime) => SampleTime.UtcDateTime,
            _ when type == typeof(TimeSpan) => TimeSpan.FromMinutes(1),
            _ when type == typeof(byte[]) => new byte[] { 0, 0, 0, 0, 0, 0, 7, 209 },
            _ => null,
        };
    }

    public FabricatedResult Answer(string commandText)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(commandText), out var errors);
        if (errors.Count > 0 || fragment is not TSqlScript script)
        {
            return new FabricatedResult([], 0);
        }

        var seen = _seen.Value ??= new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var first = seen.AddOrUpdate(commandText, 1, (_, n) => n + 1) == 1;
        var sets = new List<FabricatedResultSet>();
        var affected = 0;
        foreach (var statement in script.Batches.SelectMany(b => b.Statements))
        {
            switch (statement)
            {
                case SelectStatement select:
                    sets.Add(SelectResult(select, first && !_empty.Value));
                    break;
                case InsertStatement insert:
                    affected += Write(sets, insert.InsertSpecification.OutputClause, insert.InsertSpecification.Target, RowsOf(insert.InsertSpecification.InsertSource));
                    break;
                case UpdateStatement update:
                    affected += Write(sets, update.UpdateSpecification.OutputClause, update.UpdateSpecification.Target, 1);
                    break;
                case DeleteStatement delete:
                    affected += Write(sets, delete.DeleteSpecification.OutputClause, delete.DeleteSpecification.Target, 1);
                    break;
                case MergeStatement merge:
                    var rows = merge.MergeSpecification.TableReference is InlineDerivedTable source ? source.RowValues.Count : 1;
                    affected += Write(sets, merge.MergeSpecification.OutputClause, merge.MergeSpecification.Target, rows);
                    break;
            }
        }

        return new FabricatedResult(sets, affected);
    }

    private static int RowsOf(InsertSource source) => source is ValuesInsertSource values ? values.RowValues.Count : 1;

    private int Write(List<FabricatedResultSet> sets, OutputClause? output, TableReference target, int rows)
    {
        if (output is not null)
        {
            var table = (target as NamedTableReference)?.SchemaObject.BaseIdentifier.Value;
            var columns = output.SelectColumns.Select(NameOf).ToList();
            var values = Enumerable.Range(0, rows)
                .Select(row => columns.Select(c => c == "_Position" ? (object)row : GeneratedValue(c, table)).ToArray())
                .ToList();
            sets.Add(new FabricatedResultSet(columns, values));
        }

        return rows;
    }

    // A key the database generates (OUTPUT INSERTED.[Id]) is new for every row, as the database makes it.
    private object? GeneratedValue(string? column, string? table)
    {
        if (column is not null && table is not null && _columnsByTable.TryGetValue(table, out var columns)
            && columns.TryGetValue(column, out var property) && property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
        {
            var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            return Convert.ChangeType(Interlocked.Increment(ref _nextKey), type, System.Globalization.CultureInfo.InvariantCulture);
        }

        return ValueFor(column, table is null ? [] : [table]);
    }

    private FabricatedResultSet SelectResult(SelectStatement select, bool first)
    {
        var specification = FirstSpecification(select.QueryExpression);
        if (specification is null)
        {
            return new FabricatedResultSet([], []);
        }

        var tables = new TableCollector();
        select.Accept(tables);
        var columns = specification.SelectElements.Select(NameOf).ToList();

        // An aggregate without GROUP BY (COUNT(*)) answers one row even over no rows.
        var aggregate = specification.GroupByClause is null && specification.SelectElements.All(
            e => e is SelectScalarExpression { Expression: FunctionCall call } && AggregateFunctions.Contains(call.FunctionName.Value));
        var rows = first || aggregate ? new[] { columns.Select(c => ValueFor(c, tables.Names)).ToArray() } : [];
        return new FabricatedResultSet(columns, rows);
    }

    private static QuerySpecification? FirstSpecification(QueryExpression? expression) => expression switch
    {
        QuerySpecification specification => specification,
        BinaryQueryExpression binary => FirstSpecification(binary.FirstQueryExpression),
        QueryParenthesisExpression parenthesis => FirstSpecification(parenthesis.QueryExpression),
        _ => null,
    };

    private static string? NameOf(SelectElement element) => element switch
    {
        SelectScalarExpression { ColumnName: { } alias } => alias.Value,
        SelectScalarExpression { Expression: ColumnReferenceExpression column } => column.MultiPartIdentifier?.Identifiers[^1].Value,
        _ => null,
    };

    private object? ValueFor(string? column, IReadOnlyList<string> tables)
    {
        if (column is null)
        {
            return null;
        }

        foreach (var table in tables)
        {
            if (_columnsByTable.TryGetValue(table, out var columns) && columns.TryGetValue(column, out var property))
            {
                return ProviderSample(property);
            }
        }

        return null;
    }

    private sealed class TableCollector : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void ExplicitVisit(NamedTableReference node)
        {
            Names.Add(node.SchemaObject.BaseIdentifier.Value);
            base.ExplicitVisit(node);
        }
    }
}
