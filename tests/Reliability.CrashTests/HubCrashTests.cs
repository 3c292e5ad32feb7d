using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHub.Reliability.CrashTests.Infrastructure;

namespace IntegrationHub.Reliability.CrashTests;

/// <summary>
/// The README's reliability guarantee "killing the hub loses nothing and duplicates nothing": the real hub, killed with
/// SIGKILL again and again while 300 tenants sign up and get provisioned, still ends with exactly one Alloy user per tenant. Nothing is mocked: the WebApi and the Alloy sandbox run as their own
/// processes, the hub on a SQLite file with the in-memory job store (so every kill loses every queued job and only the
/// database rows and the reconciler carry the work over).
/// Replay a run with its seed: <c>CRASH_TEST_SEED=&lt;seed&gt; dotnet test --project tests/Reliability.CrashTests</c>.
/// </summary>
public sealed class HubCrashTests
{
    private const int TenantCount = 300;
    private const int SignupParallelism = 16;
    private const int MinimumKills = 5;
    private const int MaximumKills = 8;
    private const int HubWorkers = 10;
    private const string LogLevelVariable = "CRASH_TEST_HUB_LOG_LEVEL";
    private static readonly TimeSpan AlloyLatency = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 240_000)]
    public async Task Provisioning_WhenTheHubIsKilledRepeatedlyWhileTenantsSignUp_ShouldGiveEveryTenantExactlyOneAlloyUser()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var seed = Seed();
        var random = new Random(seed);
        var runId = random.Next(0x1000000).ToString("x6", CultureInfo.InvariantCulture);
        var prefix = $"crash-{runId}-";
        var folder = Directory.CreateTempSubdirectory("integrationhub-crash-").FullName;
        output?.WriteLine($"seed {seed} (replay: CRASH_TEST_SEED={seed}), tenants {prefix}001..{TenantCount:D3}, files in {folder}");

        var log = new LogFile(Path.Combine(folder, "processes.log"));
        SandboxProcess? sandbox = null;
        HubProcess? hub = null;
        var passed = false;
        try
        {
            // Arrange: Alloy (never killed) answers after AlloyLatency, so that kills land while calls are in flight.
            sandbox = await SandboxProcess.StartAsync(log, cancellationToken);
            await sandbox.Client.SetFaultsAsync(new { latencyMs = (int)AlloyLatency.TotalMilliseconds }, cancellationToken);
            hub = new HubProcess(Path.Combine(folder, "hub.db"), sandbox.BaseAddress, log, HubSettings());
            var firstStart = await hub.StartAsync(cancellationToken);
            using var service = hub.CreateClient(HubProcess.ServiceKey);
            using var admin = hub.CreateClient(HubProcess.AdminKey);
            var tenantIds = Enumerable.Range(1, TenantCount).Select(i => $"{prefix}{i:D3}").ToList();
            var driver = new SignupDriver(service, tenantIds, SignupParallelism);
            var clock = Stopwatch.StartNew();

            // Act: sign everyone up while a killer SIGKILLs and restarts the hub at random moments.
            var signups = driver.RunAsync(TimeSpan.FromSeconds(120), cancellationToken);
            var kills = await KillRepeatedlyAsync(hub, driver, sandbox, random, clock, cancellationToken);
            output?.WriteLine(KillTable(firstStart, kills));
            await signups;
            var tenants = await WaitUntilSettledAsync(admin, cancellationToken);
            var converged = clock.Elapsed - (kills[^1].At + kills[^1].Restart);
            var users = await sandbox.Client.UsersAsync(prefix, cancellationToken);
            var stats = await sandbox.Client.StatsAsync(cancellationToken);
            output?.WriteLine(Summary(driver, tenants, users, stats, converged, clock.Elapsed));

            // Assert
            tenants.Where(t => t.State != "Provisioned").OrderBy(t => t.State == "Failed" ? 0 : 1).Take(10)
                .ShouldBeEmpty($"every tenant Provisioned; by state: {StateCounts(tenants)}");
            tenants.Select(t => t.TenantId).Order(StringComparer.Ordinal).ShouldBe(tenantIds);
            stats.DevelopmentUsers.ShouldBe(TenantCount, "users in the sandbox");
            users.Count.ShouldBe(TenantCount, "Alloy users of this run");
            users.Select(u => u.Username).Distinct(StringComparer.Ordinal).Count().ShouldBe(TenantCount, "distinct usernames");
            var usersById = users.ToDictionary(u => u.UserId, StringComparer.Ordinal);
            tenants.Where(t => t.UserId is null || !usersById.TryGetValue(t.UserId, out var user) || user.Username != t.TenantId)
                .ShouldBeEmpty("tenants whose userId is not their own Alloy user");
            tenants.Select(t => t.UserId).Distinct(StringComparer.Ordinal).Count().ShouldBe(TenantCount, "distinct userIds");
            kills.Count.ShouldBeGreaterThanOrEqualTo(MinimumKills);
            kills.Count(k => k.SignupsCompleted < TenantCount).ShouldBeGreaterThanOrEqualTo(1, "kills while signups were in flight");
            kills.Count(k => k.AlloyUsers < TenantCount).ShouldBeGreaterThanOrEqualTo(3, "kills while provisioning was in progress");
            passed = true;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex}{Environment.NewLine}{Environment.NewLine}seed {seed}; last lines of {log.Path}:{Environment.NewLine}{log.Tail()}");
        }
        finally
        {
            hub?.Dispose();
            sandbox?.Dispose();
            log.Dispose();
            if (passed && Environment.GetEnvironmentVariable(LogLevelVariable) is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// The experiment. The first kill comes when a random number of signups has been answered, so it lands while signups
    /// are in flight. Every later one comes after a random pause of 300–1500 ms of uptime, or earlier once Alloy has a
    /// random share of the users still missing, so that on a fast machine the kills still land while provisioning goes on.
    /// Each restart reuses the port and the database file.
    /// </summary>
    private static async Task<List<KillRecord>> KillRepeatedlyAsync(
        HubProcess hub, SignupDriver driver, SandboxProcess sandbox, Random random, Stopwatch clock, CancellationToken cancellationToken)
    {
        var kills = new List<KillRecord>();
        for (var number = 1; WantsAnotherKill(kills); number++)
        {
            string trigger;
            if (number == 1)
            {
                var threshold = random.Next(SignupParallelism, TenantCount * 2 / 3);
                trigger = $"{threshold} signups";
                await Poll.UntilAsync(
                    () => driver.Completed >= threshold, $"{threshold} signups answered", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5), cancellationToken);
            }
            else
            {
                var users = (await sandbox.Client.StatsAsync(cancellationToken)).DevelopmentUsers;
                var target = users + random.Next(1, Math.Max(2, (TenantCount - users) / 2));
                var pause = TimeSpan.FromMilliseconds(random.Next(300, 1500));
                var up = Stopwatch.StartNew();
                while (up.Elapsed < pause && users < target)
                {
                    await Task.Delay(10, cancellationToken); // the random moment is the experiment, not a wait for a condition
                    users = (await sandbox.Client.StatsAsync(cancellationToken)).DevelopmentUsers;
                }

                trigger = users < target ? $"{pause.TotalMilliseconds} ms up" : $"{target} users, {up.ElapsedMilliseconds} ms";
            }

            // A kill with fewer Alloy users than tenants certainly interrupted provisioning.
            var signupsCompleted = driver.Completed;
            var alloyUsers = (await sandbox.Client.StatsAsync(cancellationToken)).DevelopmentUsers;
            var at = clock.Elapsed;
            hub.Kill();
            var restart = await hub.StartAsync(cancellationToken);
            kills.Add(new KillRecord(number, at, trigger, signupsCompleted, alloyUsers, restart));
        }

        return kills;
    }

    /// <summary>
    /// At least <see cref="MinimumKills"/> kills; more (up to <see cref="MaximumKills"/>) while fewer than that many landed
    /// during provisioning and there is still provisioning to interrupt.
    /// </summary>
    private static bool WantsAnotherKill(List<KillRecord> kills) =>
        kills.Count < MinimumKills
        || (kills.Count < MaximumKills && kills.Count(k => k.AlloyUsers < TenantCount) < MinimumKills && kills[^1].AlloyUsers < TenantCount);

    /// <summary>Polls the admin list until every tenant is Provisioned (or one Failed); on timeout, names the ones left.</summary>
    private static async Task<IReadOnlyList<TenantSnapshot>> WaitUntilSettledAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        try
        {
            return await Poll.UntilAsync(
                ct => admin.TenantsAsync(ct),
                t => t.Count(x => x.State == "Provisioned") == TenantCount || t.Any(x => x.State == "Failed"),
                $"all {TenantCount} tenants Provisioned",
                ConvergenceTimeout,
                TimeSpan.FromMilliseconds(250),
                cancellationToken);
        }
        catch (TimeoutException ex)
        {
            var tenants = await admin.TenantsAsync(cancellationToken);
            var left = tenants.Where(t => t.State != "Provisioned").ToList();
            throw new TimeoutException(
                $"{left.Count} of {tenants.Count} tenants not Provisioned {ConvergenceTimeout.TotalSeconds} s after the last restart: "
                + string.Join("; ", left.Take(20)), ex);
        }
    }

    private static string KillTable(TimeSpan firstStart, IReadOnlyList<KillRecord> kills)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"first start: hub ready in {firstStart.TotalSeconds:F1} s");
        text.AppendLine("kill  at (s)  trigger                  signups answered  alloy users  hub ready again (s)");
        foreach (var k in kills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{k.Number,4}  {k.At.TotalSeconds,6:F1}  {k.Trigger,-23}  {k.SignupsCompleted,16}  {k.AlloyUsers,11}  {k.Restart.TotalSeconds,19:F1}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Summary(
        SignupDriver driver, IReadOnlyList<TenantSnapshot> tenants, IReadOnlyList<SandboxUser> users, SandboxStats stats, TimeSpan converged, TimeSpan total)
    {
        var text = new StringBuilder();

        var posts = stats.CallsTo("POST /users");
        var lookups = stats.CallsTo("GET /users/{uid}");
        var attempts = tenants.Select(t => t.Attempts).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"signups: {driver.Created} answered 202, {driver.Repeated} answered 200 (repeat after a lost answer), {driver.TransportFailures} tries without answer, {driver.ServerErrors} answered 5xx");
        text.AppendLine(CultureInfo.InvariantCulture, $"alloy: {users.Count} users, {posts} POST /users ({posts - users.Count} refused as duplicates), {lookups} GET /users/{{uid}} (adoptions)");
        text.AppendLine(CultureInfo.InvariantCulture, $"attempts per tenant: total {attempts.Sum()}, max {attempts.DefaultIfEmpty().Max()}, tenants with more than one {attempts.Count(a => a > 1)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"states: {StateCounts(tenants)}");
        text.Append(CultureInfo.InvariantCulture, $"converged {converged.TotalSeconds:F1} s after the hub was last ready again; {total.TotalSeconds:F1} s from the first signup");
        return text.ToString();
    }

    /// <summary>
    /// A fixed worker count, so that the pace of provisioning (at most <c>workers / AlloyLatency</c>) does not grow with the
    /// machine's cores. The hub logs warnings and errors only; <c>CRASH_TEST_HUB_LOG_LEVEL=Information</c> (or Debug)
    /// logs more and keeps the files.
    /// </summary>
    private static Dictionary<string, string> HubSettings()
    {
        var settings = new Dictionary<string, string> { ["Hangfire__WorkerCount"] = HubWorkers.ToString(CultureInfo.InvariantCulture) };
        if (Environment.GetEnvironmentVariable(LogLevelVariable) is { Length: > 0 } level)
        {
            settings["Serilog__MinimumLevel__Default"] = level;
        }

        return settings;
    }

    private static string StateCounts(IEnumerable<TenantSnapshot> tenants) =>
        string.Join(", ", tenants.GroupBy(t => t.State ?? "none").Select(g => $"{g.Key} {g.Count()}"));

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("CRASH_TEST_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next();

    private sealed record KillRecord(int Number, TimeSpan At, string Trigger, int SignupsCompleted, int AlloyUsers, TimeSpan Restart);
}
