namespace IntegrationHub.AlloySandbox.Faults;

/// <summary>
/// Closes the gate on the next <see cref="Times"/> calls matching <see cref="Method"/> and <see cref="Path"/>: each
/// waits (before its handler runs, or after it when <see cref="AfterHandling"/>) until the gate is opened. A test uses
/// it to order concurrent callers without racing the clock: hold caller A at Alloy, let caller B through, release A.
/// </summary>
public sealed record GateSettings
{
    /// <summary>HTTP method, or <c>*</c> for any.</summary>
    public string? Method { get; set; } = "*";

    /// <summary>Normalized route such as <c>/users</c>; matched as <see cref="ScriptedFault.Path"/> is.</summary>
    public string? Path { get; set; }

    /// <summary>How many matching calls are held; later ones pass.</summary>
    public int Times { get; set; } = 1;

    /// <summary>Hold the answer after the handler ran (the call has taken effect), rather than the call before it.</summary>
    public bool AfterHandling { get; set; }

    /// <summary>The first problem with these settings, or null when they are usable.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            return "gate path is required";
        }

        if (Times < 1)
        {
            return "gate times must be at least 1";
        }

        return null;
    }
}

/// <summary>The gate as <c>GET /_sandbox/gate</c> shows it.</summary>
/// <param name="Closed">Whether calls are being held (or will be, while <paramref name="Remaining"/> is above zero).</param>
/// <param name="Settings">What the gate holds, or null when it is open.</param>
/// <param name="Remaining">Matching calls still to be held.</param>
/// <param name="Held">Calls waiting at the gate now.</param>
public sealed record GateStatus(bool Closed, GateSettings? Settings, int Remaining, int Held);
