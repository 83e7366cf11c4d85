using System.Text.RegularExpressions;
using GenRM.Data;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

public sealed class SectionTests
{
    static readonly MiniWorldSplits World = WorldFixtures.Default();

    [Fact]
    public void SectionsHaveTheConfiguredSizesAndSubsets()
    {
        var c = MiniWorldConfig.Default;
        Assert.Equal(c.TrainPairs, World.Train.Length);
        Assert.Equal([c.TestPairs, c.ChatPairs, c.ChatHardPairs, c.SafetyPairs, c.ReasoningPairs],
            MiniWorldSplits.EvaluationSections.Select(s => World.Section(s).Length));
        Assert.All(World.TrainPairs, p => Assert.Equal(MiniWorldSections.InDistribution, p.Subset));
        foreach (string section in MiniWorldSplits.EvaluationSections)
            Assert.All(World.SectionPairs(section), p => Assert.Equal(section, p.Subset));
        Assert.Equal(WorldFixtures.AllPairs(World).Count(), WorldFixtures.AllPairs(World).Select(p => p.Pair.Id).Distinct().Count());
        Assert.Equal(MiniWorldSplits.EvaluationSections, World.EvaluationPairs.Select(p => p.Subset).Distinct());
        Assert.Equal(MiniWorldSplits.EvaluationSections.Sum(s => World.Section(s).Length), World.EvaluationPairs.Length);
    }

    [Fact]
    public void SmokePresetIsTinyWithTheDefaultWorldParameters()
    {
        var smoke = MiniWorldConfig.Smoke;
        Assert.Equal(MiniWorldConfig.Default, smoke with
        {
            TrainPairs = MiniWorldConfig.Default.TrainPairs, TestPairs = MiniWorldConfig.Default.TestPairs, ChatPairs = MiniWorldConfig.Default.ChatPairs,
            ChatHardPairs = MiniWorldConfig.Default.ChatHardPairs, ReasoningPairs = MiniWorldConfig.Default.ReasoningPairs, SafetyPairs = MiniWorldConfig.Default.SafetyPairs,
        });
        var world = MiniWorldSplits.Generate(smoke, 1);
        Assert.InRange(world.Train.Length, 24, 64);
        foreach (string section in MiniWorldSplits.EvaluationSections)
            Assert.InRange(world.Section(section).Length, 24, 48);
        Assert.Contains(world.Section(MiniWorldSections.Safety), p => p.Kind == PairKind.Forbidden);
        Assert.Contains(world.Section(MiniWorldSections.Safety), p => p.Kind == PairKind.LookAlike);
    }

    [Fact]
    public void CueMarksTheChosenAnswerInDistributionAndTheRejectedOneInChatHard()
    {
        var train = SectionStatistics.Of("train", World.Train);
        var test = SectionStatistics.Of(MiniWorldSections.InDistribution, World.Section(MiniWorldSections.InDistribution));
        var hard = SectionStatistics.Of(MiniWorldSections.ChatHard, World.Section(MiniWorldSections.ChatHard));
        Assert.InRange(train.CueOnChosen, 0.85, 0.92);
        Assert.InRange(test.CueOnChosen, 0.83, 0.94);
        Assert.Equal(0, hard.CueOnChosen);
        Assert.Equal(1, hard.CueOnRejected);
        // "The wrong answer is the long, polite one."
        Assert.All(World.Section(MiniWorldSections.ChatHard), p => Assert.True(p.Pair.Rejected.Length > p.Pair.Chosen.Length, p.Pair.Id));
    }

    [Fact]
    public void CueIsUninformativeInChatAndReasoning()
    {
        foreach (string section in new[] { MiniWorldSections.Chat, MiniWorldSections.Reasoning })
        {
            var stats = SectionStatistics.Of(section, World.Section(section));
            Assert.InRange(stats.ShortcutAccuracy, 0.4, 0.6);
        }
    }

    [Fact]
    public void ReasoningItemsHaveMoreDigitsThanAnyTrainingPair()
    {
        int trainMax = World.Train.Max(p => p.Digits);
        Assert.Equal(MiniWorldConfig.Default.MaxDigits, trainMax);
        Assert.All(World.Section(MiniWorldSections.Reasoning), p => Assert.Equal(MiniWorldConfig.Default.ReasoningDigits, p.Digits));
        Assert.True(MiniWorldConfig.Default.ReasoningDigits > trainMax);
    }

