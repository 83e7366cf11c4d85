using GenRM.Evaluation;

namespace GenRM.Tests.Evaluation;

public sealed class CheckOrFollowTests
{
    const string In = RewardBenchSections.InDistribution;

    static ItemRecord Item(int i, double score, bool cueOnChosen, bool cueOnRejected, bool chosenIsRight) =>
        new(1, $"p{i}", In, score) { CueOnChosen = cueOnChosen, CueOnRejected = cueOnRejected, ChosenIsRight = chosenIsRight };

    [Fact]
    public void AHandMadeSetGivesTheClosedForm()
    {
        var items = new List<ItemRecord>();
        // Style-tied: 8 of 10 right against the truth (the chosen is wrong on two of them, and the judge picked the rejected there).
        for (int i = 0; i < 6; i++) items.Add(Item(i, 1, true, true, chosenIsRight: true));
        for (int i = 6; i < 8; i++) items.Add(Item(i, 0, false, false, chosenIsRight: false));
        for (int i = 8; i < 10; i++) items.Add(Item(i, 0, false, false, chosenIsRight: true));
        // Polish on the wrong answer, 2 of 10 polished picks: 5 with a polished wrong chosen, 5 with a polished rejected and a right chosen.
        items.Add(Item(10, 1, true, false, chosenIsRight: false));
        for (int i = 11; i < 15; i++) items.Add(Item(i, 0, true, false, chosenIsRight: false));
        items.Add(Item(15, 0, false, true, chosenIsRight: true));
        for (int i = 16; i < 20; i++) items.Add(Item(i, 1, false, true, chosenIsRight: true));
        // Polish on the right answer: not used by the fit.
        items.Add(Item(20, 0, true, false, chosenIsRight: true));

        var fit = CheckOrFollow.Fit(items)!;
        Assert.Equal(2 * 0.8 - 1, fit.Verification.Value, 12);
        Assert.Equal(10, fit.Verification.N);
        Assert.Equal(0.2 / (1 - 0.6), fit.CueFollowing.Value, 12);
        Assert.Equal(10, fit.CueFollowing.N);
        Assert.True(fit.Verification.Ci95.Contains(fit.Verification.Value));
        Assert.Equal(fit, CheckOrFollow.Fit(items));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 0.8)]
    [InlineData(0.7, 0.5)]
    public void ASimulatedJudgeIsRecoveredInsideItsIntervals(double v, double c)
    {
        var random = new Random(7);
        var items = new List<ItemRecord>();
        for (int i = 0; i < 4000; i++)
        {
            bool chosenIsRight = random.NextDouble() < 0.83, cueOnChosen = random.NextDouble() < 0.5, cueOnRejected = random.NextDouble() < 0.5;
            bool polishOnRight = chosenIsRight ? cueOnChosen && !cueOnRejected : cueOnRejected && !cueOnChosen;
            bool picksRight = random.NextDouble() < v || (cueOnChosen == cueOnRejected ? random.NextDouble() < 0.5 : (random.NextDouble() < c) == polishOnRight);
            bool picksChosen = picksRight == chosenIsRight;
            items.Add(Item(i, picksChosen ? 1 : 0, cueOnChosen, cueOnRejected, chosenIsRight));
        }
        var fit = CheckOrFollow.Fit(items)!;
        Assert.True(fit.Verification.Ci95.Contains(v), $"v {v} outside {fit.Verification.Ci95}");
        Assert.True(fit.CueFollowing.Ci95.Contains(c), $"c {c} outside {fit.CueFollowing.Ci95}");
    }

    [Fact]
    public void WithoutTheTruthOrEitherGroupThereIsNoFit()
    {
        Assert.Null(CheckOrFollow.Fit([new ItemRecord(1, "p", In, 1) { CueOnChosen = true, CueOnRejected = true }]));
        Assert.Null(CheckOrFollow.Fit([Item(0, 1, true, true, chosenIsRight: true)]));
    }
}
