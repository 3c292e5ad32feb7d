using System.Buffers;
using System.Text.Json;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>
/// Reads Alloy's whole-account installation listing (<c>{"data":[…]}</c>, N1 in docs/alloy-api.md) from the response
/// stream one entry at a time, so the hub never holds the whole answer: memory is one read buffer (grown only for an
/// entry larger than it) plus the entries of the batch being handed on. Other root properties are skipped.
/// </summary>
public static class InstallationListingReader
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>
    /// Hands the listing's entries to <paramref name="onBatch"/> in batches of about <paramref name="batchSize"/>
    /// (never empty, the list is reused: copy what you keep). Answers whether the root had a <c>data</c> array; a
    /// body that is not the documented JSON throws a <see cref="JsonException"/> naming the position.
    /// </summary>
    public static async Task<bool> ReadAsync(
        Stream body, int batchSize, Func<IReadOnlyList<InstallationDto>, CancellationToken, Task> onBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        var batch = new List<InstallationDto>(Math.Min(batchSize, 4096));
        var parser = new Parser();
        try
        {
            var filled = 0;
            var final = false;
            while (true)
            {
                if (!final)
                {
                    if (filled == buffer.Length)
                    {
                        // One entry is larger than the buffer: grow it.
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                    filled += read;
                    final = read == 0;
                }

                var consumed = parser.Advance(buffer.AsSpan(0, filled), final, batch);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (batch.Count >= batchSize || (parser.Done && batch.Count > 0))
                {
                    await onBatch(batch, cancellationToken);
                    batch.Clear();
                }

                if (parser.Done)
                {
                    return parser.SawData;
                }

                if (final)
                {
                    throw new JsonException($"The installation listing ended early, after {parser.Position} bytes.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Where the reader is in <c>{"data":[…]}</c>; carries <see cref="JsonReaderState"/> across buffers.</summary>
    private sealed class Parser
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private Stage _stage = Stage.BeforeRoot;

        public bool Done => _stage == Stage.Done;

        public bool SawData { get; private set; }

        public long Position { get; private set; }

        /// <summary>Parses what <paramref name="data"/> holds completely; answers the bytes consumed.</summary>
        public int Advance(ReadOnlySpan<byte> data, bool final, List<InstallationDto> batch)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            while (_stage != Stage.Done)
            {
                var checkpoint = reader;
                if (!Step(ref reader, batch))
                {
                    reader = checkpoint; // incomplete: wait for more bytes
                    break;
                }
            }

            _state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            Position += consumed;
            return consumed;
        }

        /// <summary>One step of the grammar; false when the buffer ends inside it.</summary>
        private bool Step(ref Utf8JsonReader reader, List<InstallationDto> batch)
        {
            if (!reader.Read())
            {
                return false;
            }

            switch (_stage)
            {
                case Stage.BeforeRoot:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"The installation listing is not a JSON object (found {reader.TokenType}).");
                    }

                    _stage = Stage.InRoot;
                    return true;

                case Stage.InRoot:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _stage = Stage.Done;
                        return true;
                    }

                    var isData = reader.ValueTextEquals("data"u8);
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (isData && reader.TokenType == JsonTokenType.StartArray)
                    {
                        SawData = true;
                        _stage = Stage.InData;
                        return true;
                    }

                    return reader.TrySkip(); // another property, or data that is not a list

                case Stage.InData:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _stage = Stage.InRoot;
                        return true;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return reader.TrySkip(); // not an installation: skipped like an incomplete entry
                    }

                    var entry = reader;
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    if (JsonSerializer.Deserialize(ref entry, AlloyJsonContext.Default.InstallationDto) is { } installation)
                    {
                        batch.Add(installation);
                    }

                    return true;

                default:
                    return true;
            }
        }

        private enum Stage
        {
            BeforeRoot,
            InRoot,
            InData,
            Done,
        }
    }
}
