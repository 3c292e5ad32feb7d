using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHub.Reliability.CrashTests.Infrastructure;

namespace IntegrationHub.Reliability.CrashTests;

/// <summary>
/// The event plane's guarantee "an accepted event reaches the tenant's Alloy workflows at least once, and one
/// Idempotency-Key stores one event": the real hub, SIGKILLed three times while a client sends 2,000 events for 50
/// tenants (most one by one with an <c>Idempotency-Key</c>, some in batches through <c>POST /api/events</c>), retrying
/// every request that got no answer with the same keys until the hub answers 200 or 202. Each tenant signs up just
/// before its first event, so its first events arrive while it is still being provisioned (Held). After the last
/// restart every accepted event must end Delivered, and the standalone sandbox must have received each one's payload
/// (matched by <c>data.clientSeq</c>) at least once, for the right tenant's Alloy user; the repeats are counted and
/// explained. Like <see cref="HubCrashTests"/>: SQLite file, in-memory job store, nothing mocked.
/// Replay a run with its seed: <c>CRASH_TEST_SEED=&lt;seed&gt; dotnet test --project tests/Reliability.CrashTests</c>.
/// </summary>
public sealed class EventCrashTests
{
    private const int TenantCount = 50;
    private const int EventCount = 2_000;
    private const int ClientParallelism = 8;
    private const int Kills = 3;
    private const int HubWorkers = 10;

    /// <summary>The share of requests that are batches (of 5 to 40 events): about a third of the events go that way.</summary>
    private const double BatchShare = 0.02;

    private const string LogLevelVariable = "CRASH_TEST_HUB_LOG_LEVEL";
    private static readonly TimeSpan AlloyLatency = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Alloy's whole-call timeout for this hub. A delivery attempt leases its event for this plus a fixed 30 s, so an
    /// attempt cut by a kill is sent again about 35 s after it began: that bounds how long the run takes to converge.
    /// </summary>
    private static readonly TimeSpan AlloyCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A kill counts as landing during deliveries when Alloy received one of this run's events this shortly before it.</summary>
    private static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(1);

    [Fact(Timeout = 200_000)]
    public async Task Events_WhenTheHubIsKilledThreeTimesWhileTheyAreAccepted_ShouldDeliverEveryAcceptedEventAtLeastOnceAndStoreEachKeyOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var seed = Seed();
        var random = new Random(seed);
        var runId = random.Next(0x1000000).ToString("x6", CultureInfo.InvariantCulture);
        var prefix = $"evcrash-{runId}-";
        var folder = Directory.CreateTempSubdirectory("integrationhub-eventcrash-").FullName;
        var tenantIds = Enumerable.Range(1, TenantCount).Select(i => $"{prefix}{i:D2}").ToList();
        var units = Plan(tenantIds, random);
        output?.WriteLine($"seed {seed} (replay: CRASH_TEST_SEED={seed}), {EventCount} events for tenants {prefix}01..{TenantCount:D2} in {units.Count} requests ({units.Count(u => u.Batch)} batches of {units.Where(u => u.Batch).Sum(u => u.Events.Count)} events), files in {folder}");

