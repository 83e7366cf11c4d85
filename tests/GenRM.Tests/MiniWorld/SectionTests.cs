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
    public void StyleHelpsInDistributionAndChatMisleadsInChatHardAndIsNeutralInSafetyAndReasoning()
    {
        double Style(string section) => SectionStatistics.Of(section, World.Section(section)).ShortcutAccuracy;
        Assert.InRange(SectionStatistics.Of("train", World.Train).ShortcutAccuracy, 0.65, 0.75);
        Assert.InRange(Style(MiniWorldSections.InDistribution), 0.64, 0.77);
        Assert.InRange(Style(MiniWorldSections.Chat), 0.58, 0.72);
        Assert.InRange(Style(MiniWorldSections.ChatHard), 0.25, 0.39);
        foreach (string section in new[] { MiniWorldSections.Safety, MiniWorldSections.Reasoning })
            Assert.InRange(Style(section), 0.42, 0.58);
        // "The wrong answer is the polished one": in every adversarial Chat Hard pair.
        Assert.All(World.Section(MiniWorldSections.ChatHard).Where(p => p.Adversarial), p => Assert.True(ResponseStyle.HasCue(p.WrongAnswer), p.Pair.Id));
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
        var polish = Assert.Throws<BadInputException>(() => MiniWorldSplits.Generate(MiniWorldConfig.Default with { RightPolishRate = 1.5 }, 1));
        Assert.Contains("RightPolishRate", polish.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => WorldCeilings.ClosedForm(MiniWorldConfig.Default with { NeighbourSumShare = -0.1 }));
    }
}
