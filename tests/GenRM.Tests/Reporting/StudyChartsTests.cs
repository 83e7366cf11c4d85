using GenRM.Evaluation;
using GenRM.Reporting;
using Plotly.NET;

namespace GenRM.Tests.Reporting;

public sealed class StudyChartsTests
{
    [Fact]
    public void AccuracyHasOneBarSeriesPerSectionWithErrorBarsAndMethodsInDesignOrder()
    {
        StudyReport report = SampleStudy.Build();
        GenericChart chart = StudyCharts.Accuracy(report.Results.Reverse());
        Assert.Equal(StudyOrder.Sections.Length, GenericChart.getTraces(chart).Length);
        string json = GenericChart.toFigureJson(chart);
        Assert.Contains("\"error_y\"", json, StringComparison.Ordinal);
        Assert.Contains("\"categoryarray\":[" + string.Join(",", StudyOrder.Methods.Select(m => $"\"{m}\"")) + "]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorBarsReachTheIntervalBoundsInPercent()
    {
        ResultRow row = SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.InDistribution, 0.70, 0.65, 0.80);
        string json = GenericChart.toFigureJson(StudyCharts.Accuracy([row]));
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
        GenericChart chart = StudyCharts.MajorityVotes(votes);
        string json = GenericChart.toFigureJson(chart);

        Assert.Equal(2, GenericChart.getTraces(chart).Length);
        Assert.Contains("\"name\":\"zero-shot-cot, in-distribution\"", json, StringComparison.Ordinal);
        Assert.Contains("\"x\":[\"1\",\"9\"],\"y\":[50.0,60.0]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EachChartHasOneSeriesPerItsGroup()
    {
        StudyReport report = SampleStudy.Build();
        Assert.Equal(3, GenericChart.getTraces(StudyCharts.StarIterations(report.StarIterations)).Length);
        Assert.Equal(4, GenericChart.getTraces(StudyCharts.PositionBias(report.PositionBias)).Length);
        Assert.Equal(3, GenericChart.getTraces(StudyCharts.TrainingCurves(report.TrainingCurves)).Length);
        Assert.Equal(2, GenericChart.getTraces(StudyCharts.TrainingCurves(report.TrainingCurves, "rewards/accuracies")).Length);
        Assert.Equal(4, GenericChart.getTraces(StudyCharts.OursVsPaper(report.Results)).Length);
    }

    [Fact]
    public void EmptyInputsGiveAnEmptyChartRatherThanAnError()
    {
        Assert.NotNull(GenericChart.toFigureJson(StudyCharts.Accuracy([])));
        Assert.NotNull(GenericChart.toFigureJson(StudyCharts.StarIterations([])));
        Assert.NotNull(GenericChart.toFigureJson(StudyCharts.PositionBias(new Dictionary<string, PositionBiasReport>())));
    }
}
