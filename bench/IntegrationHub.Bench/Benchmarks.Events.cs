using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static IntegrationHub.Bench.Report;

namespace IntegrationHub.Bench;

/// <summary>P9 (event intake) and P10 (event delivery to Alloy).</summary>
internal sealed partial class Benchmarks
{
    private const string EventName = "ticket.created";

    /// <summary>The hub's default <c>Events:MaxInFlightPerTenant</c>, set explicitly for P10 so its baseline's concurrency is known.</summary>
    private const int EventsInFlightPerTenant = 4;

    /// <summary>Items per <c>POST /api/events</c> when P10 accepts a round's backlog (the most the API takes).</summary>
    private const int EventBatchSize = 500;

    /// <summary>A realistic small event: about 200 bytes of data; "{n}" is unique per request (wrk) or per event.</summary>
    private const string EventData =
        """{"ticketId":"{n}","subject":"Printer on the third floor is on fire","priority":"high","requester":{"email":"ada@example.com","name":"Ada Lovelace"},"tags":["hardware","urgent"]}""";

    /// <summary>
    /// P9: <c>POST /api/tenants/{id}/events</c> against a bare endpoint doing one raw insert of the same payload, both
    /// behind the service key, in an API-only hub whose tenants were provisioned by a full hub on the same database.
    /// </summary>
    public async Task IntakeAsync(Sandbox sandbox)
    {
        var tenants = Enumerable.Range(1, profile.IntakeTenants).Select(i => $"p9-tenant-{i:00}").ToList();
        await using (var provisioning = await Hub.StartAsync(layout, "hub-intake", serverCpu, sandbox, credentials, "All", profile.Workers))
        {
            Progress($"hub-intake (role All, pid {provisioning.Process.Pid}) provisions P9's {tenants.Count} tenants");
            await provisioning.SignUpAllAsync(tenants, 8);
            await provisioning.WaitProvisionedAsync(tenants.Count, TimeSpan.FromMinutes(2));
        }

        await using var hub = await Hub.StartAsync(layout, "hub-intake", serverCpu, sandbox, credentials, "Api", profile.Workers, keepDatabase: true);
        Progress($"hub-intake ready again as role Api (pid {hub.Process.Pid}); P9: {profile.IntakeConnections} connections over {tenants.Count} provisioned tenants");
        var headers = new Dictionary<string, string>
        {
            ["X-Api-Key"] = credentials.ServiceKey,
            ["Content-Type"] = "application/json",
            ["Idempotency-Key"] = "{n}",
        };
        var body = $$"""{"event":"{{EventName}}","data":{{EventData}}}""";
        var hubRequests = tenants.Select(t => new WrkRequest("POST", $"/api/tenants/{t}/events", headers, body)).ToList();
        var bareRequests = tenants.Select(t => new WrkRequest("POST", $"/_bench/tenants/{t}/events", headers, body)).ToList();
        var (hubSamples, bareSamples) = await AlternateAsync(
            "P9", hub, "intake", "raw insert",
            round => _wrk.RunAsync(hub.BaseUrl, hubRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.IntakeConnections, $"p9-r{round + 1}-hub"),
            round => _wrk.RunAsync(hub.BaseUrl, bareRequests, round < 0 ? profile.Warmup : profile.RoundDuration, profile.IntakeConnections, $"p9-r{round + 1}-raw"));

        // Every request stored one event, Pending (its tenant provisioned): none was Held, none a repeat.
        var states = await EventStatesAsync(hub.DatabasePath, afterId: 0);
        var stored = states.Values.Sum();
        var answered = hubSamples.Sum(s => s.Wrk.Requests);
        if (states.Keys.Any(s => s != "Pending"))
        {
            report.Fail($"P9: the intake stored events in states {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}; all should be Pending (tenants provisioned, no worker in an API-only hub).");
        }

        var throughput = Median(hubSamples.Zip(bareSamples, (h, b) => h.Wrk.Throughput / b.Wrk.Throughput));
        report.Goal(new GoalResult("P9", "event intake vs bare endpoint doing one raw SQLite insert of the same payload", "≥ 0.5× throughput",
            $"{F(throughput)}× throughput ({F(Median(hubSamples.Select(s => s.Wrk.Throughput)), "N0")} vs {F(Median(bareSamples.Select(s => s.Wrk.Throughput)), "N0")} req/s)",
            throughput >= 0.5));
        report.Section($"""
            ## P9: event intake

            `POST /api/tenants/{"{id}"}/events` with a unique `Idempotency-Key` per request and a `ticket.created` event of {System.Text.Encoding.UTF8.GetByteCount(EventData)} bytes
            of data (validation, the event catalog from its cache, the provisioned account from the process's cache, so no
            read before the insert; the event row, whose unique index on tenant and key catches a repeated key; the tenant's
            delivery job requested) against `POST /_bench/tenants/{"{id}"}/events`, a bench-only
            endpoint behind the same service-key authentication that binds the same body and header and runs one `INSERT` of
            the same compact payload through a pooled raw Microsoft.Data.Sqlite connection on the same database file
            (table `BenchEvents`, unique on tenant and key, `synchronous = NORMAL` like the hub). The {tenants.Count} tenants were signed up and
            provisioned by a full hub on this database first; the measured hub runs as `Hub:Role=Api` on it (as P4: delivery
            jobs are enqueued, a worker would run them; P10 measures delivery), so every event is accepted `Pending`. wrk with
            {profile.IntakeConnections} connections rotates over the tenants, {profile.Rounds} alternating rounds of {profile.RoundDuration.TotalSeconds} s ({WarmupText}).
            The hub stored {stored:N0} events in all (warm-ups included; {answered:N0} answered in the timed rounds), in states: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))}.

            {RoundsTable("intake", "raw", hubSamples, bareSamples)}
            Median throughput ratio: **{F(throughput)}×**.
            """);
    }

