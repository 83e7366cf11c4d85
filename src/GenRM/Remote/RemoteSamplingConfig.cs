namespace GenRM.Remote;

/// <summary>How a <see cref="ChatClientCompletionSource"/> treats its endpoint.</summary>
public sealed record RemoteSamplingConfig
{
    /// <summary>Requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 4;
    /// <summary>Retries of a request that failed transiently (connection error, timeout, 408, 429, 5xx).</summary>
    public int MaxRetries { get; init; } = 4;
    /// <summary>Wait before the first retry; doubled each time, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Alternatives per position asked for in the verdict readout (OpenAI allows up to 20).</summary>
    public int TopLogProbs { get; init; } = 20;
    /// <summary>Tokens generated in the verdict readout: enough to pass the verdict's shared prefix ("[[").</summary>
    public int VerdictMaxTokens { get; init; } = 8;

    public RemoteSamplingConfig Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(TopLogProbs, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(VerdictMaxTokens, 1);
        return this;
    }
}
