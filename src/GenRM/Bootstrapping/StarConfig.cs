using GenRM.Generation;
using GenRM.Judging;
using GenRM.Training;

namespace GenRM.Bootstrapping;

/// <summary>How STaR turns sampled rationales into training data.</summary>
public enum StarVariant
{
    /// <summary>STaR-SFT: fine-tune on self-sampled rationales whose verdict matches the label.</summary>
    Sft,
    /// <summary>STaR-DPO: prefer a rationale reaching the right verdict over one reaching the wrong one, for the same item.</summary>
    Dpo,
    /// <summary>STaR-Rationalizer: the model is told the better answer, explains it, and is fine-tuned to give that explanation unprompted.</summary>
    Rationalizer,
}

/// <summary>
/// Settings of the STaR loop (PAPER.md): 3 iterations over equal thirds of the training set,
/// sampling at temperature 1.0 and top-p 0.95, each iteration continuing from the latest model
/// (or, with <see cref="RestartFromBase"/>, starting again from the base); DPO's reference is the
/// model the iteration's training starts from.
/// </summary>
public sealed record StarConfig
{
    public StarVariant Variant { get; init; } = StarVariant.Dpo;
    public int Iterations { get; init; } = 3;
    /// <summary>Rationales sampled per training item each iteration.</summary>
    public int SamplesPerItem { get; init; } = 4;
    public GenerationOptions Sampling { get; init; } = new() { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 512 };
    /// <summary>Sequences per sampling batch.</summary>
    public int SamplingBatchSize { get; init; } = 64;
    /// <summary>At most this many (right, wrong) rationale pairs per item for DPO.</summary>
    public int DpoPairsPerItem { get; init; } = 1;
    /// <summary>Restart each iteration from the base model, trained on the data of every iteration so far (the original STaR).</summary>
    public bool RestartFromBase { get; init; }
    /// <summary>Training of STaR-SFT and the rationalizer.</summary>
    public SftTrainerConfig Sft { get; init; } = new();
    /// <summary>Training of STaR-DPO.</summary>
    public DpoTrainerConfig Dpo { get; init; } = new();
    /// <summary>The judge used for the held-out accuracy after each iteration (chain-of-thought, majority vote).</summary>
    public GenerativeJudgeConfig Evaluation { get; init; } = new();
    public int Seed { get; init; }

    public StarConfig Validated()
    {
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), "STaR needs at least one iteration.");
        if (SamplesPerItem < 1) throw new ArgumentOutOfRangeException(nameof(SamplesPerItem), "STaR needs at least one sample per item.");
        if (DpoPairsPerItem < 1) throw new ArgumentOutOfRangeException(nameof(DpoPairsPerItem), "DPO needs at least one pair per item.");
        Sampling.Validated();
        return this;
    }
}