    /// <summary>
    /// P10: events delivered to Alloy per second by the hub (a backlog accepted while the tenants' provisioning is held
    /// at the sandbox's gate, timed from the gate's opening until every event is Delivered) against a plain HttpClient
    /// making the same <c>POST /run/event</c> calls with the same concurrency, both against the sandbox at 50 ms.
    /// </summary>
    public async Task EventDeliveriesAsync(Sandbox sandbox)
    {
        var inFlight = profile.EventTenants * EventsInFlightPerTenant;
        var count = profile.EventsPerRound;
        await sandbox.SetLatencyAsync(0);
        await using var hub = await Hub.StartAsync(layout, "hub-events", serverCpu, sandbox, credentials, "All", profile.Workers, new Dictionary<string, string>
        {
            ["Events__MaxInFlightPerTenant"] = EventsInFlightPerTenant.ToString(CultureInfo.InvariantCulture),
            // Each tenant's own POST /users waits at the gate (a batch would hold them all in one call): P10 measures delivery.
            ["Provisioning__BatchEnabled"] = "false",
            // A round's provisioning calls wait at the sandbox's gate while its backlog is accepted: they must not time out there.
            ["Alloy__Resilience__AttemptTimeout"] = "00:01:00",
            ["Alloy__Resilience__TotalRequestTimeout"] = "00:02:00",
            ["Alloy__Resilience__CircuitBreakerSamplingDuration"] = "00:02:00",
        });
        await sandbox.SetLatencyAsync(profile.AlloyLatencyMs);
        Progress($"hub-events ready (pid {hub.Process.Pid}); P10: {count:N0} events per round for {profile.EventTenants} tenants, {inFlight} in flight, Alloy at {profile.AlloyLatencyMs} ms");

        var rounds = 0;
        string? payloads = null;
        async Task<EventRound> HubRoundAsync(string label)
        {
            var round = ++rounds;
            var tenants = Enumerable.Range(1, profile.EventTenants).Select(i => $"p10-r{round:00}-t{i:00}").ToList();
            await sandbox.CloseGateAsync("POST", "/users", tenants.Count);
            await hub.SignUpAllAsync(tenants, tenants.Count);
            await WaitAsync(async () => await sandbox.HeldAtGateAsync() >= tenants.Count, TimeSpan.FromMinutes(1), $"{label}: {tenants.Count} provisioning calls held at the sandbox's gate");
            var firstId = await MaxEventIdAsync(hub.DatabasePath);
            var accepting = Stopwatch.StartNew();
            await AcceptHeldAsync(hub, tenants, count, label);
            accepting.Stop();

            var receivedBefore = await sandbox.ReceivedEventsAsync();
            var cpuBefore = hub.Process.CpuTime();
            var clock = Stopwatch.StartNew();
            await sandbox.OpenGateAsync();
            await WaitAsync(
                async () =>
                {
                    var states = await EventStatesAsync(hub.DatabasePath, firstId);
                    return states.GetValueOrDefault("Failed") > 0
                        ? throw new InvalidOperationException($"{label}: {states["Failed"]} events Failed; see {hub.Process.LogPath}.")
                        : states.GetValueOrDefault("Delivered") >= count;
                },
                TimeSpan.FromMinutes(5),
                $"{label}: {count} events Delivered");
            clock.Stop();
            var cpuMs = (hub.Process.CpuTime() - cpuBefore).TotalMilliseconds;
            var extra = await sandbox.ReceivedEventsAsync() - receivedBefore - count;
            payloads ??= await WritePayloadsAsync(hub.DatabasePath, firstId, count);
            var result = new EventRound(count / clock.Elapsed.TotalSeconds, cpuMs / clock.Elapsed.TotalMilliseconds * 100, cpuMs / count, count / accepting.Elapsed.TotalSeconds, extra);
            Progress($"{label,-32} {F(result.Rate, "N0"),9} events/s  {F(clock.Elapsed.TotalSeconds)} s (backlog accepted at {F(result.AcceptRate, "N0")} events/s)  hub core {F(result.Cpu, "N0")} %, {F(result.CpuMsPerEvent)} ms per event  repeats {extra}");
            return result;
        }

        async Task<double> DirectRoundAsync(string label)
        {
            var (exit, output, error) = await ManagedProcess.RunAsync(serverCpu, "dotnet",
            [
                layout.BenchDll, DirectEvents.Command,
                "--sandbox", sandbox.BaseUrl.ToString(), "--key", Sandbox.DevelopmentKey, "--payloads", payloads!,
                "--concurrency", inFlight.ToString(CultureInfo.InvariantCulture),
                "--warmup", Math.Min(count, 1000).ToString(CultureInfo.InvariantCulture),
            ]);
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("DIRECTJSON ", StringComparison.Ordinal));
            if (exit != 0 || line is null)
            {
                throw new InvalidOperationException($"P10: the direct client failed (exit {exit}): {error}\n{output}");
            }

            using var json = JsonDocument.Parse(line["DIRECTJSON ".Length..]);
            var elapsed = TimeSpan.FromMilliseconds(json.RootElement.GetProperty("elapsedMs").GetDouble());
            var rate = count / elapsed.TotalSeconds;
            Progress($"{label,-32} {F(rate, "N0"),9} events/s  {F(elapsed.TotalSeconds)} s");
            return rate;
        }

