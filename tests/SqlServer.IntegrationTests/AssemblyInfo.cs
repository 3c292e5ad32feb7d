using IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

// One pinned SQL Server container and one hub on it for the whole run (Hangfire keeps static state); tests run one
// at a time (xunit.runner.json) and Respawn empties the hub's tables before each. Without a Docker engine the
// fixture starts nothing and every test that needs it is reported skipped with the reason (DockerEngine).
[assembly: AssemblyFixture(typeof(SqlServerFixture))]
