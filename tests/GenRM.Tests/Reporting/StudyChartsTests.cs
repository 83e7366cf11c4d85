using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

public sealed class StudyChartsTests
{
    static string Json(PlotlyFigure figure) => figure.ToJson();

    [Fact]
    public void AccuracyHasOneBarSeriesPerSectionWithErrorBarsAndMethodsInDesignOrder()
    {
        StudyReport report = SampleStudy.Build();
        PlotlyFigure chart = StudyCharts.Accuracy(report.Results.Reverse());
        Assert.Equal(StudyOrder.Sections.Length, chart.Traces.Count);
        string json = Json(chart);
        Assert.Contains("\"error_y\"", json, StringComparison.Ordinal);
        Assert.Contains("\"categoryarray\":[" + string.Join(",", StudyOrder.Methods.Select(m => $"\"{m}\"")) + "]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorBarsReachTheIntervalBoundsInPercent()
    {
        ResultRow row = SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.InDistribution, 0.70, 0.65, 0.80);
        string json = Json(StudyCharts.Accuracy([row]));
        Assert.Matches("\"array\":\\[10(\\.0+\\d*)?\\]", json);
        Assert.Matches("\"arrayminus\":\\[4\\.9+\\d*\\]|\"arrayminus\":\\[5(\\.0+\\d*)?\\]", json);
    }

    [Fact]
    public void MajorityVotesDrawOneLinePerMethodAndSectionOverTheVoteCountsInOrder()
    {
        MajorityVoteStats[] votes =
        [
            new(StudyOrder.ZeroShotCot, RewardBenchSections.InDistribution, 9, 0.60, new ConfidenceInterval(0.5, 0.7)),
            new(StudyOrder.ZeroShotCot, RewardBenchSections.InDistribution, 1, 0.50, new ConfidenceInterval(0.4, 0.6)),
            new(StudyOrder.ZeroShotCot, "Chat Hard", 1, 0.40, new ConfidenceInterval(0.3, 0.5)),
        ];
        PlotlyFigure chart = StudyCharts.MajorityVotes(votes);
        string json = Json(chart);

        Assert.Equal(2, chart.Traces.Count);
        Assert.Contains("\"name\":\"zero-shot-cot, in-distribution\"", json, StringComparison.Ordinal);
        Assert.Contains("\"x\":[\"1\",\"9\"],\"y\":[50,60]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EachChartHasOneSeriesPerItsGroup()
    {
        StudyReport report = SampleStudy.Build();
        Assert.Equal(3, StudyCharts.StarIterations(report.StarIterations).Traces.Count);
        Assert.Equal(4, StudyCharts.PositionBias(report.PositionBias).Traces.Count);
        Assert.Equal(3, StudyCharts.TrainingCurves(report.TrainingCurves).Traces.Count);
        Assert.Equal(2, StudyCharts.TrainingCurves(report.TrainingCurves, "rewards/accuracies").Traces.Count);
        Assert.Equal(4, StudyCharts.OursVsPaper(report.Results).Traces.Count);
    }

    [Fact]
    public void EmptyInputsGiveAnEmptyChartRatherThanAnError()
    {
        Assert.NotNull(Json(StudyCharts.Accuracy([])));
        Assert.NotNull(Json(StudyCharts.StarIterations([])));
        Assert.NotNull(Json(StudyCharts.PositionBias(new Dictionary<string, PositionBiasReport>())));
    }
}
