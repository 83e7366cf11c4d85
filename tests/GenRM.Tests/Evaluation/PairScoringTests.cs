using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Text;

namespace GenRM.Tests.Evaluation;

public sealed class PairScoringTests
{
    [Theory]
    [InlineData(2.0, 1.0, 1.0)]
    [InlineData(1.0, 2.0, 0.0)]
    [InlineData(0.5, 0.5, 0.0)] // a tie is wrong: RewardBench needs chosen > rejected strictly
    [InlineData(double.NaN, 1.0, 0.0)]
    public void RewardScoresNeedStrictlyHigherChosen(double chosen, double rejected, double expected) =>
        Assert.Equal(expected, PairScoring.Reward(chosen, rejected));

    [Theory]
    [InlineData(Verdict.A, true, 1.0)]
    [InlineData(Verdict.A, false, 0.0)]
    [InlineData(Verdict.B, false, 1.0)]
    [InlineData(Verdict.B, true, 0.0)]
    [InlineData(Verdict.None, true, 0.5)]
    [InlineData(Verdict.None, false, 0.5)]
    public void VerdictsScoreAgainstTheShownOrderAndUnparsableIsHalf(Verdict verdict, bool chosenIsA, double expected) =>
        Assert.Equal(expected, PairScoring.Verdict(verdict, chosenIsA));

    [Theory]
    [InlineData(0.9, true, 1.0)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.2, false, 1.0)]
    [InlineData(0.5, true, 0.0)]
    [InlineData(0.5, false, 0.0)]
    [InlineData(double.NaN, true, 0.5)]
    public void ProbabilitiesOfABetterFollowTheSameRules(double pA, bool chosenIsA, double expected) =>
        Assert.Equal(expected, PairScoring.Probability(pA, chosenIsA));

    [Fact]
    public void AHandScoredMixOfTiesAndUnparsableVerdictsAverages()
    {
        // Rewards: right, tie (wrong), wrong; verdicts: right, unparsable (0.5). Mean = 2.5 / 5.
        double[] scores = [PairScoring.Reward(3, 1), PairScoring.Reward(1, 1), PairScoring.Reward(0, 1),
            PairScoring.Verdict(Verdict.B, chosenShownAsA: false), PairScoring.Verdict(Verdict.None, chosenShownAsA: true)];

        Assert.Equal(0.5, scores.Average());
    }

    [Fact]
    public void OutcomesCarryThePairsIdAndSubset()
    {
        var pair = PreferencePair.FromUserPrompt("id-7", "q", "good", "bad", subset: "hep-go");
        AbPresentation shown = AbOrder.Arrange(pair, seed: 3);

        Assert.Equal(new ItemOutcome("id-7", "hep-go", 0), ItemOutcome.FromRewards(pair, 1.0, 1.0));
        Assert.Equal(1.0, ItemOutcome.FromVerdict(pair, shown.ChosenIsA ? Verdict.A : Verdict.B, shown.ChosenIsA).Score);
        Assert.Equal(0.5, ItemOutcome.FromProbability(pair, double.NaN, shown.ChosenIsA).Score);
    }
}
