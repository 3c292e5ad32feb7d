namespace IntegrationHub.Bench;

/// <summary>Sizes of one run: the full run behind bench/results/latest.md, or the quick one CI runs.</summary>
internal sealed record Profile(
    bool Quick,
    TimeSpan Warmup,
    int MinWarmupRuns,
    int MaxWarmupRuns,
    int Rounds,
    TimeSpan RoundDuration,
    int TokenTenants,
    int TokenConnections,
    int ColdTenants,
    int ColdRequestsPerTenant,
    int ProvisionTenants,
    int ProvisionRounds,
    int ProvisionWarmupTenants,
    int Workers,
    int AlloyLatencyMs,
    int SignupConnections,
    int InstallationsPerTenant,
    int QueryConnections,
    int WebhookMessages,
    int WebhookWarmupRounds,
    int WebhookMaxWarmupRounds)
{
    public static Profile Full { get; } = new(
        Quick: false,
        Warmup: TimeSpan.FromSeconds(5),
        MinWarmupRuns: 12,
        MaxWarmupRuns: 24,
        Rounds: 5,
        RoundDuration: TimeSpan.FromSeconds(10),
        TokenTenants: 20,
        TokenConnections: 32,
        ColdTenants: 20,
        ColdRequestsPerTenant: 200,
        ProvisionTenants: 10_000,
        ProvisionRounds: 2,
        ProvisionWarmupTenants: 3_000,
        Workers: 20,
        AlloyLatencyMs: 50,
        SignupConnections: 16,
        InstallationsPerTenant: 10,
        QueryConnections: 8,
        WebhookMessages: 5_000,
        WebhookWarmupRounds: 4,
        WebhookMaxWarmupRounds: 12);

    public static Profile QuickRun { get; } = Full with
    {
        Quick = true,
        Warmup = TimeSpan.FromSeconds(1),
        MinWarmupRuns = 1,
        MaxWarmupRuns = 2,
        Rounds = 1,
        RoundDuration = TimeSpan.FromSeconds(2),
        ProvisionTenants = 500,
        ProvisionRounds = 1,
        ProvisionWarmupTenants = 40,
        WebhookMessages = 400,
        WebhookWarmupRounds = 1,
        WebhookMaxWarmupRounds = 2,
    };
}
