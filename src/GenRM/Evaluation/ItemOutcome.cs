using GenRM.Data;
using GenRM.Text;

namespace GenRM.Evaluation;

/// <summary>
/// How one pair was judged: 1 right, 0 wrong, 0.5 for an unparsable verdict (see <see cref="PairScoring"/>).
/// </summary>
/// <param name="Id">The pair's id.</param>
/// <param name="Subset">The pair's subset (RewardBench's names place it in a section).</param>
/// <param name="Score">1, 0.5 or 0.</param>
public readonly record struct ItemOutcome(string Id, string Subset, double Score)
{
    /// <summary>A reward model's outcome: right only when the chosen response scores strictly higher.</summary>
    public static ItemOutcome FromRewards(PreferencePair pair, double chosenScore, double rejectedScore) =>
        Of(pair, PairScoring.Reward(chosenScore, rejectedScore));

    /// <summary>A judge's parsed verdict, given whether the chosen response was shown as A (see <see cref="AbOrder"/>).</summary>
    public static ItemOutcome FromVerdict(PreferencePair pair, Verdict verdict, bool chosenShownAsA) =>
        Of(pair, PairScoring.Verdict(verdict, chosenShownAsA));

    /// <summary>A judge's P(A is better), given whether the chosen response was shown as A.</summary>
    public static ItemOutcome FromProbability(PreferencePair pair, double probabilityABetter, bool chosenShownAsA) =>
        Of(pair, PairScoring.Probability(probabilityABetter, chosenShownAsA));

    static ItemOutcome Of(PreferencePair pair, double score)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new ItemOutcome(pair.Id, pair.Subset, score);
    }
}
