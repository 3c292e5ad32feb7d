using IntegrationHub.Application.Common.Models;

namespace IntegrationHub.Application.UnitTests.Common.Models;

public sealed class CursorTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(42L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(1_000_000_007L)]
    [InlineData(long.MaxValue)]
    public void Encode_WhenDecoded_ShouldRoundTrip(long id)
    {
        // Arrange
        var cursor = Cursor.Encode(id);

        // Act
        var decoded = Cursor.TryDecode(cursor, out var lastId);

        // Assert
        decoded.ShouldBeTrue();
        lastId.ShouldBe(id);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    [InlineData(0x00FB_FF00_FBFF_00FBL)]
    public void Encode_WhenCalled_ShouldBeUrlSafeWithoutPadding(long id)
    {
        // Arrange (the id)

        // Act
        var cursor = Cursor.Encode(id);

        // Assert
        cursor.Length.ShouldBe(11);
        cursor.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
    }

    [Fact]
    public void Encode_WhenIdsDiffer_ShouldGiveDifferentCursors()
    {
        // Arrange
        var ids = Enumerable.Range(1, 1000).Select(i => (long)i).ToList();

        // Act
        var cursors = ids.Select(Cursor.Encode).ToList();

        // Assert
        cursors.Distinct(StringComparer.Ordinal).Count().ShouldBe(ids.Count);
    }

    public static TheoryData<string?> Garbage =>
    [
        (string?)null,
        "",
        " ",
        "zzz",
        "AAAA",
        "!!!!!!!!!!!",
        "AAAAAAAAAA=",
        "AAAAAAAAAAAAAAAA", // 16 chars: 12 bytes, not 8
        "AAAAAAAAAAAAAAAAA", // 17 chars: too long
        new string('A', 10_000),
        "AAAAAAAAAA+",
        "AAAAAAAAAA/",
        "AAAA AAAAAA",
        "ÄAAAAAAAAAA",
    ];

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryDecode_WhenGarbage_ShouldReturnFalse(string? cursor)
    {
        // Arrange (the cursor)

        // Act
        var decoded = Cursor.TryDecode(cursor, out var lastId);

        // Assert
        decoded.ShouldBeFalse();
        lastId.ShouldBe(0);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void TryDecode_WhenIdIsZeroOrNegative_ShouldReturnFalse(long id)
    {
        // Arrange
        var cursor = Cursor.Encode(id);

        // Act
        var decoded = Cursor.TryDecode(cursor, out _);

        // Assert
        decoded.ShouldBeFalse();
    }
}
