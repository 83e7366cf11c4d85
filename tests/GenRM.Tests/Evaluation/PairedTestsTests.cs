using GenRM.Evaluation;

namespace GenRM.Tests.Evaluation;

public sealed class PairedTestsTests
{
    const string In = RewardBenchSections.InDistribution;

    /// <summary>n items of <paramref name="section"/>; those in <paramref name="right"/> score 1, the rest 0.</summary>
    static List<ItemRecord> Items(string section, int n, Func<int, bool> right, int seed = 1) =>
        [.. Enumerable.Range(0, n).Select(i => new ItemRecord(seed, $"{section}-{i}", section, right(i) ? 1 : 0))];

    [Fact]
    public void TheBootstrapOfAHandComputedCaseGivesItsExactPercentiles()
    {
        // Differences [1, 0, 0, 0]: a resample's mean is k/4 with k ~ Bin(4, 1/4), whose cdf is
        // 0.316, 0.738, 0.949, 0.996, 1 at k = 0..4; so the 2.5th percentile is 0 and the 97.5th 0.75.
        var a = Items(In, 4, i => i is 0 or 1 or 2);
        var b = Items(In, 4, i => i is 1 or 2);
        var test = PairedTests.Compare(a, b, In, seed: 5)!;
        Assert.Equal(0.75, test.AccuracyA, 12);
        Assert.Equal(0.50, test.AccuracyB, 12);
        Assert.Equal(0.25, test.Difference.Value, 12);
        Assert.Equal(new ConfidenceInterval(0, 0.75), test.Difference.Ci95);
        Assert.Equal(4, test.Difference.N);
        Assert.Equal(1.0, test.McNemarP!.Value, 12); // one discordant item: 2 · P(X ≤ 0), X ~ Bin(1, 1/2) = 1
    }

    [Fact]
    public void GroupsAreWeightedAndEachKeepsItsSizeInEveryResample()
    {
        // Group x: two items of 1, weight 1; group y: four items of 0, weight 3: (1 + 0) weighted 1:3 is 0.25, in every resample.
        StratifiedValue[] values = [new("x", "1", 1), new("x", "1", 1), new("y", "1", 0), new("y", "1", 0), new("y", "1", 0), new("y", "1", 0)];
        var estimate = StratifiedBootstrap.Estimate(values, new Dictionary<string, double> { ["x"] = 1, ["y"] = 3 }, seed: 1);
        Assert.Equal(0.25, estimate.Value, 12);
        Assert.Equal(new ConfidenceInterval(0.25, 0.25), estimate.Ci95);
        Assert.Equal(0.25, StratifiedBootstrap.Mean(values, new Dictionary<string, double> { ["x"] = 1, ["y"] = 3 }), 12);
    }

    [Fact]
    public void IdenticalMethodsDifferByZeroWithATightIntervalContainingIt()
    {
        var a = Items(In, 200, i => i % 3 != 0);
        var test = PairedTests.Compare(a, a, In, seed: 1)!;
        Assert.Equal(0, test.Difference.Value);
        Assert.Equal(new ConfidenceInterval(0, 0), test.Difference.Ci95);
        Assert.Equal(1.0, test.McNemarP!.Value);
    }

    [Fact]
    public void AMethodRightWhereTheOtherIsWrongWinsClearly()
    {
        // B right on the first 60 of 100 items, A on those and 20 more: +20 points, 20 discordant items all for A.
        var a = Items(In, 100, i => i < 80);
        var b = Items(In, 100, i => i < 60);
        var test = PairedTests.Compare(a, b, In, seed: 1)!;
        Assert.Equal(0.20, test.Difference.Value, 12);
        Assert.True(test.Difference.Ci95.Low > 0.10, $"interval {test.Difference.Ci95}");
        Assert.Equal(2 * Math.Pow(0.5, 20), test.McNemarP!.Value, 15);
    }

    [Fact]
    public void McNemarMatchesTheTextbookExactValue()
    {
        // Fagerland, Lydersen and Laake (2013), BMC Medical Research Methodology 13:91: 1 and 7 discordant pairs, exact p = 0.0703 (= 18/256).
        Assert.Equal(18.0 / 256, McNemar.ExactP(1, 7), 15);
        Assert.Equal(McNemar.ExactP(7, 1), McNemar.ExactP(1, 7));
        Assert.Equal(1, McNemar.ExactP(0, 0));
        Assert.Equal(1, McNemar.ExactP(5, 5));
        Assert.InRange(McNemar.ExactP(0, 2000), 0, 1e-300);
    }

    [Fact]
    public void TiesMakeScoresNonBinarySoNoMcNemar()
    {
        var a = Items(In, 10, i => i < 6);
        var b = Items(In, 10, i => i < 5).Select((item, i) => i == 9 ? item with { Score = 0.5 } : item).ToList();
        Assert.Null(PairedTests.Compare(a, b, In, seed: 1)!.McNemarP);
    }

    [Fact]
    public void ItemsPairBySeedAndIdAndTheBootstrapIsSeeded()
    {
        var a = Items(In, 50, i => i % 2 == 0, seed: 1).Concat(Items(In, 50, i => i % 3 == 0, seed: 2)).ToList();
        var b = Items(In, 50, i => i % 5 == 0, seed: 1).Concat(Items(In, 40, i => i % 4 == 0, seed: 2)).ToList();
        var test = PairedTests.Compare(a, b, In, seed: 9)!;
        Assert.Equal(90, test.Difference.N);
        Assert.Equal(2, test.Seeds);
        Assert.Equal(test, PairedTests.Compare(a, b, In, seed: 9));
        Assert.NotEqual(test.Difference.Ci95, PairedTests.Compare(a, b, In, seed: 10)!.Difference.Ci95);
    }

    [Fact]
    public void TheRewardBenchMeanIsTheMeanOfTheFourSectionsAndNeedsAllOfThem()
    {
        string[] sections = [.. RewardBenchSections.Sections];
        var a = sections.SelectMany((s, k) => Items(s, 40 + 10 * k, i => i < 30)).ToList();
        var b = sections.SelectMany((s, k) => Items(s, 40 + 10 * k, i => i < 20)).ToList();
        var test = PairedTests.Compare(a, b, RewardBenchSections.Overall, seed: 1)!;
        double expected = sections.Select((_, k) => 10.0 / (40 + 10 * k)).Average();
        Assert.Equal(expected, test.Difference.Value, 12);
        Assert.Null(test.McNemarP);
        Assert.Null(PairedTests.Compare(a.Where(i => i.Subset != RewardBenchSections.Safety), b, RewardBenchSections.Overall, seed: 1));
    }

    [Fact]
    public void RewardBenchSubsetsAreWeightedByTheirPublishedCounts()
    {
        // Chat: alpacaeval-easy (100) all right, mt-bench-easy (28) all wrong: 100 / 128, whatever the item counts.
        var items = Items("alpacaeval-easy", 5, _ => true).Concat(Items("mt-bench-easy", 20, _ => false)).ToList();
        var estimate = ItemSections.Accuracy(items, RewardBenchSections.Chat, seed: 1)!;
        Assert.Equal(100.0 / 128, estimate.Value, 12);
    }
}