        var log = new LogFile(Path.Combine(folder, "processes.log"));
        SandboxProcess? sandbox = null;
        HubProcess? hub = null;
        var passed = false;
        try
        {
            // Arrange: Alloy (never killed) answers after AlloyLatency, so that kills land while deliveries are in flight.
            sandbox = await SandboxProcess.StartAsync(log, cancellationToken);
            await sandbox.Client.SetFaultsAsync(new { latencyMs = (int)AlloyLatency.TotalMilliseconds }, cancellationToken);
            hub = new HubProcess(Path.Combine(folder, "hub.db"), sandbox.BaseAddress, log, HubSettings());
            var firstStart = await hub.StartAsync(cancellationToken);
            using var service = hub.CreateClient(HubProcess.ServiceKey);
            using var admin = hub.CreateClient(HubProcess.AdminKey);
            var driver = new EventDriver(service, units, ClientParallelism, runId);
            var clock = Stopwatch.StartNew();

            // Act: send every event while a killer SIGKILLs and restarts the hub three times.
            var sending = driver.RunAsync(TimeSpan.FromSeconds(120), cancellationToken);
            var kills = await KillThreeTimesAsync(hub, driver, sandbox, sending, random, clock, cancellationToken);
            await sending;
            var acceptedAt = clock.Elapsed;
            var events = await WaitUntilDeliveredAsync(admin, cancellationToken);
            var lastReady = kills[^1].At + kills[^1].Restart;
            var converged = clock.Elapsed - lastReady;
            var arrivals = await sandbox.Client.ReceivedAsync(runId, cancellationToken);
            var tenants = await admin.TenantsAsync(cancellationToken);
            kills = [.. kills.Select(k => k with { RecentArrivals = arrivals.Count(a => a.ReceivedAt > k.AtUtc - RecentWindow && a.ReceivedAt <= k.AtUtc) })];
            output?.WriteLine(KillTable(firstStart, kills));
            output?.WriteLine(Summary(driver, events, arrivals, kills, acceptedAt, converged, clock.Elapsed));

            // Assert: the client's view. Every event was accepted, each key answered with one and the same event.
            var accepted = driver.AcceptedEvents;
            accepted.Count.ShouldBe(EventCount, "events the hub answered 200/202 for");
            driver.AnsweredIds.Where(p => p.Value.Count != 1).Select(p => $"clientSeq {p.Key}: {string.Join(", ", p.Value)}").Take(10)
                .ShouldBeEmpty("keys answered with more than one event id (stored twice)");
            accepted.Values.Count(a => a.StatusAtAcceptance == "Held").ShouldBeGreaterThanOrEqualTo(1, "events accepted Held (their tenant still provisioning)");
            kills.Count.ShouldBe(Kills);
            kills.Where(k => k.Accepted >= EventCount).Select(k => $"kill #{k.Number}").ShouldBeEmpty("kills after every event was accepted (each must land while events are sent)");
            kills.Count(k => k.RecentArrivals > 0).ShouldBeGreaterThanOrEqualTo(1, "kills within 1 s of an arrival at Alloy (while deliveries were going on)");

            // Assert: the hub's view. One stored event per key, the very ones it answered, all Delivered.
            events.Where(e => e.Status != "Delivered").Select(e => $"{e.EventId} {e.Status} ({e.Attempts} attempts): {e.LastError}").Take(10)
                .ShouldBeEmpty("events not Delivered");
            events.Count.ShouldBe(EventCount, "events stored by the hub (one per Idempotency-Key)");
            events.Select(e => e.EventId).Order(StringComparer.Ordinal)
                .ShouldBe(accepted.Values.Select(a => a.EventId).Order(StringComparer.Ordinal), ignoreOrder: false, "the hub's events and the ones it answered");
            var eventsById = events.ToDictionary(e => e.EventId, StringComparer.Ordinal);
            accepted.Values.Where(a => eventsById[a.EventId].TenantId != a.Planned.TenantId).Select(a => a.EventId).Take(10)
                .ShouldBeEmpty("events stored for another tenant than the one they were sent for");

            // Assert: Alloy's view. Every accepted event's payload arrived at least once, for its tenant's Alloy user.
            var userOf = tenants.ToDictionary(t => t.TenantId, t => t.UserId, StringComparer.Ordinal);
            var bySeq = arrivals.Where(a => a.ClientSeq is not null).GroupBy(a => a.ClientSeq!.Value).ToDictionary(g => g.Key, g => g.ToList());
            accepted.Keys.Where(seq => !bySeq.ContainsKey(seq)).Order().Take(20).ShouldBeEmpty("accepted events that never reached Alloy (lost)");
            bySeq.Keys.Where(seq => !accepted.ContainsKey(seq)).Take(10).ShouldBeEmpty("arrivals of events the hub never accepted");
            arrivals.Where(a => a.ClientSeq is null).Take(10).ShouldBeEmpty("arrivals without data.clientSeq");
            arrivals.Where(a => a.Event != EventDriver.EventName).Take(10).ShouldBeEmpty("arrivals under another event name");
            arrivals.Where(a => a.UserId != userOf[accepted[a.ClientSeq!.Value].Planned.TenantId]).Select(a => $"clientSeq {a.ClientSeq} at {a.UserId}").Take(10)
                .ShouldBeEmpty("arrivals at another Alloy user than their tenant's");
            bySeq.Where(p => p.Value.Count > eventsById[accepted[p.Key].EventId].Attempts)
                .Select(p => $"clientSeq {p.Key}: {p.Value.Count} arrivals, {eventsById[accepted[p.Key].EventId].Attempts} attempts").Take(10)
                .ShouldBeEmpty("events that arrived more often than the hub attempted them");
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
    /// The requests, in sending order: event n goes to one of the tenants opened so far, and tenants open one after the
    /// other over the first half of the events (the newly opened tenant gets the event that opens it, so it is signed up
    /// just before and its first events find it provisioning). About one request in fifty is a batch of 5 to 40 events.
    /// </summary>
    private static List<EventUnit> Plan(IReadOnlyList<string> tenantIds, Random random)
    {
        var units = new List<EventUnit>();
        var open = 0;
        PlannedEvent Next(int seq)
        {
            var reached = Math.Min(tenantIds.Count, 1 + ((seq - 1) * tenantIds.Count / (EventCount / 2)));
            if (reached > open)
            {
                open = reached;
                return new PlannedEvent(seq, tenantIds[open - 1]);
            }

            return new PlannedEvent(seq, tenantIds[random.Next(open)]);
        }

        for (var seq = 1; seq <= EventCount;)
        {
            if (random.NextDouble() < BatchShare)
            {
                var size = Math.Min(random.Next(5, 41), EventCount - seq + 1);
                units.Add(new EventUnit(Batch: true, [.. Enumerable.Range(seq, size).Select(Next)]));
                seq += size;
            }
            else
            {
                units.Add(new EventUnit(Batch: false, [Next(seq)]));
                seq++;
            }
        }

        return units;
    }

    /// <summary>
    /// The experiment: three kills, each once the client has a random share of the events accepted (5–15 %, 25–35 %,
    /// 45–55 %), so that each lands while events are being sent and, the hub delivering as it accepts, while deliveries
    /// are in flight; the last comes mid-way, so that the lease of an attempt it cut runs out while the client still sends.
    /// Each restart reuses the port and the database file.
    /// </summary>
    private static async Task<List<EventKill>> KillThreeTimesAsync(
        HubProcess hub, EventDriver driver, SandboxProcess sandbox, Task sending, Random random, Stopwatch clock, CancellationToken cancellationToken)
    {
        (int From, int To)[] shares = [(5, 15), (25, 35), (45, 55)];
        var kills = new List<EventKill>();
        foreach (var (from, to) in shares)
        {
            var threshold = EventCount * random.Next(from, to + 1) / 100;
            await Poll.UntilAsync(
                () => driver.Accepted >= threshold || sending.IsCompleted,
                $"{threshold} events accepted",
                TimeSpan.FromSeconds(90),
                TimeSpan.FromMilliseconds(5),
                cancellationToken);
            var accepted = driver.Accepted;
            var tenantsSignedUp = driver.TenantsSignedUp;
            var received = (await sandbox.Client.GetStatsAsync(cancellationToken)).GetProperty("receivedEvents").GetProperty("total").GetInt64();
            var at = clock.Elapsed;
            var atUtc = DateTimeOffset.UtcNow;
            hub.Kill();
            var restart = await hub.StartAsync(cancellationToken);
            kills.Add(new EventKill(kills.Count + 1, at, atUtc, $"{threshold} accepted", accepted, tenantsSignedUp, received, RecentArrivals: 0, restart));
        }

        return kills;
    }

    /// <summary>Polls the admin listing until every event is Delivered (or one Failed); on timeout, names the ones left.</summary>
    private static async Task<IReadOnlyList<EventSnapshot>> WaitUntilDeliveredAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        try
        {
            return await Poll.UntilAsync(
                ct => admin.EventsAsync(status: null, ct),
                e => (e.Count >= EventCount && e.All(x => x.Status == "Delivered")) || e.Any(x => x.Status == "Failed"),
                $"all {EventCount} events Delivered",
                ConvergenceTimeout,
                TimeSpan.FromSeconds(1),
                cancellationToken);
        }
        catch (TimeoutException ex)
        {
            var events = await admin.EventsAsync(status: null, cancellationToken);
            var left = events.Where(e => e.Status != "Delivered").ToList();
            throw new TimeoutException(
                $"{left.Count} of {events.Count} events not Delivered {ConvergenceTimeout.TotalSeconds} s after the client's last one was accepted; by state: "
                + string.Join(", ", events.GroupBy(e => e.Status).Select(g => $"{g.Key} {g.Count()}")) + "; "
                + string.Join("; ", left.Take(20)), ex);
        }
    }