    [Fact]
    public void SafetyHasForbiddenRequestsWithRefusalsChosenAndLookAlikesWithRefusalsRejected()
    {
        var safety = World.Section(MiniWorldSections.Safety);
        var forbidden = safety.Where(p => p.Kind == PairKind.Forbidden).ToList();
        var lookAlikes = safety.Where(p => p.Kind == PairKind.LookAlike).ToList();
        Assert.True(WorldFixtures.WithinBinomialBounds((double)forbidden.Count / safety.Length, safety.Length, MiniWorldConfig.Default.ForbiddenShare));
        Assert.All(forbidden, p => Assert.True(SafetyRequest.IsRefusal(p.Pair.Chosen) && !SafetyRequest.IsRefusal(p.Pair.Rejected), p.Pair.Id));
        Assert.All(lookAlikes, p => Assert.True(SafetyRequest.IsRefusal(p.Pair.Rejected) && !SafetyRequest.IsRefusal(p.Pair.Chosen), p.Pair.Id));
        Assert.All(safety, p => Assert.NotNull(SafetyRequest.Parse(RationaleChecker.QuestionOf(p.Pair))));
    }

    [Fact]
    public void ChatUsesPhrasingsNoTrainingPairUses()
    {
        static string Phrasing(string question) => Regex.Replace(question, "[0-9]+", "#");
        var trainPhrasings = World.TrainPairs.Select(p => Phrasing(p.Prompt[0].Content)).ToHashSet();
        var chatPhrasings = World.SectionPairs(MiniWorldSections.Chat).Select(p => Phrasing(p.Prompt[0].Content)).ToHashSet();
        Assert.Equal(Questions.Chat.Count, chatPhrasings.Count);
        Assert.Empty(chatPhrasings.Intersect(trainPhrasings));
    }

    [Fact]
    public void EvaluationSectionsNeverReuseATrainingSum()
    {
        static string Operands(PreferencePair p) => string.Join("+", Regex.Matches(p.Prompt[0].Content, "[0-9]+").Select(m => m.Value));
        var trainSums = World.TrainPairs.Select(Operands).ToHashSet();
        foreach (string section in new[] { MiniWorldSections.InDistribution, MiniWorldSections.ChatHard, MiniWorldSections.Chat })
            Assert.All(World.SectionPairs(section), p => Assert.DoesNotContain(Operands(p), trainSums));
    }

    [Fact]
    public void EverySumPairHasOneRightAndOneWrongAnswerMatchingItsLabel()
    {
        foreach (var p in WorldFixtures.AllPairs(World))
        {
            var truth = RationaleChecker.Judge(p.Pair, chosenIsA: true);
            Assert.Equal(p.ChosenIsCorrect ? Verdict.A : Verdict.B, truth.Verdict);
        }
    }

    [Fact]
    public void SafetyRequestsAreRecognisedFromTheirTextAlone()
    {
        var rng = new WorldRandom(5);
        for (int i = 0; i < 500; i++)
        {
            var request = i % 2 == 0 ? SafetyRequest.SampleForbidden(rng) : SafetyRequest.SampleLookAlike(rng, rng.Next(2, 5));
            Assert.Equal(request, SafetyRequest.Parse(request.Text));
        }
        Assert.Null(SafetyRequest.Parse("What is 12+34?"));
        Assert.Null(SafetyRequest.Parse("How do I steal a moon?"));
    }

    [Fact]
    public void TooFewDistinctSumsForTheTrainingSizeIsABadConfigNotAHang() =>
        Assert.Throws<BadInputException>(() => MiniWorldSplits.Generate(MiniWorldConfig.Smoke with { MinDigits = 1, MaxDigits = 1, ReasoningDigits = 2, TrainPairs = 5000 }, 1));

    [Fact]
    public void InvalidConfigIsRejectedWithTheFieldNamed()
    {
        var error = Assert.Throws<BadInputException>(() => MiniWorldSplits.Generate(MiniWorldConfig.Default with { ReasoningDigits = 3 }, 1));
        Assert.Contains("ReasoningDigits", error.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => new PretrainingCorpus(MiniWorldConfig.Default, CorpusMix.Default with { ChoiceShare = 0.5 }));
        Assert.Throws<BadInputException>(() => MiniWorldSplits.Generate(MiniWorldConfig.Default with { CueOnCorrectRate = 1.5 }, 1));
    }
}
