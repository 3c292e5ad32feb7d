using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Faults;

/// <summary>What the fault settings decided for one call.</summary>
/// <param name="Failure">The failure to answer with, or null to answer normally.</param>
/// <param name="AfterHandling">Whether the real handler runs before the failure replaces its response.</param>
/// <param name="LoseAnswer">Whether a successful answer is lost after the handler ran (the lost-answer fault).</param>
/// <param name="LostAnswerStatus">0: abort the connection; otherwise the 5xx status that replaces the lost answer.</param>
internal readonly record struct FaultDecision(ApiError? Failure, bool AfterHandling, bool LoseAnswer = false, int LostAnswerStatus = 0);

/// <summary>A call the gate holds: <see cref="FaultInjector.WaitAtGateAsync"/> it before or after the handler runs.</summary>
internal sealed class GateTicket
{
    internal GateTicket(object state, bool afterHandling, Task opened)
    {
        State = state;
        AfterHandling = afterHandling;
        Opened = opened;
    }

    public bool AfterHandling { get; }

    internal object State { get; }

    internal Task Opened { get; }
}

/// <summary>Holds the current fault settings and decides, call by call, whether to fail.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings;
    private List<ScriptedState> _scripted;
    private OperationPattern? _lostAnswerPattern;
    private GateState? _closedGate;

    public FaultInjector(IOptions<AlloySandboxOptions> options)
    {
        var initial = options.Value.Faults ?? FaultSettings.None;
        if (initial.Validate() is { } problem)
        {
            throw new InvalidOperationException($"AlloySandbox:Faults is invalid: {problem}");
        }

        (_settings, _scripted, _lostAnswerPattern) = Normalize(initial);
    }

    /// <summary>The latency currently configured.</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_settings.LatencyMs);
            }
        }
    }

    /// <summary>Whether <see cref="FaultSettings.InvalidUsernames"/> names <paramref name="username"/> (compared exactly).</summary>
    public bool IsInvalidUsername(string username)
    {
        lock (_gate)
        {
            return _settings.InvalidUsernames is { Count: > 0 } invalid && invalid.Contains(username, StringComparer.Ordinal);
        }
    }

    /// <summary>The current settings, scripted entries showing the calls they have left.</summary>
    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings with
                {
                    Scripted = _scripted.Select(s => s.Fault with { Times = s.Remaining }).ToList(),
                };
            }
        }
    }

    /// <summary>Replace the settings; returns the problem when they are invalid.</summary>
    public string? Apply(FaultSettings settings)
    {
        if (settings.Validate() is { } problem)
        {
            return problem;
        }

        var (normalized, scripted, lostAnswerPattern) = Normalize(settings);
        lock (_gate)
        {
            _settings = normalized;
            _scripted = scripted;
            _lostAnswerPattern = lostAnswerPattern;
        }

        return null;
    }

    public void Clear() => Apply(FaultSettings.None);

    /// <summary>The gate as it stands: what it holds and how many calls wait at it.</summary>
    public GateStatus Gate
    {
        get
        {
            lock (_gate)
            {
                return _closedGate is { } closed
                    ? new GateStatus(true, closed.Settings, closed.Remaining, closed.Held)
                    : new GateStatus(false, null, 0, 0);
            }
        }
    }

    /// <summary>Closes the gate on the calls <paramref name="settings"/> describe (opening any earlier one); returns the problem when they are invalid.</summary>
    public string? CloseGate(GateSettings settings)
    {
        if (settings.Validate() is { } problem)
        {
            return problem;
        }

        GateState? previous;
        lock (_gate)
        {
            previous = _closedGate;
            _closedGate = new GateState(settings);
        }

        previous?.Opened.TrySetResult();
        return null;
    }

    /// <summary>Opens the gate: every held call goes on, and no further call is held.</summary>
    public void OpenGate()
    {
        GateState? previous;
        lock (_gate)
        {
            previous = _closedGate;
            _closedGate = null;
        }

        previous?.Opened.TrySetResult();
    }

    /// <summary>Whether the gate holds this call; consumes one of the calls it was closed for.</summary>
    public GateTicket? EnterGate(SandboxOperation operation)
    {
        lock (_gate)
        {
            if (_closedGate is not { Remaining: > 0 } closed || !closed.Pattern.Matches(operation))
            {
                return null;
            }

            closed.Remaining--;
            return new GateTicket(closed, closed.Settings.AfterHandling, closed.Opened.Task);
        }
    }

    /// <summary>Waits until the gate that took <paramref name="ticket"/> is opened (or the call is abandoned).</summary>
    public async Task WaitAtGateAsync(GateTicket ticket, CancellationToken cancellationToken)
    {
        var state = (GateState)ticket.State;
        lock (_gate)
        {
            state.Held++;
        }

        try
        {
            await ticket.Opened.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                state.Held--;
            }
        }
    }

    /// <summary>Decide the fate of one call of <paramref name="operation"/>; consumes a scripted entry when one matches.</summary>
    public FaultDecision Decide(SandboxOperation operation)
    {
        lock (_gate)
        {
            for (var i = 0; i < _scripted.Count; i++)
            {
                var entry = _scripted[i];
                if (!entry.Matches(operation))
                {
                    continue;
                }

                entry.Remaining--;
                if (entry.Remaining <= 0)
                {
                    _scripted.RemoveAt(i);
                }

                var status = entry.Fault.Status;
                var failure = status == StatusCodes.Status429TooManyRequests
                    ? ApiError.TooManyRequests(_settings.RetryAfterSeconds)
                    : new ApiError(status, ApiError.DefaultMessage(status));
                return new FaultDecision(failure, entry.Fault.AfterHandling);
            }

            if (_settings.RateLimitRate > 0 && Random.Shared.NextDouble() < _settings.RateLimitRate)
            {
                return new FaultDecision(ApiError.TooManyRequests(_settings.RetryAfterSeconds), false);
            }

            if (_settings.ErrorRate > 0 && Random.Shared.NextDouble() < _settings.ErrorRate)
            {
                return new FaultDecision(new ApiError(_settings.ErrorStatus, "Internal server error"), false);
            }

            if (_settings.LostAnswerRate > 0
                && IsMutating(operation.Method)
                && _lostAnswerPattern?.Matches(operation) != false
                && (_settings.LostAnswerMethod is "*" || string.Equals(_settings.LostAnswerMethod, operation.Method, StringComparison.Ordinal))
                && Random.Shared.NextDouble() < _settings.LostAnswerRate)
            {
                return new FaultDecision(null, true, LoseAnswer: true, _settings.LostAnswerStatus);
            }

            return default;
        }
    }

    private static bool IsMutating(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static (FaultSettings Settings, List<ScriptedState> Scripted, OperationPattern? LostAnswerPattern) Normalize(FaultSettings settings)
    {
        var scripted = (settings.Scripted ?? []).Select(s => new ScriptedState(s)).ToList();
        var lostAnswerPattern = string.IsNullOrWhiteSpace(settings.LostAnswerPath) ? null : new OperationPattern(settings.LostAnswerMethod, settings.LostAnswerPath);
        return (settings with { Scripted = [], LostAnswerMethod = OperationPattern.NormalizeMethod(settings.LostAnswerMethod) }, scripted, lostAnswerPattern);
    }

    private sealed class ScriptedState(ScriptedFault fault)
    {
        private readonly OperationPattern _pattern = new(fault.Method, fault.Path);

        public ScriptedFault Fault { get; } = fault with
        {
            Method = OperationPattern.NormalizeMethod(fault.Method),
        };

        public int Remaining { get; set; } = fault.Times;

        public bool Matches(SandboxOperation operation) => _pattern.Matches(operation);
    }

    private sealed class GateState(GateSettings settings)
    {
        public GateSettings Settings { get; } = settings with { Method = OperationPattern.NormalizeMethod(settings.Method) };

        public OperationPattern Pattern { get; } = new(settings.Method, settings.Path);

        public int Remaining { get; set; } = settings.Times;

        public int Held { get; set; }

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A method and a normalized route; a <c>{…}</c> segment matches any placeholder, <c>*</c> any segment.</summary>
    private sealed class OperationPattern(string? method, string? path)
    {
        private readonly string _method = NormalizeMethod(method);
        private readonly string[] _segments = SandboxOperation.Segments(SandboxOperation.NormalizePath(path ?? ""));

        public static string NormalizeMethod(string? method) =>
            string.IsNullOrWhiteSpace(method) ? "*" : method.Trim().ToUpperInvariant();

        public bool Matches(SandboxOperation operation)
        {
            if (_method != "*" && !string.Equals(_method, operation.Method, StringComparison.Ordinal))
            {
                return false;
            }

            var template = operation.TemplateSegments;
            if (template.Length != _segments.Length)
            {
                return false;
            }

            for (var i = 0; i < template.Length; i++)
            {
                var wanted = _segments[i];
                if (wanted == "*")
                {
                    continue;
                }

                var matches = wanted.StartsWith('{')
                    ? template[i].StartsWith('{')
                    : string.Equals(wanted, template[i], StringComparison.OrdinalIgnoreCase);
                if (!matches)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
