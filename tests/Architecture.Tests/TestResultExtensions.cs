
namespace IntegrationHub.Architecture.Tests;

internal static class TestResultExtensions
{
    public static void ShouldPass(this NetArchTest.Rules.TestResult result) =>
        result.IsSuccessful.ShouldBeTrue($"Types breaking the rule: {string.Join(", ", result.FailingTypeNames ?? [])}");
}
