using GenRM.Evaluation;
using GenRM.Reporting;
using static GenRM.Tests.Reporting.SampleStudy;

namespace GenRM.Tests.Reporting;

public sealed class FindingsTests
{
    const string In = RewardBenchSections.InDistribution;

    static Finding Claim(int index, Dictionary<string, IReadOnlyList<ItemRecord>> items) =>
        Findings.Evaluate(new StudyReport(Run, []) { Items = items })[index];

    /// <summary>Bradley-Terry right on 80 of 100 items, zero-shot on 55, zero-shot-cot on the given share, all nested.</summary>
    static Dictionary<string, IReadOnlyList<ItemRecord>> Baselines(double zeroShotCot = 0.65) => new()
    {
        [StudyOrder.BradleyTerry] = Items(In, 0.80, 100),
        [StudyOrder.ZeroShot] = Items(In, 0.55, 100),
        [StudyOrder.ZeroShotCot] = Items(In, zeroShotCot, 100),
    };

    [Fact]
    public void EveryClaimIsJudgedInPaperOrderFromPairedTests()
    {
        var findings = Findings.Evaluate(Build());
        Assert.Equal(8, findings.Count);
        Assert.Contains("less accurate than the Bradley-Terry", findings[0].Claim, StringComparison.Ordinal);
        Assert.Contains("STaR-DPO", findings[5].Claim, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Evidence)));
        Assert.Equal(2, findings[0].Verdicts.Count);
        Assert.All(findings[0].Verdicts, v => Assert.Equal(1000, v.Test.Difference.N));
    }

    [Fact]
    public void BeatsIsReproducedWhenThePairedIntervalLiesAboveZero()
    {
        Finding finding = Claim(0, Baselines());
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.Contains("bradley-terry 80.0 vs zero-shot 55.0 on in-distribution: +25.0 points [", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("paired bootstrap, 100 items, 1 seed; McNemar p = < 0.0001): interval above 0", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void APairedTestDecidesWhereTheTwoIntervalsOverlap()
    {
        // 72 against 65 of 100: the Wilson intervals overlap, but the 7 discordant items all favour Bradley-Terry.
        Assert.True(WilsonInterval.Compute(72, 100).Low < WilsonInterval.Compute(65, 100).High);
        var items = Baselines(zeroShotCot: 0.65);
        items[StudyOrder.BradleyTerry] = Items(In, 0.72, 100);
        Finding finding = Claim(0, items);
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.All(finding.Verdicts, v => Assert.True(v.Test.Difference.Ci95.Low > 0));
    }

    [Fact]
    public void BeatsIsNotReproducedWhenThePairedIntervalLiesBelowZero()
    {
        Finding finding = Claim(0, Baselines(zeroShotCot: 0.95));
        Assert.Equal(FindingStatus.NotReproduced, finding.Status);
        Assert.Contains("interval below 0, bradley-terry lower", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void BeatsIsInconclusiveWhenThePairedIntervalContainsZero()
    {
        var items = Baselines();
        // Same accuracy as Bradley-Terry, but right and wrong on different items: 10 discordant each way.
        items[StudyOrder.ZeroShotCot] = [.. Items(In, 0.80, 100).Select((item, i) => item with { Score = i is >= 70 and < 90 ? 1 - item.Score : item.Score })];
        Finding finding = Claim(0, items);
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.Contains("interval contains 0", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingMethodMakesTheClaimInconclusiveAndSaysSo()
    {
        var items = Baselines();
        items.Remove(StudyOrder.ZeroShotCot);
        Finding finding = Claim(0, items);
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.StartsWith("method zero-shot-cot not run", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AMethodWithRowsButNoItemOutcomesIsNotComparedByIntervals()
    {
        var items = Baselines();
        items.Remove(StudyOrder.ZeroShotCot);
        var report = new StudyReport(Run, [Row(StudyOrder.ZeroShotCot, In, 0.10, 0.05, 0.15)]) { Items = items };
        Finding finding = Findings.Evaluate(report)[0];
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.Contains("no item-level outcomes for zero-shot-cot", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureOutweighsAMissingMethod()
    {
        var items = Baselines(zeroShotCot: 0.95);
        items.Remove(StudyOrder.ZeroShot);
        Assert.Equal(FindingStatus.NotReproduced, Claim(0, items).Status);
    }

    [Theory]
    [InlineData(0.80, FindingStatus.Reproduced)]   // the same items right: difference 0, interval [0, 0]
    [InlineData(0.60, FindingStatus.NotReproduced)] // 20 points below, interval wholly outside ±3
    [InlineData(0.76, FindingStatus.Inconclusive)]  // 4 points below: the interval crosses -3
    public void MatchesNeedsThePairedIntervalInsideTheMargin(double genrm, FindingStatus expected)
    {
        Finding finding = Claim(1, new()
        {
            [StudyOrder.BradleyTerry] = Items(In, 0.80, 400),
            [StudyOrder.StarDpo] = Items(In, 0.80, 400),
            [StudyOrder.GenRm] = Items(In, genrm, 400),
        });
        Assert.Equal(expected, finding.Status);
        Assert.Contains("±3.0 points", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfDistributionIsTheRewardBenchMeanOfTheFourSections()
    {
        Dictionary<string, IReadOnlyList<ItemRecord>> Ood(double bt, double genrm, double starDpo) => new()
        {
            [StudyOrder.BradleyTerry] = [.. RewardBenchSections.Sections.SelectMany(s => Items(s, bt, 100))],
            [StudyOrder.GenRm] = [.. RewardBenchSections.Sections.SelectMany(s => Items(s, genrm, 100))],
            [StudyOrder.StarDpo] = [.. RewardBenchSections.Sections.SelectMany(s => Items(s, starDpo, 100))],
        };
        Finding finding = Claim(2, Ood(0.60, 0.75, 0.80));
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.Contains("genrm 75.0 vs bradley-terry 60.0 on RewardBench: +15.0 points", finding.Evidence, StringComparison.Ordinal);
        var noSafety = Ood(0.60, 0.75, 0.80);
        noSafety[StudyOrder.GenRm] = [.. noSafety[StudyOrder.GenRm].Where(i => i.Section != RewardBenchSections.Safety)];
        Finding missing = Claim(2, noSafety);
        Assert.Equal(FindingStatus.Inconclusive, missing.Status);
        Assert.Contains("no shared RewardBench items for genrm and bradley-terry", missing.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralSeedsArePairedWithinEachSeed()
    {
        var items = new Dictionary<string, IReadOnlyList<ItemRecord>>
        {
            [StudyOrder.BradleyTerry] = [.. Items(In, 0.80, 100, seed: 1), .. Items(In, 0.78, 100, seed: 2)],
            [StudyOrder.ZeroShot] = [.. Items(In, 0.55, 100, seed: 1), .. Items(In, 0.57, 100, seed: 2)],
            [StudyOrder.ZeroShotCot] = [.. Items(In, 0.60, 100, seed: 1), .. Items(In, 0.61, 100, seed: 2)],
        };
        Finding finding = Claim(0, items);
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.All(finding.Verdicts, v => Assert.Equal((2, 200), (v.Test.Seeds, v.Test.Difference.N)));
        Assert.Contains("200 items, 2 seeds", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void StarDpoImprovementPairsTheLastIterationWithTheFirstOnTheSameHeldOutItems()
    {
        StarIterationStats Iteration(int i, double accuracy) =>
            new StarIterationStats(StudyOrder.StarDpo, i, accuracy, null, 0.6, 100) { HeldOutItems = Items("held-out", accuracy, 200) };
        Finding Judge(params StarIterationStats[] iterations) => Findings.Evaluate(new StudyReport(Run, []) { StarIterations = iterations })[5];

        Assert.Equal(FindingStatus.Reproduced, Judge(Iteration(1, 0.70), Iteration(2, 0.74), Iteration(3, 0.78)).Status);
        Assert.Equal(FindingStatus.Inconclusive, Judge(Iteration(1, 0.70), Iteration(2, 0.70)).Status);
        Finding worse = Judge(Iteration(1, 0.78), Iteration(3, 0.70));
        Assert.Equal(FindingStatus.NotReproduced, worse.Status);
        Assert.Contains("star-dpo iteration 3 70.0 vs iteration 1 78.0 on held-out", worse.Evidence, StringComparison.Ordinal);
        Finding none = Judge();
        Assert.Equal(FindingStatus.Inconclusive, none.Status);
        Assert.Contains("star-dpo not run", none.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void MajorityVotingPairsEachItemsVoteWithItsFirstRationale()
    {
        // The vote is right on 80 of 100 items, the first rationale alone on 65 of them.
        var items = Items(In, 0.80, 100).Select((item, i) => item with { FirstVoteScore = i < 65 ? 1 : 0 }).ToList();
        var report = new StudyReport(Run, [])
        {
            Items = new Dictionary<string, IReadOnlyList<ItemRecord>> { [StudyOrder.StarDpo] = items },
            MajorityVotes = [new(StudyOrder.StarDpo, In, 1, 0.65, WilsonInterval.Compute(65, 100)), new(StudyOrder.StarDpo, In, 3, 0.80, WilsonInterval.Compute(80, 100))],
        };
        Finding helped = Findings.Evaluate(report)[6];
        Assert.Equal(FindingStatus.Reproduced, helped.Status);
        Assert.Contains("star-dpo majority vote 80.0 vs its first rationale alone 65.0 on in-distribution: +15.0 points", helped.Evidence, StringComparison.Ordinal);
        Assert.Equal(FindingStatus.Inconclusive, Findings.Evaluate(new StudyReport(Run, []))[6].Status);
    }
}
