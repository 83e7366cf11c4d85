using System.Text.Json.Serialization;

namespace GenRM.Modeling.Lora;

/// <summary>
/// Low-rank adapters (Hu et al. 2021) as PEFT's <c>LoraConfig</c> describes them: rank r, α, dropout on
/// the adapter's input, and the projections adapted, named as in the state dict (<c>q_proj</c>,
/// <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>, <c>gate_proj</c>, <c>up_proj</c>, <c>down_proj</c>).
/// An adapted projection computes W x + (α / r) B A dropout(x); W stays frozen. The defaults are PEFT's.
/// </summary>
public sealed record LoraConfig
{
    /// <summary>Every linear projection of a decoder layer.</summary>
    public static readonly IReadOnlyList<string> AllProjections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>The rank r of A [r, in] and B [out, r].</summary>
    public int Rank { get; init; } = 8;
    /// <summary>α; the adapter's output is scaled by α / r.</summary>
    public double Alpha { get; init; } = 8;
    /// <summary>
    /// Dropout probability on the adapter's input (training only). With activation checkpointing the
    /// recomputed masks repeat on the CPU only (the replayed random state is the CPU generator's).
    /// </summary>
    public double Dropout { get; init; }
    /// <summary>Projection names to adapt (see <see cref="AllProjections"/>).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = AllProjections;

    /// <summary>α / r, the factor on B A.</summary>
    [JsonIgnore]
    public double Scaling => Alpha / Rank;

    public LoraConfig Validated()
    {
        if (Rank < 1) throw new ArgumentOutOfRangeException(nameof(Rank), "LoRA rank must be at least 1.");
        if (!(Alpha > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), "LoRA alpha must be positive.");
        if (Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), "LoRA dropout must be in [0, 1).");
        if (TargetModules.Count == 0) throw new ArgumentException("LoRA needs at least one target module.", nameof(TargetModules));
        string[] unknown = [.. TargetModules.Where(t => !AllProjections.Contains(t))];
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown LoRA target module(s) {string.Join(", ", unknown)}; the projections are {string.Join(", ", AllProjections)}.", nameof(TargetModules));
        return this;
    }
}
