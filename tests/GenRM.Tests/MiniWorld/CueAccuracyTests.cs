using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Text;
using GenRM.Reporting;

namespace GenRM.Tests.MiniWorld;

/// <summary>Accuracy split by where the surface cue sits: what tells a shortcut from a check.</summary>
public sealed class CueAccuracyTests
{
    static readonly MiniWorldSplits World = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 3);

    /// <summary>A judge that picks the cued answer (and the chosen one when neither or both carry it).</summary>
    static JudgedPair ShortcutJudge(WorldPair p)
    {
        bool right = !(p.CueOnRejected && !p.CueOnChosen);
        var verdict = right ? Verdict.A : Verdict.B;
        return new JudgedPair(p.Pair, true, Judgement.FromProbability(right ? 0.9 : 0.1), ItemOutcome.FromVerdict(p.Pair, verdict, chosenShownAsA: true));
    }

    [Fact]
    public void AShortcutJudgeIsAlwaysRightWithTheCueOnTheChosenAnswerAndAlwaysWrongWithItOnTheRejected()
    {
        var pairs = World.Train.Concat(World.Section(MiniWorldSections.ChatHard)).ToList();
        var rows = CueAccuracy.Split(pairs.Select(ShortcutJudge), pairs);

        foreach (var (section, facts) in new[] { ("in-distribution", World.Train), (MiniWorldSections.ChatHard, World.Section(MiniWorldSections.ChatHard)) })
        {
            var statistics = SectionStatistics.Of(section, facts);
            var onChosen = rows.Single(r => r.Section == section && r.Cue == CuePlacement.OnChosen);
            var onRejected = rows.Single(r => r.Section == section && r.Cue == CuePlacement.OnRejected);
            var neither = rows.Single(r => r.Section == section && r.Cue == CuePlacement.Neither);
            Assert.Equal(statistics.CueOnChosen * facts.Length, onChosen.N, 6);
            Assert.Equal(statistics.CueOnRejected * facts.Length, onRejected.N, 6);
            Assert.Equal(facts.Length, onChosen.N + onRejected.N + neither.N);
            if (onChosen.N > 0) Assert.Equal(1.0, onChosen.Accuracy);
            if (onRejected.N > 0) Assert.Equal(0.0, onRejected.Accuracy);
        }
        // Chat Hard reverses the cue: it sits on the rejected answer there.
        Assert.True(rows.Single(r => r.Section == MiniWorldSections.ChatHard && r.Cue == CuePlacement.OnRejected).N > 0);
    }

    [Fact]
    public void APairTheWorldDoesNotKnowIsNamed()
    {
        var stranger = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 4).Train[0] with { Pair = World.Train[0].Pair with { Id = "stranger-1" } };
        var e = Assert.Throws<ArgumentException>(() => CueAccuracy.Split([ShortcutJudge(stranger)], World.Train));
        Assert.Contains("stranger-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChartHasOneColumnSeriesPerCuePlacementOverTheSections()
    {
        var pairs = World.Section(MiniWorldSections.InDistribution).Concat(World.Section(MiniWorldSections.ChatHard)).ToList();
        PlotlyFigure chart = CueAccuracy.Chart(CueAccuracy.Split(pairs.Select(ShortcutJudge), pairs).ToList(), "cue split");
        string json = chart.ToJson();
        Assert.Equal(3, chart.Traces.Count);
        Assert.Contains("\"x\":[\"in-distribution\",\"Chat Hard\"]", json, StringComparison.Ordinal);
        Assert.Contains("cue split", json, StringComparison.Ordinal);
    }
}
