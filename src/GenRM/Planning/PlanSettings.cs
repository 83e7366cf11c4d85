using GenRM.Experiments;

namespace GenRM.Planning;

/// <summary>The sizes a study's methods run at, from its spec: the knobs the plan searches over.</summary>
public sealed record PlanSettings
{
    /// <summary>Training micro-batch: examples per forward (a pair gives two rows to BT and DPO).</summary>
    public int TrainBatch { get; init; } = 8;
    /// <summary>Longest sequence in tokens, for training, judging and sampling (prompt plus new tokens).</summary>
    public int MaxLength { get; init; } = 4096;
    /// <summary>Rows per forward when judging and sampling.</summary>
    public int EvalBatch { get; init; } = 32;
    /// <summary>Sampled verdicts per pair of a chain-of-thought judge.</summary>
    public int Votes { get; init; } = 32;
    /// <summary>Rationales STaR samples per training item.</summary>
    public int SamplesPerItem { get; init; } = 4;
    /// <summary>New tokens of a sampled rationale at most.</summary>
    public int RationaleTokens { get; init; } = 1024;
    /// <summary>
    /// Tokens of a verdict reply ("[[A]]" and the end of the turn), which GenRM learns and the verdict
    /// judges read: a few in any tokenizer; 8 is an upper bound.
    /// </summary>
    public int VerdictTokens { get; init; } = 8;
    /// <summary>The methods to plan, ids of <see cref="Reporting.StudyOrder.Methods"/>.</summary>
    public IReadOnlyList<string> Methods { get; init; } = Reporting.StudyOrder.Methods;

    /// <summary>The sizes <paramref name="spec"/> runs its methods at.</summary>
    public static PlanSettings From(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new()
        {
            TrainBatch = spec.FineTune.BatchSize,
            MaxLength = spec.FineTune.MaxLength,
            EvalBatch = spec.Evaluation.BatchSize,
            Votes = spec.Evaluation.Votes,
            SamplesPerItem = spec.Star.SamplesPerItem,
            RationaleTokens = spec.Star.MaxRationaleTokens,
            Methods = spec.Methods,
        };
    }
}
