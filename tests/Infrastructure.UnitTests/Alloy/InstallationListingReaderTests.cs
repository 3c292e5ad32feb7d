using System.Text;
using System.Text.Json;
using IntegrationHub.Infrastructure.Alloy;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

public sealed class InstallationListingReaderTests
{
    [Fact]
    public async Task ReadAsync_WhenTheListingIsEmpty_ShouldHandOnNothingAndReportTheList()
    {
        // Arrange
        var batches = new List<List<InstallationDto>>();

        // Act
        var sawData = await ReadAsync("""{"data":[]}""", 10, batches);

        // Assert
        sawData.ShouldBeTrue();
        batches.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadAsync_WhenTheRootHasNoDataList_ShouldReportIt()
    {
        // Arrange
        var batches = new List<List<InstallationDto>>();

        // Act
        var sawData = await ReadAsync("""{"message":"nothing here","data":null}""", 10, batches);

        // Assert
        sawData.ShouldBeFalse();
        batches.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadAsync_WhenTheStreamArrivesAByteAtATime_ShouldReadEveryEntryInBatches()
    {
        // Arrange: other properties around the list, entries of other shapes inside it.
        var entries = Enumerable.Range(0, 25).Select(n => $$$"""{"installationId":"i-{{{n}}}","integrationId":"int-{{{n % 3}}}","userId":"u-{{{n % 4}}}","enabled":{{{(n % 2 == 0 ? "true" : "false")}}},"extra":{"nested":[1,2,{"x":"]}"}]}}""");
        var json = $$"""{"meta":{"page":[1,2]},"data":[{{string.Join(",", entries)}},"not an entry",7],"after":"x"}""";
        var batches = new List<List<InstallationDto>>();

        // Act
        var sawData = await ReadAsync(json, 10, batches, trickle: true);

        // Assert
        sawData.ShouldBeTrue();
        batches.Select(b => b.Count).ShouldBe([10, 10, 5]);
        var all = batches.SelectMany(b => b).ToList();
        all.Select(i => i.InstallationId).ShouldBe(Enumerable.Range(0, 25).Select(n => $"i-{n}"));
        all[3].ShouldBe(new InstallationDto("i-3", "int-0", "u-3", false, null));
    }

    [Fact]
    public async Task ReadAsync_WhenAnEntryIsLargerThanTheReadBuffer_ShouldStillReadIt()
    {
        // Arrange: one entry of about 200 KiB (the buffer starts at 64 KiB).
        var padding = new string('p', 200 * 1024);
        var json = $$"""{"data":[{"installationId":"big","userId":"u-1","note":"{{padding}}"},{"installationId":"small","userId":"u-2"}]}""";
        var batches = new List<List<InstallationDto>>();

        // Act
        await ReadAsync(json, 100, batches);

        // Assert
        batches.SelectMany(b => b).Select(i => i.InstallationId).ShouldBe(["big", "small"]);
    }

    [Theory]
    [InlineData("""{"data":[{"installationId":"i-1","userId":"u-1"},""")]
    [InlineData("""{"data":[{"installationId":"i-1" "userId":"u-1"}]}""")]
    [InlineData("""<html>Bad gateway</html>""")]
    [InlineData("""[{"installationId":"i-1"}]""")]
    [InlineData("")]
    public async Task ReadAsync_WhenTheBodyIsNotTheDocumentedListing_ShouldThrowAJsonException(string json)
    {
        // Arrange
        var batches = new List<List<InstallationDto>>();

        // Act
        var error = await Should.ThrowAsync<JsonException>(() => ReadAsync(json, 10, batches));

        // Assert
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    private static async Task<bool> ReadAsync(string json, int batchSize, List<List<InstallationDto>> batches, bool trickle = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await using Stream body = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);
        return await InstallationListingReader.ReadAsync(
            body,
            batchSize,
            (batch, _) =>
            {
                batches.Add([.. batch]);
                return Task.CompletedTask;
            },
            TestContext.Current.CancellationToken);
    }

    /// <summary>Answers one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
