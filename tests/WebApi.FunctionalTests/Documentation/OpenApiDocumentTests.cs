using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Documentation;

/// <summary>
/// The API description is committed (<c>docs/openapi/v1.json</c>) so that API changes show in diffs. The document is
/// the one the hub serves at <c>/openapi/v1.json</c> in Development (so it lists <c>/dev/jwt</c> too), without
/// <c>servers</c>, which name the test's own port.
/// </summary>
public sealed class OpenApiDocumentTests(HubFactory hub)
{
    private const string UpdateVariable = "UPDATE_OPENAPI";

    private const string Instructions =
        "docs/openapi/v1.json does not match the API the hub serves. If the API change is intended, regenerate the file with " +
        "`UPDATE_OPENAPI=1 dotnet test --project tests/WebApi.FunctionalTests -- --filter-class \"*OpenApiDocumentTests\"` " +
        "and commit it with the change.";

    [Fact]
    public async Task OpenApiDocument_WhenComparedWithTheCommittedCopy_ShouldMatch()
    {
        // Arrange
        var committedPath = Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");
        using var client = hub.CreateAnonymousClient();

        // Act
        var served = Normalize(await client.GetStringAsync("/openapi/v1.json"));

        // Assert
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committedPath)!);
            await File.WriteAllTextAsync(committedPath, served);
            return;
        }

        File.Exists(committedPath).ShouldBeTrue(Instructions);
        var committed = (await File.ReadAllTextAsync(committedPath)).ReplaceLineEndings("\n");
        if (committed != served)
        {
            Assert.Fail($"{Instructions}{Environment.NewLine}First difference: {FirstDifference(committed, served)}");
        }
    }

    private static string Normalize(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        root.Remove("servers");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    private static string FirstDifference(string committed, string served)
    {
        var left = committed.Split('\n');
        var right = served.Split('\n');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i] : "<end of file>";
            var b = i < right.Length ? right[i] : "<end of file>";
            if (a != b)
            {
                return $"line {i + 1}: committed `{a.Trim()}`, served `{b.Trim()}`";
            }
        }

        return "none";
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
