namespace GenRM.Serving;

/// <summary>Where <c>genrm serve</c> listens and the limits it enforces on every request.</summary>
public sealed record ServerConfig
{
    /// <summary>Address to bind; loopback unless the user asks otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8000;
    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;
    /// <summary>How long a request may wait for and run its forward pass before it gets 503.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>How long a client may take to send its headers, and the grace before a body arriving slower than <see cref="MinBodyBytesPerSecond"/> is cut off (408).</summary>
    public TimeSpan SlowClientGrace { get; init; } = TimeSpan.FromSeconds(10);
    public double MinBodyBytesPerSecond { get; init; } = 240;
    /// <summary>Requests waiting for the model at once; more get 503 at once instead of queueing without bound.</summary>
    public int MaxQueuedRequests { get; init; } = 256;
    /// <summary>Requests combined into one forward pass at most.</summary>
    public int MaxBatchRequests { get; init; } = 16;
    /// <summary>How long the batcher waits for more requests to join a batch once one arrived.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);
    /// <summary>Open connections at most.</summary>
    public int MaxConnections { get; init; } = 512;
    /// <summary>Completion tokens when a chat request gives no max_tokens.</summary>
    public int DefaultMaxTokens { get; init; } = 256;
    /// <summary>Seed of requests that give none (each such request gets the next one).</summary>
    public long Seed { get; init; } = 1;

    public ServerConfig Validated()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultMaxTokens, 1);
        if (SlowClientGrace <= TimeSpan.FromSeconds(1)) throw new ArgumentOutOfRangeException(nameof(SlowClientGrace), "the slow-client grace must be over 1 s (Kestrel's floor).");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), "the request timeout must be positive.");
        return this;
    }
}
