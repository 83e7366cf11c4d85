namespace GenRM.Planning;

/// <summary>
/// Bytes held at one moment, by part: weights (every copy), gradients, optimizer state (AdamW's fp32
/// moments and master weights), activations kept for the backward pass, the KV cache, the batch's
/// token tensors, and workspace (temporaries of the forward, the backward or the optimizer step).
/// </summary>
public sealed record MemoryParts(long Weights, long Gradients, long Optimizer, long Activations, long KvCache, long Batch, long Workspace)
{
    public long Total => Weights + Gradients + Optimizer + Activations + KvCache + Batch + Workspace;
}

/// <summary>One moment of a method's phase (e.g. "STaR-DPO training: backward") and what it holds.</summary>
public sealed record PlanMoment(string Phase, string Moment, MemoryParts Parts)
{
    public string Name => $"{Phase}: {Moment}";
}
