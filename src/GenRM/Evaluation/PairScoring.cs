using GenRM.Text;
namespace GenRM.Evaluation;

/// <summary>RewardBench's rules for scoring one pair.</summary>
public static class PairScoring
{
    /// <summary>Reward models: right only when the chosen score is strictly higher; a tie (or NaN) is wrong.</summary>
    public static double Reward(double chosenScore, double rejectedScore) => chosenScore > rejectedScore ? 1 : 0;

    /// <summary>Generative judges: 1 when the verdict names the chosen response, 0 when the rejected one, 0.5 when unparsable.</summary>
    public static double Verdict(Verdict verdict, bool chosenShownAsA) => verdict switch
    {
        Text.Verdict.None => 0.5,
        Text.Verdict.A => chosenShownAsA ? 1 : 0,
        Text.Verdict.B => chosenShownAsA ? 0 : 1,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>
    /// Judges that give P(A is better): the chosen response's probability must be strictly above
    /// one half (a tie is wrong, as for reward scores); NaN means no verdict and scores 0.5.
    /// </summary>
    public static double Probability(double probabilityABetter, bool chosenShownAsA)
    {
        if (double.IsNaN(probabilityABetter))
            return 0.5;
        double chosen = chosenShownAsA ? probabilityABetter : 1 - probabilityABetter;
        return Reward(chosen, 1 - chosen);
    }
}
