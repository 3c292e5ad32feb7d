using Xunit.Sdk;
using Xunit.v3;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Runs collections in name order, with those marked "Last" at the end (the whole-suite log scan).</summary>
public sealed class LastCollectionOrderer : ITestCollectionOrderer
{
    public const string LastMarker = "RunsLast";

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : notnull, ITestCollection =>
        testCollections
            .OrderBy(c => c.TestCollectionDisplayName.Contains(LastMarker, StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(c => c.TestCollectionDisplayName, StringComparer.Ordinal)
            .ToList();
}
