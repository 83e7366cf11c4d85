namespace GenRM.Generation;

/// <summary>How to sample continuations. Temperature 0 is greedy decoding.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>Softmax temperature; 0 picks the most likely token.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches this (1 keeps all).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens (0 keeps all).</summary>
    public int TopK { get; init; }
    /// <summary>Texts that end a continuation; the returned text stops before the first one.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Ids that end a continuation; null uses the tokenizer's.</summary>
    public IReadOnlyList<int>? EosIds { get; init; }
    /// <summary>Seed of the sampling generator: the same seed and prompts give the same continuations.</summary>
    public long Seed { get; init; }
    /// <summary>Reuse keys and values across steps (true), or recompute the whole sequence each step (the reference path).</summary>
    public bool UseKvCache { get; init; } = true;
    /// <summary>
    /// With the cache, run the decoding steps of small fp32 models on the CPU in managed code
    /// (<see cref="CpuDecoder"/>), where libtorch's per-call costs outweigh the arithmetic; false keeps
    /// every step in libtorch. Both give the same logits up to the order of floating-point sums.
    /// </summary>
    public bool ManagedDecoding { get; init; } = true;

    public GenerationOptions Validated()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), "max new tokens must not be negative.");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), "temperature must not be negative.");
        if (TopP is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(TopP), "top_p must be in (0, 1].");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), "top_k must not be negative.");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop strings must not be empty.", nameof(StopStrings));
        return this;
    }
}

/// <summary>Why a continuation ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-sequence id was produced.</summary>
    Eos,
    /// <summary>A stop string appeared.</summary>
    Stop,
    /// <summary>The token budget ran out.</summary>
    Length,
}

/// <summary>One continuation: text (stop string excluded), the new token ids, and each one's log-probability under the model (temperature 1).</summary>
public sealed record Completion(string Text, int[] TokenIds, float[] TokenLogProbs, FinishReason FinishReason);
