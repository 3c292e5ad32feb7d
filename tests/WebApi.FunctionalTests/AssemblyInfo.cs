using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

// One hub (SQLite file + in-process sandbox + in-memory Hangfire) for the whole assembly: Hangfire keeps static
// state, and the assertions that count upstream calls need the sandbox to themselves, so tests run one at a time
// (xunit.runner.json: parallelizeTestCollections false).
[assembly: AssemblyFixture(typeof(HubFactory))]
