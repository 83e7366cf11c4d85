using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Reporting;
using GenRM.Tests.Reporting;
using Microsoft.Data.Analysis;

namespace GenRM.Tests.Experiments;

/// <summary>The notebooks' tables: the right cells in the right places, the paper's numbers beside this run's.</summary>
public sealed class StudyTablesTests
{
    static string Cell(DataFrame frame, string keyColumn, string key, string column)
    {
        long row = Enumerable.Range(0, (int)frame.Rows.Count).Single(i => (string)frame[keyColumn][i] == key);
        return (string)frame[column][row];
    }

    [Fact]
    public void ResultsPutMethodsDownAndSectionsAcrossInTheStudysOrderWithADashWhereNotRun()
    {
        ResultRow[] rows =
        [
            SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.Overall, 0.5, 0.45, 0.55),
            SampleStudy.Row(StudyOrder.ZeroShot, RewardBenchSections.InDistribution, 0.342, 0.30, 0.384),
            SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.InDistribution, 0.892, 0.86, 0.92),
        ];

        DataFrame frame = StudyTables.Results(rows);

        Assert.Equal(["method", "in-distribution", "RewardBench"], frame.Columns.Select(c => c.Name));
        Assert.Equal([StudyOrder.ZeroShot, StudyOrder.GenRm], Enumerable.Range(0, 2).Select(i => (string)frame["method"][i]));
        Assert.Equal("34.2 [30.0, 38.4]", Cell(frame, "method", StudyOrder.ZeroShot, "in-distribution"));
        Assert.Equal("-", Cell(frame, "method", StudyOrder.ZeroShot, "RewardBench"));
        Assert.Equal("50.0 [45.0, 55.0]", Cell(frame, "method", StudyOrder.GenRm, "RewardBench"));
    }

    [Fact]
    public void BesidePaperShowsThePapersNumberRangeAndNoteNextToThisRun()
    {
        DataFrame frame = StudyTables.BesidePaper([SampleStudy.Row(StudyOrder.ZeroShot, RewardBenchSections.Overall, 0.569, 0.54, 0.59)]);

        // Every method the paper or the run has, in distribution and on RewardBench.
        Assert.Equal(2 * StudyOrder.Methods.Length, frame.Rows.Count);
        long zeroShotOverall = Enumerable.Range(0, (int)frame.Rows.Count)
            .Single(i => (string)frame["method"][i] == StudyOrder.ZeroShot && (string)frame["section"][i] == RewardBenchSections.Overall);
        Assert.Equal("56.9 [54.0, 59.0]", frame["this run"][zeroShotOverall]);
        Assert.Equal("60.6", frame["paper"][zeroShotOverall]);
        long btInDistribution = Enumerable.Range(0, (int)frame.Rows.Count)
            .Single(i => (string)frame["method"][i] == StudyOrder.BradleyTerry && (string)frame["section"][i] == RewardBenchSections.InDistribution);
        Assert.Equal("not run", frame["this run"][btInDistribution]);
        Assert.Equal("73.0-74.0", frame["paper"][btInDistribution]);
        Assert.Contains("73-74", (string)frame["about the paper's number"][btInDistribution], StringComparison.Ordinal);
    }

    [Fact]
    public void FindingsListEveryClaimWithItsStatusAsTheReportJudgesIt()
    {
        StudyReport report = SampleStudy.Build();
        var expected = Findings.Evaluate(report);

        DataFrame frame = StudyTables.Findings(report);

        Assert.Equal(expected.Count, frame.Rows.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Claim, frame["claim"][i]);
            Assert.Equal(expected[i].Status == FindingStatus.NotReproduced ? "not reproduced" : expected[i].Status.ToString().ToLowerInvariant(), frame["status"][i]);
        }
    }

    [Fact]
    public void StarIterationsAreListedByMethodThenIteration()
    {
        StudyReport report = SampleStudy.Build();

        DataFrame frame = StudyTables.StarIterations(report.StarIterations.Reverse());

        Assert.Equal(9, frame.Rows.Count);
        Assert.Equal(StudyOrder.StarSft, frame["method"][0]);
        Assert.Equal(1, frame["iteration"][0]);
        Assert.Equal(StudyOrder.StarDpo, frame["method"][8]);
        Assert.Equal(3, frame["iteration"][8]);
        Assert.Equal("76.0 [73.3, 78.5]", frame["held-out accuracy"][8]);
    }
}
