using GenRM.Data;
using Plotly.NET;

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

    static string Json(GenericChart chart) => GenericChart.toChartHTML(chart);

    [Fact]
    public void LengthBiasHasOneColumnPerSubsetWithTheFractionWhereChosenIsLonger()
    {
        string html = Json(PreferenceCharts.LengthBias(Pairs, "bias title"));

        Assert.Contains("bias title", html, StringComparison.Ordinal);
        Assert.Contains("\"x\":[\"s1\",\"s2\"]", html, StringComparison.Ordinal);
        Assert.Contains("\"y\":[0.5,1.0]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelBalanceLeavesOutSubsetsWithoutOrder()
    {
        string html = Json(PreferenceCharts.LabelBalance(Pairs, "balance"));

        Assert.Contains("\"x\":[\"s1\"]", html, StringComparison.Ordinal);
        Assert.Contains("\"y\":[0.5]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthsOverlaysChosenAndRejectedHistograms()
    {
        string html = Json(PreferenceCharts.Lengths(Pairs, "lengths"));

        Assert.Contains("\"type\":\"histogram\"", html, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"chosen\"", html, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"rejected\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupedColumnsRefusesASeriesOfTheWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => PreferenceCharts.GroupedColumns("t", ["a", "b"],
            [KeyValuePair.Create("only one", (IReadOnlyList<double>)[0.5])], "fraction"));
        Assert.Contains("only one", e.Message, StringComparison.Ordinal);
    }
}
