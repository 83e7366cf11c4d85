using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

public sealed class PaperResultsTests
{
    [Fact]
    public void EveryMethodHasAnInDistributionAndARewardBenchEntry()
    {
        foreach (string method in StudyOrder.Methods)
        {
            foreach (string section in new[] { RewardBenchSections.InDistribution, RewardBenchSections.Overall })
            {
                PaperNumber? number = PaperResults.Find(method, section);
                Assert.NotNull(number);
                // An unreported number always says why.
                Assert.True(number.IsReported || !string.IsNullOrWhiteSpace(number.Note), $"{method} / {section}");
            }
        }
    }

    [Fact]
    public void TheReportedNumbersArePapersAsFractions()
    {
        Assert.Equal(0.5225, PaperResults.Find(StudyOrder.ZeroShot, RewardBenchSections.InDistribution)!.Value!.Value, 6);
        Assert.Equal(0.819, PaperResults.Find(StudyOrder.StarDpo, RewardBenchSections.Overall)!.Value!.Value, 6);
        Assert.Equal(0.91, PaperResults.Find(StudyOrder.StarDpo, RewardBenchSections.Safety)!.Value!.Value, 6);
        Assert.Equal(0.818, PaperResults.Find(StudyOrder.PairRm, RewardBenchSections.Safety)!.Value!.Value, 6);
        Assert.Contains("77.8", PaperResults.Find(StudyOrder.ZeroShotCot, RewardBenchSections.Overall)!.Note, StringComparison.Ordinal);
        Assert.Equal([0.7128, 0.7298, 0.7358], PaperResults.StarDpoIterations.ToArray());
    }

    [Fact]
    public void ApproximateNumbersAreRangesWithANote()
    {
        PaperNumber bt = PaperResults.Find(StudyOrder.BradleyTerry, RewardBenchSections.InDistribution)!;
        Assert.Equal((0.73, 0.74), (bt.Low!.Value, bt.High!.Value));
        Assert.Equal(0.735, bt.Value!.Value, 6);
        Assert.NotNull(bt.Note);
        Assert.False(PaperResults.Find(StudyOrder.StarRationalizer, RewardBenchSections.InDistribution)!.IsReported);
    }

    [Fact]
    public void EveryEntryUsesAKnownMethodAndSection()
    {
        Assert.All(PaperResults.Numbers, n =>
        {
            Assert.Contains(n.Method, StudyOrder.Methods);
            Assert.Contains(n.Section, StudyOrder.Sections);
        });
    }
}
