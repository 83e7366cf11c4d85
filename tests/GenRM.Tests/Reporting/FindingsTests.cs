using GenRM.Evaluation;
using GenRM.Reporting;
using static GenRM.Tests.Reporting.SampleStudy;

namespace GenRM.Tests.Reporting;

public sealed class FindingsTests
{
    const string In = RewardBenchSections.InDistribution;
    const string Ood = RewardBenchSections.Overall;

    static Finding Claim(int index, IEnumerable<ResultRow> rows) => Findings.Evaluate(new StudyReport(Run, [.. rows]))[index];

    static IEnumerable<ResultRow> Baselines(double zeroShotCot = 0.65, double low = 0.60, double high = 0.70) =>
    [
        Row(StudyOrder.BradleyTerry, In, 0.80, 0.76, 0.84),
        Row(StudyOrder.ZeroShot, In, 0.55, 0.50, 0.60),
        Row(StudyOrder.ZeroShotCot, In, zeroShotCot, low, high),
    ];

    [Fact]
    public void EveryClaimIsJudgedInPaperOrder()
    {
        var findings = Findings.Evaluate(Build());
        Assert.Equal(8, findings.Count);
        Assert.Contains("less accurate than the Bradley-Terry", findings[0].Claim, StringComparison.Ordinal);
        Assert.Contains("STaR-DPO", findings[5].Claim, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Evidence)));
    }

    [Fact]
    public void BeatsIsReproducedWhenTheIntervalsAreApart()
    {
        Finding finding = Claim(0, Baselines());
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.Contains("bradley-terry 80.0 [76.0, 84.0] vs zero-shot 55.0 [50.0, 60.0] (+25.0 points)", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void BeatsIsNotReproducedWhenTheOrderIsReversedBeyondTheIntervals()
    {
        Finding finding = Claim(0, Baselines(zeroShotCot: 0.90, low: 0.87, high: 0.93));
        Assert.Equal(FindingStatus.NotReproduced, finding.Status);
        Assert.Contains("bradley-terry lower", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void BeatsIsInconclusiveWhenTheIntervalsOverlap()
    {
        Finding finding = Claim(0, Baselines(zeroShotCot: 0.78, low: 0.74, high: 0.82));
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.Contains("intervals overlap", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingMethodMakesTheClaimInconclusiveAndSaysSo()
    {
        Finding finding = Claim(0, Baselines().Where(r => r.Method != StudyOrder.ZeroShotCot));
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.StartsWith("method zero-shot-cot not run", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void ARowWithoutItemsCountsAsMissing()
    {
        Finding finding = Claim(0, Baselines().Select(r => r.Method == StudyOrder.ZeroShotCot ? r with { Accuracy = double.NaN, N = 0 } : r));
        Assert.Equal(FindingStatus.Inconclusive, finding.Status);
        Assert.Contains("zero-shot-cot not run", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureOutweighsAMissingMethod()
    {
        Finding finding = Claim(0, Baselines(zeroShotCot: 0.90, low: 0.87, high: 0.93).Where(r => r.Method != StudyOrder.ZeroShot));
        Assert.Equal(FindingStatus.NotReproduced, finding.Status);
    }

    [Theory]
    [InlineData(0.80, 0.77, 0.83, FindingStatus.Reproduced)]
    [InlineData(0.70, 0.67, 0.73, FindingStatus.NotReproduced)]
    [InlineData(0.76, 0.73, 0.79, FindingStatus.Inconclusive)]
    public void MatchesNeedsEachValueInsideTheOthersInterval(double genrm, double low, double high, FindingStatus expected)
    {
        Finding finding = Claim(1,
        [
            Row(StudyOrder.BradleyTerry, In, 0.80, 0.77, 0.83),
            Row(StudyOrder.StarDpo, In, 0.81, 0.78, 0.84),
            Row(StudyOrder.GenRm, In, genrm, low, high),
        ]);
        Assert.Equal(expected, finding.Status);
    }

    [Fact]
    public void OutOfDistributionUsesTheRewardBenchRow()
    {
        Finding finding = Claim(2,
        [
            Row(StudyOrder.BradleyTerry, Ood, 0.60, 0.57, 0.63),
            Row(StudyOrder.GenRm, Ood, 0.75, 0.72, 0.78),
            Row(StudyOrder.StarDpo, Ood, 0.80, 0.77, 0.83),
            Row(StudyOrder.BradleyTerry, RewardBenchSections.Chat, 0.95, 0.93, 0.97),
        ]);
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.DoesNotContain("mean of", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheRewardBenchRowOutOfDistributionIsTheMeanOfTheSectionsBothHaveAndSaysSo()
    {
        Finding finding = Claim(2,
        [
            Row(StudyOrder.BradleyTerry, RewardBenchSections.Chat, 0.60, 0.56, 0.64),
            Row(StudyOrder.BradleyTerry, RewardBenchSections.Safety, 0.50, 0.46, 0.54),
            Row(StudyOrder.BradleyTerry, RewardBenchSections.Reasoning, 0.10, 0.06, 0.14),
            Row(StudyOrder.GenRm, RewardBenchSections.Chat, 0.80, 0.76, 0.84),
            Row(StudyOrder.GenRm, RewardBenchSections.Safety, 0.70, 0.66, 0.74),
            Row(StudyOrder.StarDpo, RewardBenchSections.Chat, 0.85, 0.81, 0.89),
            Row(StudyOrder.StarDpo, RewardBenchSections.Safety, 0.75, 0.71, 0.79),
        ]);
        Assert.Equal(FindingStatus.Reproduced, finding.Status);
        Assert.Contains("genrm (mean of Chat, Safety; no RewardBench row) 75.0 [71.0, 79.0] vs bradley-terry (mean of Chat, Safety; no RewardBench row) 55.0 [51.0, 59.0]",
            finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void StarDpoImprovementComparesTheLastIterationWithTheFirst()
    {
        StarIterationStats Iteration(int i, double accuracy, double low, double high) => new(StudyOrder.StarDpo, i, accuracy, new ConfidenceInterval(low, high), 0.6, 100);
        Finding Judge(params StarIterationStats[] iterations) => Findings.Evaluate(new StudyReport(Run, []) { StarIterations = iterations })[5];

        Assert.Equal(FindingStatus.Reproduced, Judge(Iteration(1, 0.70, 0.67, 0.73), Iteration(2, 0.74, 0.71, 0.77), Iteration(3, 0.78, 0.75, 0.81)).Status);
        Assert.Equal(FindingStatus.Inconclusive, Judge(Iteration(1, 0.70, 0.67, 0.73), Iteration(2, 0.72, 0.69, 0.75)).Status);
        Assert.Equal(FindingStatus.NotReproduced, Judge(Iteration(1, 0.78, 0.75, 0.81), Iteration(3, 0.70, 0.67, 0.73)).Status);
        Finding none = Judge();
        Assert.Equal(FindingStatus.Inconclusive, none.Status);
        Assert.Contains("star-dpo not run", none.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void MajorityVotingComparesTheMostVotesWithTheFewest()
    {
        Finding Judge(params MajorityVoteStats[] votes) => Findings.Evaluate(new StudyReport(Run, []) { MajorityVotes = votes })[6];
        MajorityVoteStats Votes(int k, double accuracy, double low, double high) => new(StudyOrder.StarDpo, In, k, accuracy, new ConfidenceInterval(low, high));

        Finding helped = Judge(Votes(1, 0.70, 0.67, 0.73), Votes(32, 0.80, 0.77, 0.83), Votes(8, 0.76, 0.73, 0.79));
        Assert.Equal(FindingStatus.Reproduced, helped.Status);
        Assert.Contains("with 32 votes", helped.Evidence, StringComparison.Ordinal);
        Assert.Equal(FindingStatus.Inconclusive, Judge().Status);
    }
}
