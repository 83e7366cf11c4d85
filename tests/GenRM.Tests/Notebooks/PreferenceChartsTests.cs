using GenRM.Data;
using GenRM.Reporting;

namespace GenRM.Tests.Notebooks;

/// <summary>The charts the notebooks display: the right series, categories and fractions, named.</summary>
public sealed class PreferenceChartsTests
{
    static readonly PreferencePair[] Pairs =
    [
        PreferencePair.FromUserPrompt("1", "q", "a long chosen answer", "short", subset: "s1") with { ChosenWasFirst = true },
        PreferencePair.FromUserPrompt("2", "q", "short", "a long rejected answer", subset: "s1") with { ChosenWasFirst = false },
        PreferencePair.FromUserPrompt("3", "q", "longer one", "short", subset: "s2"),
    ];

    [Fact]
    public void LengthBiasHasOneColumnPerSubsetWithTheFractionWhereChosenIsLonger()
    {
        string json = PreferenceCharts.LengthBias(Pairs, "bias title").ToJson();

        Assert.Contains("\"text\":\"bias title\"", json, StringComparison.Ordinal);
        Assert.Contains("\"x\":[\"s1\",\"s2\"],\"y\":[0.5,1]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelBalanceLeavesOutSubsetsWithoutOrder()
    {
        string json = PreferenceCharts.LabelBalance(Pairs, "balance").ToJson();

        Assert.Contains("\"x\":[\"s1\"],\"y\":[0.5]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthsOverlaysChosenAndRejectedHistogramsOverTheSameBinsCountingEveryPair()
    {
        PlotlyFigure figure = PreferenceCharts.Lengths(Pairs, "lengths");

        Assert.True(figure.Overlay);
        Assert.Equal(["chosen", "rejected"], figure.Traces.Select(t => t.Name));
        Assert.Equal(figure.Traces[0].Numbers, figure.Traces[1].Numbers);
        Assert.All(figure.Traces, t => Assert.Equal(Pairs.Length, t.Values.Sum()));
        // "short" (5 characters) is the rejected answer twice: its bin holds 2 there.
        int bin = figure.Traces[1].Numbers!.ToList().FindIndex(center => Math.Abs(center - 5.5) <= 0.5);
        Assert.Equal(2, figure.Traces[1].Values[bin]);
    }

    [Fact]
    public void AChartOfNoPairsSaysSoInItsPlotAreaInBothRenditions()
    {
        PlotlyFigure empty = PreferenceCharts.LengthBias([], "bias of nothing");

        Assert.True(empty.HasNoData);
        Assert.Contains("\"annotations\":[{\"text\":\"no pairs\"", empty.ToJson(), StringComparison.Ordinal);
        Assert.Contains(">no pairs</text>", empty.ToSvg(), StringComparison.Ordinal);
        PlotlyFigure drawn = PreferenceCharts.LengthBias(Pairs, "bias");
        Assert.False(drawn.HasNoData);
        Assert.DoesNotContain("annotations", drawn.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("no pairs", drawn.ToSvg(), StringComparison.Ordinal);
    }

    [Fact]
    public void GroupedColumnsRefusesASeriesOfTheWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => PreferenceCharts.GroupedColumns("t", ["a", "b"],
            [KeyValuePair.Create("only one", (IReadOnlyList<double>)[0.5])], "fraction"));
        Assert.Contains("only one", e.Message, StringComparison.Ordinal);
    }
}
