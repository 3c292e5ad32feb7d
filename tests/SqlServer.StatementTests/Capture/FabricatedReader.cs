using System.Collections;
using System.Data.Common;

namespace IntegrationHub.SqlServer.StatementTests.Capture;

/// <summary>
/// Reads a <see cref="FabricatedResult"/>. A column whose value the fabricator knows answers that value (converted to
/// the type asked for when it differs); any other column answers a plausible value of the type the reader is asked for,
/// which is how EF Core reads computed columns (<c>COUNT(*)</c>, <c>OUTPUT 1</c>, <c>EXISTS</c> as bit).
/// </summary>
internal sealed class FabricatedReader(FabricatedResult result) : DbDataReader
{
    private int _set;
    private int _row = -1;
    private bool _closed;

    private FabricatedResultSet? Current => _set < result.ResultSets.Count ? result.ResultSets[_set] : null;

    public override int Depth => 0;

    public override int FieldCount => Current?.Columns.Count ?? 0;

    public override bool HasRows => Current is { Rows.Count: > 0 };

    public override bool IsClosed => _closed;

    public override int RecordsAffected => result.RecordsAffected;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (Current is null || _row + 1 >= Current.Rows.Count)
        {
            _row = Current?.Rows.Count ?? 0;
            return false;
        }

        _row++;
        return true;
    }

    public override bool NextResult()
    {
        _set++;
        _row = -1;
        return Current is not null;
    }

    public override void Close() => _closed = true;

    public override T GetFieldValue<T>(int ordinal)
    {
        var value = Raw(ordinal);
        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(target) && !target.IsEnum)
        {
            try
            {
                return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                // Falls through to a sample of the asked type.
            }
        }

        return (T)(ResultFabricator.SampleOf(target, Current?.Columns[ordinal]) ?? throw new NotSupportedException($"No sample value for {typeof(T)} (column {Current?.Columns[ordinal]})."));
    }

    public override object GetValue(int ordinal) => Raw(ordinal) ?? ResultFabricator.SampleOf(typeof(int), null)!;

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => false;

    public override bool GetBoolean(int ordinal) => GetFieldValue<bool>(ordinal);

    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetFieldValue<byte[]>(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var count = (int)Math.Min(length, bytes.Length - dataOffset);
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override char GetChar(int ordinal) => GetFieldValue<string>(ordinal)[0];

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetFieldValue<string>(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var count = (int)Math.Min(length, text.Length - dataOffset);
        text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override DateTime GetDateTime(int ordinal) => GetFieldValue<DateTime>(ordinal);

    public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);

    public override double GetDouble(int ordinal) => GetFieldValue<double>(ordinal);

    // Asked before the first Read (EF Core's buffering reader, used under the retrying execution strategy).
    public override Type GetFieldType(int ordinal) =>
        Current is { Rows: [var first, ..] } && first[ordinal] is { } value ? value.GetType() : typeof(object);

    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);

    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);

    public override int GetInt32(int ordinal) => GetFieldValue<int>(ordinal);

    public override long GetInt64(int ordinal) => GetFieldValue<long>(ordinal);

    public override string GetName(int ordinal) => Current?.Columns[ordinal] ?? string.Empty;

    public override int GetOrdinal(string name)
    {
        var columns = Current?.Columns ?? [];
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "No such column.");
    }

    public override string GetString(int ordinal) => GetFieldValue<string>(ordinal);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    private object? Raw(int ordinal)
    {
        var set = Current ?? throw new InvalidOperationException("No result set.");
        if (_row < 0 || _row >= set.Rows.Count)
        {
            throw new InvalidOperationException("No current row.");
        }

        return set.Rows[_row][ordinal];
    }
}
