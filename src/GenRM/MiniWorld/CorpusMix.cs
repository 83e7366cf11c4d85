namespace GenRM.MiniWorld;

/// <summary>
/// The shares of each kind of document in the base model's pretraining corpus (they sum to 1).
/// Sums get the largest share, since everything rests on them and a tiny model learns them as a
/// sudden jump; differences get enough to be learned, since the judge's checking grammar is
/// taught on them and on sums of unequal lengths; the rest teaches verification, refusals and the judge's format on other tasks.
/// </summary>
public sealed record CorpusMix
{
    public double WorkedSolutionShare { get; init; } = 0.30;
    public double WorkedDifferenceShare { get; init; } = 0.15;
    public double VerificationShare { get; init; } = 0.15;
    public double ChatShare { get; init; } = 0.05;

    /// <summary>
    /// Arithmetic is judged only with a check (plain or hinted): 2/3 of an earlier 0.20, whose third
    /// judged by the verdict alone taught a model that cannot sum in its head one constant, P([[A]]) =
    /// 0.505 on every world pair. That third went to <see cref="ChoiceShare"/>, so the direct readout
    /// is learned on comparisons made at a glance.
    /// </summary>
    public double ArithmeticJudgeShare { get; init; } = 0.40 / 3;

    public double ChoiceShare { get; init; } = 0.15 + 0.20 / 3;

    /// <summary>Verification documents that check a reply to a Safety request instead of a sum.</summary>
    public double SafetyVerificationShare { get; init; } = 0.2;

    /// <summary>
    /// Documents on the other arithmetic (judged, or verified) that ask an uneven sum; the rest ask a
    /// difference. Judging only differences taught a 1 M-parameter model that a judge's check is
    /// always a subtraction: it wrote "check: 8-7=1, ..." for the world's sums in 200 of 200 samples.
    /// With both operations the check has to follow the question's operator. Half uneven sums made the
    /// zero-shot judge check the world's sums about as well as a trained one (a correct check in 87.5 %
    /// of samples, 78 % on style-tied pairs: above the card's 75 %, little left for STaR to learn); a
    /// quarter checks sometimes (58 %, 73 %).
    /// </summary>
    public double UnevenSumShare { get; init; } = 0.25;

    /// <summary>
    /// Arithmetic verification documents that check the other arithmetic instead of one of the
    /// world's sums. Verifying only sums taught the model that a sum's check ends in "It: ...": on the
    /// world's pairs it wrote the verification's ending, with no verdict, in 6 of 12 samples. When the
    /// same problems are both judged and verified, the prompt's format has to decide the ending.
    /// </summary>
    public double OtherArithmeticVerificationShare { get; init; } = 0.5;

    public static CorpusMix Default { get; } = new();

    /// <summary>Each kind with its share, in a fixed order.</summary>
    public IReadOnlyList<(CorpusKind Kind, double Share)> Shares =>
    [
        (CorpusKind.WorkedSolution, WorkedSolutionShare), (CorpusKind.WorkedDifference, WorkedDifferenceShare), (CorpusKind.Verification, VerificationShare),
        (CorpusKind.Chat, ChatShare), (CorpusKind.ArithmeticJudge, ArithmeticJudgeShare), (CorpusKind.Choice, ChoiceShare),
    ];

    /// <summary>Throws <see cref="BadInputException"/> naming the first share out of range.</summary>
    public CorpusMix Validated()
    {
        foreach (var (kind, share) in Shares.Append((CorpusKind.Verification, SafetyVerificationShare)).Append((CorpusKind.ArithmeticJudge, UnevenSumShare)).Append((CorpusKind.Verification, OtherArithmeticVerificationShare)))
            if (share is not (>= 0 and <= 1))
                throw new BadInputException($"corpus mix: the share of {kind} documents must be a probability (got {share})");
        double total = Shares.Sum(s => s.Share);
        if (Math.Abs(total - 1) > 1e-9)
            throw new BadInputException($"corpus mix: the shares must sum to 1 (got {total})");
        return this;
    }
}
