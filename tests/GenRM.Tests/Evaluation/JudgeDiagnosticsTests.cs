using GenRM.Evaluation;

namespace GenRM.Tests.Evaluation;

public sealed class JudgeDiagnosticsTests
{
    const string In = RewardBenchSections.InDistribution;

    static ItemRecord Item(int i, double score, bool cueOnChosen, bool cueOnRejected, string section = In, int? rationales = null, int? withCheck = null) =>
        new(1, $"p{i}", section, score) { CueOnChosen = cueOnChosen, CueOnRejected = cueOnRejected, Rationales = rationales, RationalesWithCheck = withCheck };

    [Fact]
    public void PolishPreferenceStyleTiedAccuracyAndCheckingShareOfAHandMadeSet()
    {
        ItemRecord[] items =
        [
            // Cue on the chosen answer: picking the chosen (1) prefers polish, no verdict (0.5) half.
            Item(0, 1, cueOnChosen: true, cueOnRejected: false, rationales: 3, withCheck: 3),
            Item(1, 0.5, cueOnChosen: true, cueOnRejected: false, rationales: 3, withCheck: 1),
            // Cue on the rejected answer: picking the rejected (0) prefers polish, the chosen (1) does not.
            Item(2, 0, cueOnChosen: false, cueOnRejected: true, rationales: 3, withCheck: 0),
            Item(3, 1, cueOnChosen: false, cueOnRejected: true, rationales: 3, withCheck: 2),
            // Style-tied: both polished, neither polished.
            Item(4, 1, cueOnChosen: true, cueOnRejected: true, rationales: 3, withCheck: 3),
            Item(5, 0, cueOnChosen: false, cueOnRejected: false, rationales: 3, withCheck: 0),
            // Out of distribution: not in the in-distribution measures; their own checking share.
            Item(6, 0, cueOnChosen: true, cueOnRejected: false, section: "Chat Hard", rationales: 3, withCheck: 0),
            Item(7, 1, cueOnChosen: false, cueOnRejected: false, section: "Chat Hard", rationales: 3, withCheck: 2),
            Item(8, 1, cueOnChosen: false, cueOnRejected: false, section: "Chat", rationales: 3, withCheck: 3),
        ];
        var d = JudgeDiagnostics.Measure("star-dpo", items)!;
        Assert.Equal((1 + 0.5 + 1 + 0) / 4, d.PolishPreference.Value, 12);
        Assert.Equal(4, d.PolishPreference.N);
        Assert.Equal(WilsonInterval.Compute(2.5, 4), d.PolishPreference.Ci95);
        Assert.Equal(0.5, d.StyleTiedAccuracy.Value, 12);
        Assert.Equal(2, d.StyleTiedAccuracy.N);
        Assert.Equal(9.0 / 18, d.CheckingShare!.Value, 12);
        Assert.Equal(18, d.CheckingShare.N);
        Assert.Equal([(In, 9.0 / 18, 18), ("Chat", 1.0, 3), ("Chat Hard", 2.0 / 6, 6)],
            d.CheckingBySection.Select(s => (s.Section, s.Share.Value, s.Share.N)));
    }

    [Fact]
    public void AccuracyAgainstTheTruthCountsTheRightAnswerNotTheLabel()
    {
        ItemRecord[] items =
        [
            Item(0, 1, true, false) with { ChosenIsRight = true },   // picked the chosen, which is right
            Item(1, 1, false, true) with { ChosenIsRight = false },  // picked the chosen, which is wrong
            Item(2, 0, false, false) with { ChosenIsRight = false }, // picked the rejected, which is right
            Item(3, 0.5, true, true) with { ChosenIsRight = true },  // no verdict
        ];
        var d = JudgeDiagnostics.Measure("star-sft", items)!;
        Assert.Equal((1 + 0 + 1 + 0.5) / 4, d.TruthAccuracy!.Value, 12);
        Assert.Null(d.CheckOrFollow); // no pair here has its polish on the wrong answer, so c cannot be fitted
        Assert.Null(JudgeDiagnostics.Measure("star-sft", [Item(0, 1, true, false)])!.TruthAccuracy);
    }

    [Fact]
    public void JudgesWithoutRationalesHaveNoCheckingShareAndFileStudiesNoDiagnostics()
    {
        var reward = JudgeDiagnostics.Measure("bradley-terry", [Item(0, 1, true, false), Item(1, 1, false, false)])!;
        Assert.Null(reward.CheckingShare);
        Assert.Empty(reward.CheckingBySection);
        Assert.Equal(1, reward.PolishPreference.Value);
        Assert.Null(JudgeDiagnostics.Measure("bradley-terry", [new ItemRecord(1, "p0", In, 1)]));
    }
}
