namespace IntegrationHub.AlloySandbox.Faults;

/// <summary>
/// Faults applied to the Alloy API routes (never to <c>/_sandbox</c>). Every field is optional on the wire;
/// an absent field means "no fault of that kind". (Settable rather than init-only: the JSON source generator
/// would otherwise replace the defaults below with zeros for absent fields.)
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Delay added to every API call.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Fraction (0..1) of calls answered with <see cref="ErrorStatus"/>.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Status of the random failures.</summary>
    public int ErrorStatus { get; set; } = 500;

    /// <summary>Fraction (0..1) of calls answered with 429 and <c>Retry-After</c>.</summary>
    public double RateLimitRate { get; set; }

    /// <summary>Value of the <c>Retry-After</c> header on 429 answers.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Fraction (0..1) of successful mutating calls (POST, PUT, PATCH, DELETE) whose answer is lost: the sandbox does
    /// what was asked (an E2 event is recorded, a user created) and then the caller gets no answer (see
    /// <see cref="LostAnswerStatus"/>). Only calls matching <see cref="LostAnswerMethod"/> and <see cref="LostAnswerPath"/>.
    /// </summary>
    public double LostAnswerRate { get; set; }

    /// <summary>HTTP method the lost-answer fault is restricted to, or <c>*</c> for every mutating method.</summary>
    public string? LostAnswerMethod { get; set; } = "*";

    /// <summary>Route the lost-answer fault is restricted to (matched as <see cref="ScriptedFault.Path"/> is); unset: every mutating route.</summary>
    public string? LostAnswerPath { get; set; }

    /// <summary>How the answer is lost: 0 aborts the connection (the caller sees a transport failure), 500–599 answers that status.</summary>
    public int LostAnswerStatus { get; set; }

    /// <summary>
    /// Usernames U1 and U6 refuse as invalid (U1: 400 <c>username is invalid</c>; U6: listed in <c>invalidUsers</c>).
    /// Alloy documents no username rule beyond "required and unique"; this stands in for one it may have.
    /// </summary>
    public IReadOnlyList<string>? InvalidUsernames { get; set; } = [];

    /// <summary>Failures for the next matching calls, consumed in order.</summary>
    public IReadOnlyList<ScriptedFault>? Scripted { get; set; } = [];

    /// <summary>No faults at all.</summary>
    public static FaultSettings None { get; } = new();

    /// <summary>The first problem with these settings, or null when they are usable.</summary>
    public string? Validate()
    {
        if (LatencyMs is < 0 or > 600_000)
        {
            return "latencyMs must be between 0 and 600000";
        }

        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
        {
            return "errorRate must be between 0 and 1";
        }

        if (RateLimitRate is < 0 or > 1 || double.IsNaN(RateLimitRate))
        {
            return "rateLimitRate must be between 0 and 1";
        }

        if (LostAnswerRate is < 0 or > 1 || double.IsNaN(LostAnswerRate))
        {
            return "lostAnswerRate must be between 0 and 1";
        }

        if (LostAnswerStatus is not 0 and (< 500 or > 599))
        {
            return "lostAnswerStatus must be 0 (abort the connection) or between 500 and 599";
        }

        if (ErrorStatus is < 400 or > 599)
        {
            return "errorStatus must be between 400 and 599";
        }

        if (RetryAfterSeconds < 0)
        {
            return "retryAfterSeconds must not be negative";
        }

        foreach (var scripted in Scripted ?? [])
        {
            if (scripted is null)
            {
                return "scripted entries must be objects";
            }

            if (string.IsNullOrWhiteSpace(scripted.Path))
            {
                return "scripted path is required";
            }

            if (scripted.Status is < 400 or > 599)
            {
                return "scripted status must be between 400 and 599";
            }

            if (scripted.Times < 1)
            {
                return "scripted times must be at least 1";
            }
        }

        return null;
    }
}

/// <summary>Fail the next <see cref="Times"/> calls matching <see cref="Method"/> and <see cref="Path"/> with <see cref="Status"/>.</summary>
public sealed record ScriptedFault
{
    /// <summary>HTTP method, or <c>*</c> for any.</summary>
    public string? Method { get; set; } = "*";

    /// <summary>Normalized route such as <c>/users</c> or <c>/users/{uid}/token</c>; a <c>{…}</c> segment matches any placeholder, <c>*</c> any segment.</summary>
    public string? Path { get; set; }

    public int Status { get; set; } = 500;

    public int Times { get; set; } = 1;

    /// <summary>Run the real handler first, then replace its response: a lost response.</summary>
    public bool AfterHandling { get; set; }
}