    private static string KillTable(TimeSpan firstStart, IReadOnlyList<EventKill> kills)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"first start: hub ready in {firstStart.TotalSeconds:F1} s");
        text.AppendLine("kill  at (s)  trigger         events accepted  tenants signed up  received by alloy (last 1 s)  hub ready again (s)");
        foreach (var k in kills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{k.Number,4}  {k.At.TotalSeconds,6:F1}  {k.Trigger,-14}  {k.Accepted,15}  {k.TenantsSignedUp,17}  {k.AlloyReceived,17} {"(" + k.RecentArrivals.ToString(CultureInfo.InvariantCulture) + ")",10}  {k.Restart.TotalSeconds,19:F1}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The numbers of the run, and for each event that reached Alloy more than once (the first ten) when it arrived and
    /// the kill nearest its first arrival. Alloy had taken the event (or took it just after the kill: the sandbox, like
    /// a server, finishes a call whose caller died), the hub was killed before it committed Delivered, and after the
    /// restart the event was still Pending under its attempt's lease: once the lease ended it was sent again.
    /// </summary>
    private static string Summary(
        EventDriver driver, IReadOnlyList<EventSnapshot> events, IReadOnlyList<SandboxArrival> arrivals, IReadOnlyList<EventKill> kills,
        TimeSpan acceptedAt, TimeSpan converged, TimeSpan total)
    {
        var text = new StringBuilder();
        var accepted = driver.AcceptedEvents.Values.ToList();
        var repeated = arrivals.Where(a => a.ClientSeq is not null).GroupBy(a => a.ClientSeq!.Value).Where(g => g.Count() > 1).OrderBy(g => g.Key).ToList();
        var latencies = events.Where(e => e.DeliveredAt is not null).Select(e => e.DeliveredAt!.Value - e.AcceptedAt).ToList();
        var attempts = events.Select(e => e.Attempts).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"accepted: {accepted.Count} of {driver.Total} events ({accepted.Count(a => a.HttpStatus == 202)} answered 202, {driver.Repeated} answered 200 for a key stored before its answer was lost), {accepted.Count(a => a.StatusAtAcceptance == "Held")} Held at acceptance; {driver.TransportFailures} tries without answer, {driver.ServerErrors} answered 5xx, {driver.Throttled} answered 429");
        text.AppendLine(CultureInfo.InvariantCulture, $"hub: {events.Count} events stored, {events.Count(e => e.Status == "Delivered")} Delivered, attempts total {attempts.Sum()}, max {attempts.DefaultIfEmpty().Max()}; max delivery latency (accepted to Delivered) {latencies.DefaultIfEmpty().Max().TotalSeconds:F1} s, median {Median(latencies).TotalSeconds:F2} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"alloy: {arrivals.Count} arrivals of {arrivals.Select(a => a.ClientSeq).Distinct().Count()} events");
        text.AppendLine(CultureInfo.InvariantCulture, $"duplicates: {repeated.Count} events arrived more than once ({arrivals.Count - arrivals.Select(a => a.ClientSeq).Distinct().Count()} extra arrivals): each attempt was cut by a kill after Alloy took the event (or while it still ran it: Alloy finishes a call whose caller died) and before the hub committed Delivered, so the event stayed Pending under the attempt's lease and was sent again once the lease ({AlloyCallTimeout.TotalSeconds:F0} s + 30 s) ended");
        foreach (var group in repeated.Take(10))
        {
            var times = group.Select(a => a.ReceivedAt).Order().ToList();
            var kill = kills.MinBy(k => (k.AtUtc - times[0]).Duration())!;
            var offset = (times[0] - kill.AtUtc).TotalMilliseconds;
            text.AppendLine(CultureInfo.InvariantCulture, $"  clientSeq {group.Key}: at {string.Join(", ", times.Select(t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}; kill #{kill.Number} {Math.Abs(offset):F0} ms {(offset >= 0 ? "before" : "after")} the first arrival");
        }

        text.Append(CultureInfo.InvariantCulture, $"kills: {kills.Count}; all accepted {acceptedAt.TotalSeconds:F1} s from the first event; all Delivered {converged.TotalSeconds:F1} s after the hub was last ready again; {total.TotalSeconds:F1} s in all");
        return text.ToString();
    }

    private static TimeSpan Median(List<TimeSpan> values) =>
        values.Count == 0 ? TimeSpan.Zero : values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// As <see cref="HubCrashTests"/>'s hub (a fixed worker count, the reconcilers every 5 s), with Alloy calls bounded
    /// by <see cref="AlloyCallTimeout"/> (so a cut attempt's lease ends 35 s after it began instead of 60 s) and a
    /// service-key budget the client cannot reach (the limiter still runs).
    /// </summary>
    private static Dictionary<string, string> HubSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Hangfire__WorkerCount"] = HubWorkers.ToString(CultureInfo.InvariantCulture),
            ["Hangfire__ReconcilerCron"] = "*/5 * * * * *",
            ["Alloy__Resilience__AttemptTimeout"] = "00:00:02",
            ["Alloy__Resilience__TotalRequestTimeout"] = AlloyCallTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Alloy__Resilience__MaxRetryAttempts"] = "3",
            ["RateLimits__ServiceKeyPerMinute"] = "1000000",
        };
        if (Environment.GetEnvironmentVariable(LogLevelVariable) is { Length: > 0 } level)
        {
            settings["Serilog__MinimumLevel__Default"] = level;
        }

        return settings;
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("CRASH_TEST_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next();

    /// <param name="Accepted">Events the client had accepted when the hub was killed.</param>
    /// <param name="AlloyReceived">Events the sandbox had received (all of them, repeats included) just before the kill.</param>
    /// <param name="RecentArrivals">This run's events that arrived at Alloy within <see cref="RecentWindow"/> before the kill.</param>
    private sealed record EventKill(
        int Number, TimeSpan At, DateTimeOffset AtUtc, string Trigger, int Accepted, int TenantsSignedUp, long AlloyReceived, int RecentArrivals, TimeSpan Restart);
}
