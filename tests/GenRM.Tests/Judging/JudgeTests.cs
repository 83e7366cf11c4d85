using GenRM.Evaluation;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Text;
using GenRM.Training;
using TorchSharp;

namespace GenRM.Tests.Judging;

public sealed class JudgeTests
{
    static readonly ToyJudgeFormat Format = new();

    static double Accuracy(IPreferenceJudge judge, int seed = 11) =>
        SectionScoring.Plain("toy", JudgeEvaluation.Run(judge, ToyJudgingWorld.Pairs(64, seed: 99), seed).Select(j => j.Outcome)).Accuracy;

    [Fact]
    public void GenRmLearnsTheVerdictTokenAndIsReadFromItsProbabilities()
    {
        using var model = new LanguageModel(ToyJudgingWorld.ModelConfig(), seed: 1);
        var judge = new GenerativeJudge("genrm", model, ToyJudgingWorld.Encoder, Format, new GenerativeJudgeConfig { Readout = JudgeReadout.VerdictProbability });
        double before = Accuracy(judge);
        var examples = JudgeTrainingData.Verdicts(ToyJudgingWorld.Pairs(256, seed: 1), ToyJudgingWorld.Encoder, Format);
        new SftTrainer(model, new SftTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 12) }, ByteTokenizer.Pad).Train(examples);
        double after = Accuracy(judge);
        Assert.InRange(before, 0.2, 0.8);
        Assert.True(after >= 0.9, $"GenRM accuracy after training {after:P0} (before {before:P0})");
    }

    [Fact]
    public void PairwiseClassifierLearnsWhichSideIsBetter()
    {
        using var backbone = new LanguageModel(ToyJudgingWorld.ModelConfig(), seed: 2);
        using var model = backbone.WithRewardHead(2, seed: 3);
        var examples = JudgeTrainingData.PairwiseClassifier(ToyJudgingWorld.Pairs(256, seed: 2), ToyJudgingWorld.Encoder, Format);
        Assert.Contains(examples, e => e.Label == 0);
        Assert.Contains(examples, e => e.Label == 1);
        new PairwiseClassifierTrainer(model, new PairwiseClassifierTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 12) }, ByteTokenizer.Pad).Train(examples);
        double accuracy = Accuracy(new PairwiseClassifierJudge("pairrm", model, ToyJudgingWorld.Encoder, Format));
        Assert.True(accuracy >= 0.9, $"PairRM accuracy {accuracy:P0}");
    }

    [Fact]
    public void RewardModelJudgeScoresEachResponseOnItsOwn()
    {
        using var model = new LanguageModel(ToyJudgingWorld.ModelConfig(labels: 1), seed: 4);
        var judge = new RewardModelJudge("bradley-terry", model, ToyJudgingWorld.Encoder);
        var pairs = ToyJudgingWorld.Pairs(8, seed: 1);
        var first = judge.Judge([.. pairs.Select(p => new JudgeItem(p.Prompt, p.Chosen, p.Rejected))]);
        var swapped = judge.Judge([.. pairs.Select(p => new JudgeItem(p.Prompt, p.Rejected, p.Chosen))]);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(first[i].ScoreA!.Value, swapped[i].ScoreB!.Value, 1e-5);
            Assert.Equal(first[i].ProbabilityABetter, 1 - swapped[i].ProbabilityABetter, 1e-5);
        }
    }

    [Fact]
    public void EqualRewardsCountAsWrong()
    {
        var judged = JudgeEvaluation.Run(new TiedScores(), ToyJudgingWorld.Pairs(4, seed: 1), seed: 1);
        Assert.All(judged, j => Assert.Equal(0.0, j.Outcome.Score));
        Assert.All(judged, j => Assert.Equal(0.5, j.Judgement.ProbabilityABetter));
    }

    [Fact]
    public void ChainOfThoughtVoteTakesTheMajorityAndCountsTiesAsNoVerdict()
    {
        var majority = GenerativeJudge.Vote(["x [[A]]", "y [[B]]", "z [[A]]", "junk"]);
        Assert.Equal(Verdict.A, majority.Verdict);
        Assert.Equal(2.0 / 3, majority.ProbabilityABetter, 1e-12);
        Assert.Equal([Verdict.A, Verdict.B, Verdict.A, Verdict.None], majority.Votes);
        Assert.Equal(Verdict.None, GenerativeJudge.Vote(["[[A]]", "[[B]]"]).Verdict);
        var none = GenerativeJudge.Vote(["no verdict here"]);
        Assert.Equal(Verdict.None, none.Verdict);
        Assert.Equal(0.5, none.ProbabilityABetter);
    }

    [Fact]
    public void AChainOfThoughtJudgesGreedyReadoutBesideItsVotesIsTheVoteAndTheGreedyJudgeOfTheSamePairs()
    {
        // The votes are Run's; the greedy readout is what a one-rationale judge at temperature 0 gives
        // on the same pairs in the same A/B orders; both read in one pass.
        using var model = ToyJudgingWorld.CoinFlipJudge(Format, seed: 4);
        var config = new GenerativeJudgeConfig { Samples = 3, Sampling = new GenerationOptions { Temperature = 1, MaxNewTokens = 12, Seed = 5 }, BatchSize = 8 };
        var judge = new GenerativeJudge("star-sft", model, ToyJudgingWorld.Encoder, Format, config);
        var greedyJudge = new GenerativeJudge("star-sft", model, ToyJudgingWorld.Encoder, Format,
            config with { Samples = 1, Sampling = config.Sampling with { Temperature = 0 } });
        var pairs = ToyJudgingWorld.Pairs(20, seed: 6);

        var (votes, greedy) = JudgeEvaluation.RunWithGreedy(judge, pairs, seed: 7);
        var alone = JudgeEvaluation.Run(judge, pairs, seed: 7);
        var greedyAlone = JudgeEvaluation.Run(greedyJudge, pairs, seed: 7);
        Assert.Equal(alone.Select(j => j.Judgement.Rationales), votes.Select(j => j.Judgement.Rationales));
        Assert.Equal(alone.Select(j => j.Outcome.Score), votes.Select(j => j.Outcome.Score));
        Assert.Equal(greedyAlone.Select(j => j.Judgement.Rationales), greedy.Select(j => j.Judgement.Rationales));
        Assert.Equal(greedyAlone.Select(j => (j.ChosenShownAsA, j.Outcome.Score)), greedy.Select(j => (j.ChosenShownAsA, j.Outcome.Score)));
        Assert.Contains(votes, j => j.Judgement.Verdict != Verdict.None);

        var reader = new GenerativeJudge("genrm", model, ToyJudgingWorld.Encoder, Format, new GenerativeJudgeConfig { Readout = JudgeReadout.VerdictProbability });
        Assert.Throws<InvalidOperationException>(() => JudgeEvaluation.RunWithGreedy(reader, pairs, seed: 7));
    }

    [Fact]
    public void AJudgeThatAlwaysSaysAShowsFullPositionBias()
    {
        var bias = JudgeEvaluation.PositionBias(new AlwaysA(), ToyJudgingWorld.Pairs(40, seed: 3));
        Assert.Equal(1.0, bias.ChosenFirst.Value);
        Assert.Equal(0.0, bias.ChosenSecond.Value);
        Assert.Equal(0.0, bias.Consistency.Value);
    }

    [Fact]
    public void NaNScoresAreRefused()
    {
        var error = Assert.Throws<NonFiniteScoresException>(() => JudgeEvaluation.Run(new NaNJudge(), ToyJudgingWorld.Pairs(3, seed: 1), seed: 1));
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void NaNWeightsAreNamedAndTheRewardModelsAccuraciesRefused()
    {
        using var model = new LanguageModel(ToyJudgingWorld.ModelConfig(labels: 1), seed: 4);
        Assert.Empty(NonFiniteWeights.Find(model));
        using (torch.no_grad())
        using (var nan = float.NaN.ToScalar())
            model.state_dict()["score.weight"].fill_(nan);
        Assert.Equal(["score.weight: 48 of 48 values NaN or infinite"], NonFiniteWeights.Find(model));
        var log = new StringWriter();
        NonFiniteWeights.Warn(model, "model-folder", log);
        Assert.StartsWith("warning: model-folder: score.weight: 48 of 48 values NaN or infinite", log.ToString(), StringComparison.Ordinal);

        var judge = new RewardModelJudge("bradley-terry", model, ToyJudgingWorld.Encoder);
        var error = Assert.Throws<NonFiniteScoresException>(() => JudgeEvaluation.Run(judge, ToyJudgingWorld.Pairs(3, seed: 1), seed: 1));
        Assert.Contains("refusing to report an accuracy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantRewardScoresAreReportedAsSuchAndVaryingOnesAreNot()
    {
        var pairs = ToyJudgingWorld.Pairs(6, seed: 1);
        Assert.Equal(0.25, JudgeEvaluation.ConstantScore(JudgeEvaluation.Run(new TiedScores(), pairs, seed: 1)));
        Assert.Null(JudgeEvaluation.ConstantScore(JudgeEvaluation.Run(new LengthScores(), pairs, seed: 1)));
        Assert.Null(JudgeEvaluation.ConstantScore(JudgeEvaluation.Run(new AlwaysA(), pairs, seed: 1)));
    }

    [Fact]
    public void EvaluationRowsGiveEachSectionAndTheMeanOfTheFourOutOfDistributionSections()
    {
        var pairs = new[] { "Chat", "Chat Hard", "Safety", "Reasoning", "in-distribution" }.SelectMany(s => ToyJudgingWorld.Pairs(20, seed: s.Length, subset: s)).ToArray();
        var judged = JudgeEvaluation.Run(new AlwaysA(), pairs, seed: 2);
        var rows = JudgeEvaluation.Rows("always-a", judged, seed: 2);
        Assert.Equal(["Chat", "Chat Hard", "Reasoning", "RewardBench", "Safety", "in-distribution"], rows.Select(r => r.Section).Order(StringComparer.Ordinal));
        var mean = rows.Single(r => r.Section == "RewardBench");
        Assert.Equal(rows.Where(r => r.Section is "Chat" or "Chat Hard" or "Safety" or "Reasoning").Average(r => r.Accuracy), mean.Accuracy, 1e-12);
        Assert.Equal(80, mean.N);
        Assert.True(mean.Ci95.Low <= mean.Accuracy && mean.Accuracy <= mean.Ci95.High);
    }

    sealed class AlwaysA : IPreferenceJudge
    {
        public string Method => "always-a";
        public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
            [.. items.Select(_ => Judgement.FromProbability(1.0))];
    }

    sealed class TiedScores : IPreferenceJudge
    {
        public string Method => "tied";
        public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
            [.. items.Select(_ => Judgement.FromScores(0.25, 0.25))];
    }

    sealed class LengthScores : IPreferenceJudge
    {
        public string Method => "length";
        public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
            [.. items.Select(item => Judgement.FromScores(item.ResponseA.Length, item.ResponseB.Length))];
    }

    sealed class NaNJudge : IPreferenceJudge
    {
        public string Method => "nan";
        public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
            [.. items.Select(_ => Judgement.FromScores(double.NaN, 0))];
    }
}
