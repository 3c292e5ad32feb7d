using IntegrationHub.EndToEnd.Tests.Infrastructure;

// One sandbox, one hub and one Chromium for the whole assembly (Hangfire keeps static state; starting them is the slow
// part); tests run one at a time (xunit.runner.json) and each opens its own browser context.
[assembly: AssemblyFixture(typeof(EndToEndEnvironment))]
