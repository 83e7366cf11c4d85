using GenRM.Data;
using GenRM.Text;

namespace GenRM.Judging;

/// <summary>One comparison to judge: a conversation and two candidate responses, in the order shown.</summary>
public sealed record JudgeItem(IReadOnlyList<ChatMessage> Prompt, string ResponseA, string ResponseB);

/// <summary>
/// A judge's answer for one item. <see cref="ProbabilityABetter"/> is P(A better). Reward models
/// also give both scores (<see cref="ScoreA"/>, <see cref="ScoreB"/>) so evaluation applies
/// RewardBench's strict rule (a tie is wrong); generative judges give their verdict (None when
/// unparsable or a tied vote, scored 0.5), and chain-of-thought judges the sampled rationales and
/// each one's parsed verdict.
/// </summary>
public sealed record Judgement(
    double ProbabilityABetter,
    Verdict Verdict,
    double? ScoreA = null,
    double? ScoreB = null,
    IReadOnlyList<string>? Rationales = null,
    IReadOnlyList<Verdict>? Votes = null)
{
    /// <summary>A reward model's judgement from two scalar rewards: P(A better) = σ(r_A − r_B).</summary>
    public static Judgement FromScores(double scoreA, double scoreB) =>
        new(1 / (1 + Math.Exp(scoreB - scoreA)), scoreA > scoreB ? Verdict.A : scoreB > scoreA ? Verdict.B : Verdict.None, scoreA, scoreB);

    /// <summary>A judgement from P(A better): the verdict is the likelier side, None at exactly 0.5 or NaN.</summary>
    public static Judgement FromProbability(double probabilityABetter) =>
        new(probabilityABetter, probabilityABetter > 0.5 ? Verdict.A : probabilityABetter < 0.5 ? Verdict.B : Verdict.None);
}

/// <summary>
/// Every judge of the paper behind one interface: reward-model judges (Bradley-Terry, PairRM) and
/// generative judges (zero-shot, chain-of-thought, GenRM, STaR). Judges see A and B in the order
/// given; evaluation decides that order (seeded per item) and maps verdicts back to chosen/rejected.
/// </summary>
public interface IPreferenceJudge
{
    /// <summary>The method id used in results (zero-shot, bradley-terry, star-dpo, ...).</summary>
    string Method { get; }

    /// <summary>Judges every item; the result has one judgement per item, in order.</summary>
    IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default);

    /// <summary>
    /// Why this judge cannot read <paramref name="item"/> as it stands (a character outside its model's
    /// vocabulary, an input longer than its positions), or null when it can; see <see cref="JudgeInputScreen"/>.
    /// A judge with no such limit (one whose model answers elsewhere) says null.
    /// </summary>
    InputRefusal? Refusal(JudgeItem item) => null;
}
