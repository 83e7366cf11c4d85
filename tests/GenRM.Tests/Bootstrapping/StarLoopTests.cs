using GenRM.Bootstrapping;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Tests.Judging;
using GenRM.Tests.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Tests.Bootstrapping;

public sealed class StarLoopTests
{
    static readonly ToyJudgeFormat Format = new();

    static StarConfig Config(StarVariant variant) => new()
    {
        Variant = variant,
        Iterations = 1,
        SamplesPerItem = 4,
        Sampling = new GenerationOptions { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 12, StopStrings = ["\n"] },
        Sft = new SftTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 10) },
        // Pure DPO on this toy lowers the chosen rationales' likelihood with the rejected ones' until
        // the reply format breaks (rewards/chosen fell to −5 at lr 1e-3, and nothing moved at 1e-4);
        // the chosen-NLL term of iterative RPO keeps the format, so the preference signal shows.
        Dpo = new DpoTrainerConfig { Beta = 1.0, ChosenNllWeight = 1.0, Training = ToyJudgingWorld.Training(epochs: 10) },
        Evaluation = new GenerativeJudgeConfig
        {
            Samples = 5,
            Sampling = new GenerationOptions { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 12, StopStrings = ["\n"], Seed = 4 },
        },
        Seed = 7,
    };

    static double HeldOutAccuracy(GenRM.Modeling.LanguageModel model, StarConfig config) =>
        GenRM.Evaluation.SectionScoring.Plain("held-out", JudgeEvaluation.Run(
            new GenerativeJudge("star", model, ToyJudgingWorld.Encoder, Format, config.Evaluation), ToyJudgingWorld.Pairs(64, seed: 77), config.Seed).Select(j => j.Outcome)).Accuracy;

    [Theory]
    [InlineData(StarVariant.Sft)]
    [InlineData(StarVariant.Dpo)]
    public void OneIterationRaisesHeldOutJudgeAccuracy(StarVariant variant)
    {
        using var model = ToyJudgingWorld.CoinFlipJudge(Format, seed: 5);
        var config = Config(variant);
        double before = HeldOutAccuracy(model, config);
        var iterations = new StarLoop(model, ToyJudgingWorld.Encoder, Format, config).Run(ToyJudgingWorld.Pairs(128, seed: 21), ToyJudgingWorld.Pairs(64, seed: 77));
        var only = Assert.Single(iterations);
        Assert.InRange(before, 0.3, 0.7);
        Assert.InRange(only.KeptFraction, 0.2, 0.8);
        Assert.True(only.ExamplesBuilt > 0);
        Assert.Equal(only.Sampled, only.Samples.Count);
        Assert.Equal(only.Kept, only.Samples.Count(s => s.Kept));
        Assert.Equal(config.SamplesPerItem, only.Samples.CountBy(s => s.ItemId).Max(c => c.Value));
        Assert.Equal(HeldOutAccuracy(model, config), only.HeldOutAccuracy, 1e-12);
        Assert.True(only.HeldOutAccuracy >= before + 0.2, $"{variant}: held-out accuracy {before:P0} → {only.HeldOutAccuracy:P0}");
    }

    [Fact]
    public void TheFilterKeepsExactlyTheRationalesWhoseVerdictIsTheLabels()
    {
        Assert.True(new RationaleSample("x", [], "ok [[A]]", Verdict.A, Verdict.A).Kept);
        Assert.False(new RationaleSample("x", [], "ok [[B]]", Verdict.B, Verdict.A).Kept);
        Assert.True(new RationaleSample("x", [], "ok [[B]]", Verdict.B, Verdict.A).Wrong);
        var unparsable = new RationaleSample("x", [], "ok", Verdict.None, Verdict.A);
        Assert.False(unparsable.Kept);
        Assert.False(unparsable.Wrong);
    }

    [Fact]
    public void ExportedSftDataHoldsOnlyRationalesReachingTheLabel()
    {
        using var run = new TempDirectory();
        using var model = ToyJudgingWorld.CoinFlipJudge(Format, seed: 6);
        var config = Config(StarVariant.Sft) with { Sft = new SftTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 1) }, Evaluation = new GenerativeJudgeConfig { Samples = 1, Sampling = new GenerationOptions { Temperature = 0, MaxNewTokens = 12, StopStrings = ["\n"] } } };
        var train = ToyJudgingWorld.Pairs(32, seed: 8);
        new StarLoop(model, ToyJudgingWorld.Encoder, Format, config).Run(train, ToyJudgingWorld.Pairs(8, seed: 9), run.Path);
        string[] lines = File.ReadAllLines(Path.Combine(run.Path, "iteration-1", "sft.jsonl"));
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            var row = System.Text.Json.Nodes.JsonNode.Parse(line)!;
            string prompt = row["prompt"]![0]!["content"]!.GetValue<string>();
            string completion = row["completion"]![0]!["content"]!.GetValue<string>();
            Assert.Equal("assistant", row["completion"]![0]!["role"]!.GetValue<string>());
            // The prompt reads "A=<word> B=<word>?"; the label is the side holding the "yes" word.
            Verdict label = prompt.StartsWith("A=y", StringComparison.Ordinal) ? Verdict.A : Verdict.B;
            Assert.Equal(label, VerdictParser.Parse(completion));
        }
    }

    /// <summary>The original STaR: each iteration trains the base model again on every kept rationale so far.</summary>
    [Fact]
    public void RestartingFromTheBaseTrainsTheBaseOnEveryIterationsKeptRationales()
    {
        using var model = ToyJudgingWorld.CoinFlipJudge(Format, seed: 5);
        using var start = model.Clone();
        var config = Config(StarVariant.Sft) with { Iterations = 2, RestartFromBase = true, Sft = new SftTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 2) } };
        var iterations = new StarLoop(model, ToyJudgingWorld.Encoder, Format, config).Run(ToyJudgingWorld.Pairs(64, seed: 21), ToyJudgingWorld.Pairs(16, seed: 77));

        var kept = iterations.SelectMany(i => i.Samples).Where(s => s.Kept).DistinctBy(s => (s.ItemId, s.Text)).ToArray();
        Assert.Equal(kept.Length, iterations[1].ExamplesBuilt);
        Assert.True(iterations[1].ExamplesBuilt > iterations[0].ExamplesBuilt);
        var examples = kept.Select(s =>
        {
            var (prompt, rationale) = ToyJudgingWorld.Encoder.Completion(s.JudgePrompt, s.Text);
            return new SftExample(prompt, rationale);
        }).ToArray();
        new SftTrainer(start, config.Sft, ByteTokenizer.Pad).Train(examples);
        var expected = start.state_dict();
        foreach (var (name, weight) in model.state_dict())
            Assert.True(weight.eq(expected[name]).all().item<bool>(), $"{name} differs from the base trained on every kept rationale");
    }
}
