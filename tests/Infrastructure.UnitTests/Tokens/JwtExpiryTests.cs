using IntegrationHub.Infrastructure.Tokens;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;

namespace IntegrationHub.Infrastructure.UnitTests.Tokens;

public sealed class JwtExpiryTests
{
    [Fact]
    public void TryRead_WhenExpClaimIsValid_ShouldReturnIt()
    {
        // Arrange
        var expiresAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);
        var token = Jwt.Expiring(expiresAt);

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        read.ShouldBe(expiresAt);
    }

    [Fact]
    public void TryRead_WhenPayloadNeedsBase64UrlCharacters_ShouldStillDecode()
    {
        // Arrange ("???" encodes to "Pz8/" and ">>>" to "Pj4+": '_' and '-' in base64url)
        var token = Jwt.WithPayload("""{"note":"??????>>>>>>","exp":1767225600}""");

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        token.Split('.')[1].ShouldContain("_");
        token.Split('.')[1].ShouldContain("-");
        read.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1767225600));
    }

    [Theory]
    [InlineData("""{"sub":"user-1"}""")]
    [InlineData("""{"exp":null}""")]
    [InlineData("""{"exp":"1767225600"}""")]
    [InlineData("""{"exp":true}""")]
    [InlineData("""{"exp":{"seconds":1767225600}}""")]
    [InlineData("""{"exp":1767225600.5}""")]
    [InlineData("""{"exp":0}""")]
    [InlineData("""{"exp":-5}""")]
    [InlineData("""{"exp":253402300800}""")]
    [InlineData("""{"exp":99999999999999999999}""")]
    [InlineData("""[1767225600]""")]
    [InlineData("""1767225600""")]
    [InlineData("""null""")]
    public void TryRead_WhenExpMissingOrUnusable_ShouldReturnNull(string payloadJson)
    {
        // Arrange
        var token = Jwt.WithPayload(payloadJson);

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        read.ShouldBeNull();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"exp":""")]
    [InlineData("")]
    public void TryRead_WhenPayloadIsNotJson_ShouldReturnNull(string payload)
    {
        // Arrange
        var token = $"{Jwt.Encode("""{"alg":"none"}""")}.{Jwt.Encode(payload)}.sig";

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        read.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("header.!!!not-base64!!!.sig")]
    [InlineData("header.a.sig")]
    [InlineData("header.€€€.sig")]
    public void TryRead_WhenTokenIsGarbage_ShouldReturnNull(string token)
    {
        // Arrange (the token)

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        read.ShouldBeNull();
    }

    [Fact]
    public void TryRead_WhenOnlyTwoParts_ShouldReturnNullEvenIfPayloadIsValid()
    {
        // Arrange
        var full = Jwt.Expiring(DateTimeOffset.UnixEpoch.AddYears(60));
        var twoParts = string.Join('.', full.Split('.').Take(2));

        // Act
        var read = JwtExpiry.TryRead(twoParts);

        // Assert
        JwtExpiry.TryRead(full).ShouldNotBeNull();
        read.ShouldBeNull();
    }

    [Fact]
    public void TryRead_WhenPayloadIsHuge_ShouldReturnNullWithoutDecoding()
    {
        // Arrange
        var token = Jwt.WithPayload($$"""{"exp":1767225600,"pad":"{{new string('x', 10_000)}}"}""");

        // Act
        var read = JwtExpiry.TryRead(token);

        // Assert
        read.ShouldBeNull();
    }
}
