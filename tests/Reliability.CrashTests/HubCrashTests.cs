using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHub.Reliability.CrashTests.Infrastructure;

namespace IntegrationHub.Reliability.CrashTests;

/// <summary>
/// The README's reliability guarantees "killing the hub loses nothing and duplicates nothing" and "webhooks to your
/// backend are delivered at least once": the real hub, killed with SIGKILL again and again while 300 tenants sign up,
/// get provisioned and have their <c>tenant.provisioned</c> webhooks delivered, still ends with exactly one Alloy user per
/// tenant and every tenant's webhook received, signed, at least once. Nothing is mocked: the WebApi and the Alloy sandbox
/// run as their own processes, the hub on a SQLite file with the in-memory job store (so every kill loses every queued
/// job and only the database rows and the reconcilers carry the work over); the webhook receiver lives in the test
/// process, so it outlives every kill.
/// Replay a run with its seed: <c>CRASH_TEST_SEED=&lt;seed&gt; dotnet test --project tests/Reliability.CrashTests</c>.
/// </summary>
public sealed class HubCrashTests
{
    private const int TenantCount = 300;
    private const int SignupParallelism = 16;
    private const int MinimumKills = 5;
    private const int MaximumKills = 8;
    private const int MinimumWebhookKills = 2;
    private const int HubWorkers = 10;
    private const string LogLevelVariable = "CRASH_TEST_HUB_LOG_LEVEL";
    private static readonly TimeSpan AlloyLatency = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How long one delivery attempt may take. The hub leases a delivery for this plus a fixed 30 s while it is attempted,
    /// so a delivery cut by a kill mid-attempt is retried about 32 s later: that, not provisioning, bounds the run.
    /// </summary>
    private static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a kill aimed at deliveries waits for its share of webhooks (longer than a cut attempt's lease).</summary>
    private static readonly TimeSpan WebhookKillPatience = TimeSpan.FromSeconds(45);

    /// <summary>A kill counts as landing while webhooks arrive when one arrived this shortly before it.</summary>
    private static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(1);

    [Fact(Timeout = 240_000)]
    public async Task Provisioning_WhenTheHubIsKilledRepeatedlyWhileTenantsSignUp_ShouldGiveEveryTenantExactlyOneAlloyUserAndDeliverItsWebhookAtLeastOnce()
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
        VerifyingWebhookReceiver? receiver = null;
        var passed = false;
        try
        {
            // Arrange: Alloy (never killed) answers after AlloyLatency, so that kills land while calls are in flight; the
            // receiver (never killed either) is registered for every event type before the first signup.
            var clock = new Stopwatch();
            receiver = await VerifyingWebhookReceiver.StartAsync(clock, cancellationToken);
            sandbox = await SandboxProcess.StartAsync(log, cancellationToken);
            await sandbox.Client.SetFaultsAsync(new { latencyMs = (int)AlloyLatency.TotalMilliseconds }, cancellationToken);
            hub = new HubProcess(Path.Combine(folder, "hub.db"), sandbox.BaseAddress, log, HubSettings());
            var firstStart = await hub.StartAsync(cancellationToken);
            using var service = hub.CreateClient(HubProcess.ServiceKey);
            using var admin = hub.CreateClient(HubProcess.AdminKey);
            var endpoint = await admin.CreateWebhookEndpointAsync(receiver.Url, cancellationToken);
            receiver.UseSecret(endpoint.Secret);
            var tenantIds = Enumerable.Range(1, TenantCount).Select(i => $"{prefix}{i:D3}").ToList();
            var driver = new SignupDriver(service, tenantIds, SignupParallelism);
            clock.Start();

            // Act: sign everyone up while a killer SIGKILLs and restarts the hub at random moments.
            var signups = driver.RunAsync(TimeSpan.FromSeconds(120), cancellationToken);
            var kills = await KillRepeatedlyAsync(hub, driver, sandbox, receiver, random, clock, cancellationToken);
            output?.WriteLine(KillTable(firstStart, kills));
            await signups;
            var tenants = await WaitUntilSettledAsync(admin, cancellationToken);
            var converged = clock.Elapsed - (kills[^1].At + kills[^1].Restart);
            var users = await sandbox.Client.UsersAsync(prefix, cancellationToken);
            var stats = await sandbox.Client.StatsAsync(cancellationToken);
            output?.WriteLine(Summary(driver, tenants, users, stats, converged, clock.Elapsed));
            var delivered = await WaitUntilDeliveredAsync(admin, endpoint.Id, receiver, cancellationToken);
            var webhooksConverged = clock.Elapsed - (kills[^1].At + kills[^1].Restart);
            var arrivals = receiver.Arrivals;
            output?.WriteLine(WebhookSummary(arrivals, delivered, kills, webhooksConverged, clock.Elapsed));

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

            // Assert: webhooks, as the receiver saw them. At least once: repeats are allowed, losses and forgeries are not.
            var provisioned = tenants.Where(t => t.State == "Provisioned").Select(t => t.TenantId).ToHashSet(StringComparer.Ordinal);
            arrivals.Where(a => !a.Verified).Take(10).ShouldBeEmpty("arrivals whose signature did not verify (or whose body was not a webhook)");
            arrivals.Where(a => a.Type != "tenant.provisioned").Take(10).ShouldBeEmpty("arrivals of another type");
            arrivals.Where(a => a.AlloyState != "Provisioned" || a.TenantId is null || !provisioned.Contains(a.TenantId)).Take(10)
                .ShouldBeEmpty("arrivals for a tenant that is not Provisioned");
            arrivals.Select(a => a.TenantId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ShouldBe(tenantIds, ignoreOrder: false, "tenants whose webhook arrived");
            var messagesByTenant = arrivals.GroupBy(a => a.TenantId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(a => a.MessageId).Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
            messagesByTenant.Where(m => m.Value != 1).Take(10).ShouldBeEmpty("tenants with more than one message id (a repeat keeps its webhook-id)");
            kills.Count(WhileWebhooksArrived).ShouldBeGreaterThanOrEqualTo(MinimumWebhookKills, "kills while webhooks were arriving");

            // Assert: the hub's own view agrees: one Delivered delivery per message, and a message that arrived n times was attempted at least n times.
            delivered.Count.ShouldBe(TenantCount, "Delivered deliveries listed by the hub");
            delivered.Select(d => d.MessageId).Distinct(StringComparer.Ordinal).Count().ShouldBe(TenantCount, "distinct Delivered messages");
            delivered.Select(d => d.MessageId).Order(StringComparer.Ordinal)
                .ShouldBe(arrivals.Select(a => a.MessageId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), ignoreOrder: false, "the receiver's and the hub's messages");
            var attempts = delivered.ToDictionary(d => d.MessageId, d => d.Attempts, StringComparer.Ordinal);
            arrivals.GroupBy(a => a.MessageId, StringComparer.Ordinal).Where(g => g.Count() > attempts[g.Key]).Select(g => $"{g.Key}: {g.Count()} arrivals, {attempts[g.Key]} attempts").Take(10)
                .ShouldBeEmpty("messages that arrived more often than the hub attempted them");
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
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
            }

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
    /// The kills beyond those that provisioning needs (<see cref="MinimumWebhookKills"/>, on a slow machine where the
    /// webhooks, queued behind provisioning, had not begun to arrive) come once the receiver has got a random share of the
    /// webhooks still missing, so that they land while messages are being delivered.
    /// Each restart reuses the port and the database file.
    /// </summary>
    private static async Task<List<KillRecord>> KillRepeatedlyAsync(
        HubProcess hub, SignupDriver driver, SandboxProcess sandbox, VerifyingWebhookReceiver receiver, Random random, Stopwatch clock, CancellationToken cancellationToken)
    {
        var kills = new List<KillRecord>();
        for (var number = 1; WantsAnotherKill(kills, receiver.TenantsReceived); number++)
        {
            string trigger;
            if (number > MinimumKills && !ProvisioningWantsAnotherKill(kills))
            {
                var received = receiver.TenantsReceived;
                var target = received + random.Next(1, Math.Max(2, (TenantCount - received) / 2));
                var up = Stopwatch.StartNew();
                while (up.Elapsed < WebhookKillPatience && received < target)
                {
                    await Task.Delay(10, cancellationToken); // the random moment is the experiment, not a wait for a condition
                    received = receiver.TenantsReceived;
                }

                trigger = $"{target} webhooks, {up.ElapsedMilliseconds} ms";
            }
            else if (number == 1)
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
            var webhookTenants = receiver.TenantsReceived;
            var at = clock.Elapsed;
            var recentWebhooks = receiver.ArrivalsSince(at - RecentWindow);
            hub.Kill();
            var restart = await hub.StartAsync(cancellationToken);
            kills.Add(new KillRecord(number, at, trigger, signupsCompleted, alloyUsers, webhookTenants, recentWebhooks, restart));
        }

        return kills;
    }

    /// <summary>
    /// At least <see cref="MinimumKills"/> kills; more (up to <see cref="MaximumKills"/>) while fewer than that many landed
    /// during provisioning and there is still provisioning to interrupt; then up to <see cref="MinimumWebhookKills"/> more
    /// while fewer than that many landed while webhooks were arriving and some are still to come (deliveries queue behind
    /// provisioning, so on a slow machine they may begin only after the early kills).
    /// </summary>
    private static bool WantsAnotherKill(List<KillRecord> kills, int webhookTenantsNow) =>
        kills.Count < MinimumKills
        || ProvisioningWantsAnotherKill(kills)
        || (kills.Count < MaximumKills + MinimumWebhookKills && kills.Count(WhileWebhooksArrived) < MinimumWebhookKills && webhookTenantsNow < TenantCount);

    private static bool ProvisioningWantsAnotherKill(List<KillRecord> kills) =>
        kills.Count < MaximumKills && kills.Count(k => k.AlloyUsers < TenantCount) < MinimumKills && kills[^1].AlloyUsers < TenantCount;

    /// <summary>Webhooks were still to come and had arrived within <see cref="RecentWindow"/> before the kill: deliveries were going on.</summary>
    private static bool WhileWebhooksArrived(KillRecord kill) => kill.WebhookTenants < TenantCount && kill.RecentWebhooks > 0;

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

    /// <summary>
    /// Polls the receiver until every tenant's webhook arrived (stopping at the first arrival that did not verify), then
    /// the hub's deliveries until all of them read Delivered (its commit may trail the receiver's answer).
    /// </summary>
    private static async Task<IReadOnlyList<DeliverySnapshot>> WaitUntilDeliveredAsync(
        HttpClient admin, string endpointId, VerifyingWebhookReceiver receiver, CancellationToken cancellationToken)
    {
        try
        {
            await Poll.UntilAsync(
                () => receiver.TenantsReceived == TenantCount || receiver.Arrivals.Any(a => !a.Verified),
                $"the webhooks of all {TenantCount} tenants received",
                ConvergenceTimeout,
                TimeSpan.FromMilliseconds(250),
                cancellationToken);
            return await Poll.UntilAsync(
                ct => admin.WebhookDeliveriesAsync(endpointId, "Delivered", ct),
                d => d.Count >= TenantCount,
                $"{TenantCount} deliveries Delivered",
                ConvergenceTimeout,
                TimeSpan.FromMilliseconds(500),
                cancellationToken);
        }
        catch (TimeoutException ex)
        {
            var pending = await admin.WebhookDeliveriesAsync(endpointId, "Pending", cancellationToken);
            var failed = await admin.WebhookDeliveriesAsync(endpointId, "Failed", cancellationToken);
            throw new TimeoutException(
                $"{receiver.TenantsReceived} of {TenantCount} tenants' webhooks received {ConvergenceTimeout.TotalSeconds} s on; hub: {pending.Count} Pending, {failed.Count} Failed: "
                + string.Join("; ", pending.Concat(failed).Take(20)), ex);
        }
    }

    private static string KillTable(TimeSpan firstStart, IReadOnlyList<KillRecord> kills)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"first start: hub ready in {firstStart.TotalSeconds:F1} s");
        text.AppendLine("kill  at (s)  trigger                  signups answered  alloy users  webhooks received (last 1 s)  hub ready again (s)");
        foreach (var k in kills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{k.Number,4}  {k.At.TotalSeconds,6:F1}  {k.Trigger,-23}  {k.SignupsCompleted,16}  {k.AlloyUsers,11}  {k.WebhookTenants,17} {"(" + k.RecentWebhooks.ToString(CultureInfo.InvariantCulture) + ")",10}  {k.Restart.TotalSeconds,19:F1}");
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
    /// What the receiver got: how many messages arrived more than once, and for each (the first ten) when, and the kill
    /// nearest its first arrival (a kill is stamped just before the SIGKILL, so arrivals a few ms after it were already on
    /// their way). The receiver had answered 2xx, the hub was killed before it committed Delivered, and after the restart
    /// the delivery was still Pending under the attempt's lease: once the lease ended it was enqueued again and the same
    /// message (same webhook-id) was sent again.
    /// </summary>
    private static string WebhookSummary(
        IReadOnlyList<WebhookArrival> arrivals, IReadOnlyList<DeliverySnapshot> delivered, IReadOnlyList<KillRecord> kills, TimeSpan converged, TimeSpan total)
    {
        var text = new StringBuilder();
        var repeated = arrivals.GroupBy(a => a.MessageId, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        var attempts = delivered.Select(d => d.Attempts).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"webhooks: {arrivals.Count} arrivals of {arrivals.Select(a => a.MessageId).Distinct(StringComparer.Ordinal).Count()} messages, {arrivals.Count(a => !a.Verified)} not verified; hub: {delivered.Count} Delivered, attempts total {attempts.Sum()}, max {attempts.DefaultIfEmpty().Max()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"duplicates: {repeated.Count} messages arrived more than once ({arrivals.Count - arrivals.Select(a => a.MessageId).Distinct(StringComparer.Ordinal).Count()} extra arrivals): each was killed between the receiver's 2xx and the hub's commit of Delivered, and sent again once its attempt's lease ({WebhookTimeout.TotalSeconds:F0} s + 30 s) ended");
        foreach (var message in repeated.Take(10))
        {
            var times = message.Select(a => a.At).Order().ToList();
            var kill = kills.MinBy(k => (k.At - times[0]).Duration())!;
            var offset = (times[0] - kill.At).TotalMilliseconds;
            var between = $"kill #{kill.Number} at {kill.At.TotalSeconds:F2} s, {Math.Abs(offset):F0} ms {(offset >= 0 ? "before" : "after")} the first arrival";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {message.Key} ({message.First().TenantId}): at {string.Join(", ", times.Select(t => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s; {between}");
        }

        text.Append(CultureInfo.InvariantCulture, $"webhooks converged {converged.TotalSeconds:F1} s after the hub was last ready again; {total.TotalSeconds:F1} s from the first signup");
        return text.ToString();
    }

    /// <summary>
    /// A fixed worker count, so that the pace of provisioning (at most <c>workers / AlloyLatency</c>) does not grow with the
    /// machine's cores. Webhooks may go to the receiver on loopback and are retried after 100 ms (a receiver that is always
    /// up fails no attempt, so retries come only from kills); the reconcilers run every 5 s besides each start (each run
    /// enqueues every due account and delivery again, queued ones included, so a tighter schedule floods the queue). The hub logs warnings and
    /// errors only; <c>CRASH_TEST_HUB_LOG_LEVEL=Information</c> (or Debug) logs more and keeps the files.
    /// </summary>
    private static Dictionary<string, string> HubSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Hangfire__WorkerCount"] = HubWorkers.ToString(CultureInfo.InvariantCulture),
            ["Hangfire__ReconcilerCron"] = "*/5 * * * * *",
            ["Webhooks__AllowPrivateNetworks"] = "true",
            ["Webhooks__Timeout"] = WebhookTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Webhooks__RetrySchedule"] = string.Join(',', Enumerable.Repeat("00:00:00.100", 10)),
            // Small batches: after a restart the due accounts go to Alloy in many batch calls, not one, so later kills
            // still land while batches (and their lookups) are in flight, as they do for single creates.
            ["Provisioning__BatchSize"] = "20",
        };
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

    /// <param name="WebhookTenants">Tenants whose webhook the receiver had got (verified) when the hub was killed.</param>
    /// <param name="RecentWebhooks">Webhooks that arrived within <see cref="RecentWindow"/> before the kill.</param>
    private sealed record KillRecord(
        int Number, TimeSpan At, string Trigger, int SignupsCompleted, int AlloyUsers, int WebhookTenants, int RecentWebhooks, TimeSpan Restart);
}