        // Warm-up rounds of the hub until two in a row agree within 5 % (tiered compilation), as P7.
        double? previous = null;
        var warmups = 0;
        while (warmups < profile.EventMaxWarmupRounds)
        {
            var rate = (await HubRoundAsync($"P10 warm-up {++warmups} hub")).Rate;
            if (warmups >= profile.EventWarmupRounds && previous is { } last && Math.Abs(rate - last) <= 0.05 * Math.Max(rate, last))
            {
                break;
            }

            previous = rate;
        }

        List<EventRound> hubRounds = [];
        List<double> directRounds = [];
        for (var round = 0; round < profile.Rounds; round++)
        {
            var label = $"P10 round {round + 1}/{profile.Rounds}";
            if (round % 2 == 0)
            {
                hubRounds.Add(await HubRoundAsync($"{label} hub"));
                directRounds.Add(await DirectRoundAsync($"{label} direct"));
            }
            else
            {
                directRounds.Add(await DirectRoundAsync($"{label} direct"));
                hubRounds.Add(await HubRoundAsync($"{label} hub"));
            }
        }

        await sandbox.SetLatencyAsync(0);
        var ratio = Median(hubRounds.Zip(directRounds, (h, d) => h.Rate / d));
        var ceiling = inFlight * 1000.0 / profile.AlloyLatencyMs;
        report.Goal(new GoalResult("P10", $"event delivery to Alloy at {profile.AlloyLatencyMs} ms, {count:N0} events for {profile.EventTenants} tenants, {inFlight} in flight, vs a direct client",
            "≥ 0.8× events/s",
            $"{F(ratio)}× ({F(Median(hubRounds.Select(r => r.Rate)), "N0")} vs {F(Median(directRounds), "N0")} events/s); hub {F(Median(hubRounds.Select(r => r.CpuMsPerEvent)))} CPU ms per event",
            ratio >= 0.8));
        var rows = string.Join('\n', hubRounds.Zip(directRounds, (h, d) => (h, d)).Select((r, i) =>
            $"| {i + 1} | {F(r.h.Rate, "N0")} | {F(r.d, "N0")} | {F(r.h.Rate / r.d)} | {F(r.h.AcceptRate, "N0")} | {F(r.h.Cpu, "N0")} % | {F(r.h.CpuMsPerEvent)} | {r.h.Repeats} |"));
        report.Section($"""
            ## P10: event delivery to Alloy

            The hub (`Hub:Role=All`, {profile.Workers} Hangfire workers, `Events:MaxInFlightPerTenant={EventsInFlightPerTenant}`) and the sandbox answering every call
            after {profile.AlloyLatencyMs} ms. Each hub round signs up {profile.EventTenants} new tenants while the sandbox's gate holds their `POST /users`, accepts
            {count:N0} `ticket.created` events for them (round-robin, `POST /api/events` in batches of {EventBatchSize}, every one `Held`: the tenant
            is still provisioning), then opens the gate: provisioning completes, each tenant's delivery job releases its events
            and sends them in acceptance order, {EventsInFlightPerTenant} at a time (lease in one save, the calls, outcomes and attempts in one save).
            Timed from the gate's opening until the database shows all {count:N0} `Delivered` (so it includes one provisioning call per
            tenant, made in parallel). The baseline (`direct-events`, its own process on the hub's core) makes the same
            `POST /run/event` calls (the first hub round's {count:N0} events: same users, same bodies, same headers) from
            {inFlight} concurrent loops ({profile.EventTenants} tenants × {EventsInFlightPerTenant}) over one HttpClient, after a warm-up pass of its own;
            timed from the first request to the last answer. At this latency the ceiling is {inFlight} / {F(profile.AlloyLatencyMs / 1000.0)} s = {F(ceiling, "N0")} calls/s.
            The hub was warmed up with {warmups} round(s) (at least {profile.EventWarmupRounds}, then until two in a row agreed within 5 %, at most
            {profile.EventMaxWarmupRounds}). {profile.Rounds} alternating rounds. "Repeats" counts calls the sandbox received beyond one per event.

            | round | hub events/s | direct events/s | ratio | backlog accepted (events/s) | hub core busy | hub CPU ms per event | repeats |
            |---|---|---|---|---|---|---|---|
            {rows}

            Median ratio: **{F(ratio)}×**; the hub spent a median {F(Median(hubRounds.Select(r => r.CpuMsPerEvent)))} ms of CPU per delivered event.
            """);
    }

    /// <summary>Accepts <paramref name="count"/> events for <paramref name="tenants"/> through <c>POST /api/events</c>; every one must be accepted Held.</summary>
    private static async Task AcceptHeldAsync(Hub hub, List<string> tenants, int count, string label)
    {
        var batches = Enumerable.Range(0, count).Chunk(EventBatchSize).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var b && b < batches.Count)
            {
                var items = batches[b].Select(i =>
                {
                    var tenant = tenants[i % tenants.Count];
                    return new { tenantId = tenant, @event = EventName, data = JsonDocument.Parse(EventData.Replace("{n}", $"{tenant}-{i}", StringComparison.Ordinal)).RootElement };
                }).ToList();
                using var response = await hub.Service.PostAsJsonAsync("api/events", new { events = items });
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.MultiStatus)
                {
                    throw new InvalidOperationException($"{label}: POST /api/events answered {(int)response.StatusCode}: {text}");
                }

                var refused = JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray()
                    .FirstOrDefault(r => r.GetProperty("status").GetInt32() != 202 || r.GetProperty("event").GetProperty("status").GetString() != "Held");
                if (refused.ValueKind != JsonValueKind.Undefined)
                {
                    throw new InvalidOperationException($"{label}: an event was not accepted Held: {refused}");
                }
            }
        }));
    }

    /// <summary>The round's events as the hub sends them to Alloy, one <c>POST /run/event</c> body per line, for the direct client.</summary>
    private async Task<string> WritePayloadsAsync(string databasePath, long afterId, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=True");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT e.Name, a.UserId, e.Data FROM TenantEvents e JOIN AlloyAccounts a ON a.TenantId = e.TenantId AND a.Environment = 'Development' " +
            "WHERE e.Id > $after ORDER BY e.Id;";
        command.Parameters.AddWithValue("$after", afterId);
        var lines = new List<string>(count);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(DirectEvents.Body(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (lines.Count != count)
        {
            throw new InvalidOperationException($"P10: {lines.Count} events of the first round found with their Alloy users, {count} expected.");
        }

        var path = Path.Combine(layout.RunFolder, "p10-payloads.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    /// <summary>Events by state with an Id above <paramref name="afterId"/>, read beside the running hub.</summary>
    private static async Task<Dictionary<string, long>> EventStatesAsync(string databasePath, long afterId)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=True");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT State, COUNT(*) FROM TenantEvents WHERE Id > $after GROUP BY State;";
        command.Parameters.AddWithValue("$after", afterId);
        var states = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    private static async Task<long> MaxEventIdAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=True");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM TenantEvents;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls <paramref name="done"/> every 20 ms until it holds; a timeout fails the run with <paramref name="what"/>.</summary>
    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not done within {timeout.TotalSeconds} s: {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <param name="AcceptRate">How fast the round's backlog was accepted (held) before the timed drain.</param>
    /// <param name="Repeats">Calls the sandbox received beyond one per event during the drain.</param>
    private sealed record EventRound(double Rate, double Cpu, double CpuMsPerEvent, double AcceptRate, long Repeats);
}
