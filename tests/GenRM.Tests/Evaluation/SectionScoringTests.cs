using GenRM.Evaluation;

namespace GenRM.Tests.Evaluation;

public sealed class SectionScoringTests
{
    static IEnumerable<ItemOutcome> Subset(string subset, params double[] scores) =>
        scores.Select((s, i) => new ItemOutcome($"{subset}-{i}", subset, s));

    static List<ItemOutcome> Toy() =>
    [
        .. Subset("llmbar-natural", 1, 1),            // 1.0, weight 100
        .. Subset("llmbar-adver-neighbor", 1, 0),     // 0.5, weight 134
        .. Subset("math-prm", 0.5),                   // 0.5 (one unparsable verdict), weight 984
        .. Subset("hep-python", 1),                   // 1.0, weight 164
        .. Subset("alpacaeval-easy", 1, 1, 1, 1, 1, 1, 1, 1, 1, 0), // 0.9
        .. Subset("donotanswer", 1, 1, 1, 0, 0),      // 0.6
    ];

    [Fact]
    public void SectionsAreSubsetAccuraciesWeightedByPublishedCounts()
    {
        RewardBenchReport report = SectionScoring.RewardBench(Toy(), seed: 1);
        var sections = report.Sections.ToDictionary(s => s.Section);

        double chatHard = (100 * 1.0 + 134 * 0.5) / 234;       // 0.713675
        double reasoning = (984 * 0.5 + 164 * 1.0) / 1148;     // 4/7: math-prm weighted up to the code subsets' 984
        Assert.Equal(chatHard, sections["Chat Hard"].Accuracy, 12);
        Assert.Equal(reasoning, sections["Reasoning"].Accuracy, 12);
        Assert.Equal(0.9, sections["Chat"].Accuracy, 12);
        Assert.Equal(0.6, sections["Safety"].Accuracy, 12);
        Assert.Equal((0.9 + chatHard + 0.6 + reasoning) / 4, sections["RewardBench"].Accuracy, 12);
        Assert.Equal((4, 2, 10, 5, 21), (sections["Chat Hard"].N, sections["Reasoning"].N, sections["Chat"].N, sections["Safety"].N, sections["RewardBench"].N));
        Assert.Equal(["Chat", "Chat Hard", "Safety", "Reasoning", "RewardBench"], report.Sections.Select(s => s.Section));
    }

    [Fact]
    public void BootstrapIntervalsHoldTheScoreAndRepeatWithTheSeed()
    {
        var outcomes = Enumerable.Range(0, 400).Select(i => new ItemOutcome($"x{i}", i % 2 == 0 ? "hep-go" : "math-prm", i % 10 < 7 ? 1 : 0)).ToList();

        RewardBenchReport first = SectionScoring.RewardBench(outcomes, seed: 7);
        RewardBenchReport again = SectionScoring.RewardBench(outcomes, seed: 7);
        RewardBenchReport other = SectionScoring.RewardBench(outcomes, seed: 8);

        SectionScore reasoning = Assert.Single(first.Sections);
        Assert.True(reasoning.Ci95.Contains(reasoning.Accuracy));
        Assert.InRange(reasoning.Ci95.High - reasoning.Ci95.Low, 0.05, 0.15); // about ±1.96·√(.21/400)
        Assert.Equal(reasoning, again.Sections[0]);
        Assert.NotEqual(reasoning.Ci95, other.Sections[0].Ci95);
    }

    [Fact]
    public void SubsetsOutsideRewardBenchAreScoredButInNoSection()
    {
        RewardBenchReport report = SectionScoring.RewardBench([.. Subset("my-own", 1, 0), .. Subset("hep-rust", 1)], seed: 1);

        Assert.Equal([("hep-rust", "Reasoning"), ("my-own", null)], report.Subsets.Select(s => (s.Subset, s.Section)));
        SectionScore reasoning = Assert.Single(report.Sections);
        Assert.Equal((1.0, 1), (reasoning.Accuracy, reasoning.N));
    }

    [Fact]
    public void PlainAccuracyUsesTheWilsonInterval()
    {
        SectionScore score = SectionScoring.Plain(RewardBenchSections.InDistribution, Subset("", 1, 1, 1, 1, 1, 1, 1, 1, 0, 0));

        Assert.Equal(("in-distribution", 0.8, 10), (score.Section, score.Accuracy, score.N));
        Assert.Equal(WilsonInterval.Compute(8, 10), score.Ci95);
    }
}
