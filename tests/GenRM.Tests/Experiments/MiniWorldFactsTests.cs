using GenRM.Bootstrapping;
using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Text;
using GenRM.Tests.MiniWorld;

namespace GenRM.Tests.Experiments;

public sealed class MiniWorldFactsTests
{
    static readonly MiniWorldSplits World = WorldFixtures.Default();

    static JudgedPair Judged(WorldPair pair, bool chosenShownAsA, params string[] rationales) =>
        new(pair.Pair, chosenShownAsA, new Judgement(0.5, Verdict.None, Rationales: rationales), new ItemOutcome(pair.Pair.Id, pair.Pair.Subset, 0.5));

    [Fact]
    public void TheCueReadFromTheAnswersIsWhereTheWorldPutIt()
    {
        foreach (WorldPair pair in MiniWorldSplits.EvaluationSections.SelectMany(s => World.Section(s)))
        {
            var record = MiniWorldFacts.Add(new ItemRecord(1, pair.Pair.Id, pair.Pair.Subset, 1), Judged(pair, true));
            Assert.Equal((pair.CueOnChosen, pair.CueOnRejected), (record.CueOnChosen!.Value, record.CueOnRejected!.Value));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RationalesWithTheWorldsCheckAreCountedInTheOrderTheJudgeSaw(bool chosenShownAsA)
    {
        WorldPair pair = World.Section(MiniWorldSections.InDistribution)[0];
        string right = RationaleChecker.Judge(pair.Pair, chosenShownAsA).Completion;
        var record = MiniWorldFacts.Add(new ItemRecord(1, pair.Pair.Id, pair.Pair.Subset, 1), Judged(pair, chosenShownAsA, right, "A looks nicer. [[A]]", right));
        Assert.Equal((3, 2), (record.Rationales!.Value, record.RationalesWithCheck!.Value));
    }

    [Theory]
    [InlineData(RewardBenchSections.Chat)]
    [InlineData(RewardBenchSections.ChatHard)]
    [InlineData(RewardBenchSections.Safety)]
    [InlineData(RewardBenchSections.Reasoning)]
    public void OutOfDistributionRationalesAreCheckedLikeInDistributionOnes(string section)
    {
        WorldPair pair = World.Section(section)[0];
        string right = RationaleChecker.Judge(pair.Pair, chosenIsA: false).Completion;
        var record = MiniWorldFacts.Add(new ItemRecord(1, pair.Pair.Id, pair.Pair.Subset, 1), Judged(pair, false, right, "B is longer. [[B]]"));
        Assert.NotNull(record.CueOnChosen);
        Assert.Equal((2, 1), (record.Rationales!.Value, record.RationalesWithCheck!.Value));
    }

    [Fact]
    public void TheTruthReadFromEachPairIsTheWorlds()
    {
        var pairs = MiniWorldSplits.EvaluationSections.SelectMany(s => World.Section(s)).ToList();
        var records = MiniWorldFacts.WithTruth([.. pairs.Select(p => new ItemRecord(1, p.Pair.Id, p.Pair.Subset, 1))], MiniWorldFacts.ChosenIsRight(pairs.Select(p => p.Pair)));
        Assert.Equal(pairs.Select(p => (bool?)p.ChosenIsCorrect), records.Select(r => r.ChosenIsRight));
        Assert.Contains(records, r => r.ChosenIsRight == false);
    }

    [Fact]
    public void StarChecksCountSampledAndKeptRationalesWithTheCheck()
    {
        // Pairs whose label is right, so the right rationale's verdict is the label's (kept).
        var pairs = World.Train.Where(p => p.ChosenIsCorrect).Take(2).Select(p => p.Pair).ToDictionary(p => p.Id);
        var (first, second) = (pairs.Values.First(), pairs.Values.Last());
        RationaleSample Sample(GenRM.Data.PreferencePair pair, bool chosenIsA, string text) =>
            new(pair.Id, [], text, VerdictParser.Parse(text), chosenIsA ? Verdict.A : Verdict.B);
        string firstRight = RationaleChecker.Judge(first, chosenIsA: true).Completion;
        string secondRight = RationaleChecker.Judge(second, chosenIsA: false).Completion;
        RationaleSample[] samples =
        [
            Sample(first, true, firstRight),                            // kept, with the check
            Sample(first, true, "no idea [[B]]"),                        // wrong, no check
            Sample(second, false, secondRight),                         // kept, with the check
            Sample(second, false, secondRight.Replace("[[B]]", "[[A]]", StringComparison.Ordinal)), // the check, then the wrong verdict
        ];
        Assert.Equal((3, 2), MiniWorldFacts.StarChecks(samples, pairs));
    }
}
