using GenRM.Modeling;

namespace GenRM.Planning;

/// <summary>A weight precision and its bytes per element.</summary>
public sealed record PlanDType(string Name, int Bytes)
{
    public static PlanDType Fp32 { get; } = new("float32", 4);
    public static PlanDType Bf16 { get; } = new("bfloat16", 2);

    /// <summary>float32/fp32 or bfloat16/bf16.</summary>
    public static PlanDType Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" => Fp32,
        "bfloat16" or "bf16" => Bf16,
        _ => throw new BadInputException($"--dtype: unknown dtype '{name}'; use float32 or bfloat16."),
    };

    /// <summary>Low-precision weights: AdamW keeps fp32 master copies, and RMSNorm and the log-softmax make fp32 copies of their inputs.</summary>
    public bool IsLowPrecision => Bytes < 4;

    public override string ToString() => Name;
}

/// <summary>How the attention kernel treats the scores.</summary>
public enum AttentionKernel
{
    /// <summary>SDPA's fused kernels (flash or memory-efficient; libtorch's CPU flash kernel too): the output and a log-sum-exp row are kept, never the T×T scores.</summary>
    Fused,
    /// <summary>The math path: B·H·T² probabilities are materialised and kept for the backward pass.</summary>
    Math,
}

/// <summary>Everything about the model and the training setup the plan needs besides the workload.</summary>
public sealed record PlanOptions
{
    public required ModelConfig Model { get; init; }
    public PlanDType DType { get; init; } = PlanDType.Fp32;
    /// <summary>Adapters instead of full fine-tuning; null: every weight trains.</summary>
    public PlanLora? Lora { get; init; }
    /// <summary>Recompute each decoder layer's forward in the backward pass, keeping only its input.</summary>
    public bool Checkpointing { get; init; }
    /// <summary>
    /// Fused by default: libtorch's SDPA runs its flash kernel on the CPU too, and the measured peaks of
    /// training steps match it (<c>genrm plan --measure</c>), not the math path's B·H·T² probabilities.
    /// </summary>
    public AttentionKernel Attention { get; init; } = AttentionKernel.Fused;
    /// <summary>The plan is for the CPU (where small models decode in managed code: <see cref="ManagedDecoding"/>).</summary>
    public bool OnCpu { get; init; }

    /// <summary>Sampling's decoding steps run in managed code (Generation.CpuDecoder): an fp32 model it covers, without adapters, on the CPU.</summary>
    public bool ManagedDecoding => OnCpu && DType == PlanDType.Fp32 && Lora is null && Generation.CpuDecoder.Covers(Model);
}
