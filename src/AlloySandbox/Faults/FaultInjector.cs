using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Faults;

/// <summary>What the fault settings decided for one call.</summary>
/// <param name="Failure">The failure to answer with, or null to answer normally.</param>
/// <param name="AfterHandling">Whether the real handler runs before the failure replaces its response.</param>
internal readonly record struct FaultDecision(ApiError? Failure, bool AfterHandling);

/// <summary>Holds the current fault settings and decides, call by call, whether to fail.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings;
    private List<ScriptedState> _scripted;

    public FaultInjector(IOptions<AlloySandboxOptions> options)
    {
        var initial = options.Value.Faults ?? FaultSettings.None;
        if (initial.Validate() is { } problem)
        {
            throw new InvalidOperationException($"AlloySandbox:Faults is invalid: {problem}");
        }

        (_settings, _scripted) = Normalize(initial);
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

        var (normalized, scripted) = Normalize(settings);
        lock (_gate)
        {
            _settings = normalized;
            _scripted = scripted;
        }

        return null;
    }

    public void Clear() => Apply(FaultSettings.None);

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

            return default;
        }
    }

    private static (FaultSettings Settings, List<ScriptedState> Scripted) Normalize(FaultSettings settings)
    {
        var scripted = (settings.Scripted ?? []).Select(s => new ScriptedState(s)).ToList();
        return (settings with { Scripted = [] }, scripted);
    }

    private sealed class ScriptedState(ScriptedFault fault)
    {
        private readonly string[] _segments = SandboxOperation.Segments(SandboxOperation.NormalizePath(fault.Path ?? ""));

        public ScriptedFault Fault { get; } = fault with
        {
            Method = string.IsNullOrWhiteSpace(fault.Method) ? "*" : fault.Method.Trim().ToUpperInvariant(),
        };

        public int Remaining { get; set; } = fault.Times;

        public bool Matches(SandboxOperation operation)
        {
            if (Fault.Method != "*" && !string.Equals(Fault.Method, operation.Method, StringComparison.Ordinal))
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
