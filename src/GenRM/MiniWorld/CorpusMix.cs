namespace GenRM.MiniWorld;

/// <summary>
/// The shares of each kind of document in the base model's pretraining corpus (they sum to 1).
/// Sums get the largest share, since everything rests on them and a tiny model learns them as a
/// sudden jump; differences get enough to be learned, since the judge's checking grammar is
/// taught on them; the rest teaches verification, refusals and the judge's format on other tasks.
/// </summary>
public sealed record CorpusMix
{
    public double WorkedSolutionShare { get; init; } = 0.30;
    public double WorkedDifferenceShare { get; init; } = 0.15;
    public double VerificationShare { get; init; } = 0.15;
    public double ChatShare { get; init; } = 0.05;
    public double DifferenceJudgeShare { get; init; } = 0.20;
    public double ChoiceShare { get; init; } = 0.15;

    /// <summary>Verification documents that check a reply to a Safety request instead of a sum.</summary>
    public double SafetyVerificationShare { get; init; } = 0.2;

    public static CorpusMix Default { get; } = new();

    /// <summary>Each kind with its share, in a fixed order.</summary>
    public IReadOnlyList<(CorpusKind Kind, double Share)> Shares =>
    [
        (CorpusKind.WorkedSolution, WorkedSolutionShare), (CorpusKind.WorkedDifference, WorkedDifferenceShare), (CorpusKind.Verification, VerificationShare),
        (CorpusKind.Chat, ChatShare), (CorpusKind.DifferenceJudge, DifferenceJudgeShare), (CorpusKind.Choice, ChoiceShare),
    ];

    /// <summary>Throws <see cref="BadInputException"/> naming the first share out of range.</summary>
    public CorpusMix Validated()
    {
        foreach (var (kind, share) in Shares.Append((CorpusKind.Verification, SafetyVerificationShare)))
            if (share is not (>= 0 and <= 1))
                throw new BadInputException($"corpus mix: the share of {kind} documents must be a probability (got {share})");
        double total = Shares.Sum(s => s.Share);
        if (Math.Abs(total - 1) > 1e-9)
            throw new BadInputException($"corpus mix: the shares must sum to 1 (got {total})");
        return this;
    }
}
