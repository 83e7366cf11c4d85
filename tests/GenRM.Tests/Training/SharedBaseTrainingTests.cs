using GenRM.Bootstrapping;
using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Tests.Judging;
using GenRM.Tests.Modeling;
using GenRM.Text;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

/// <summary>
/// Training with LoRA on a model that shares the base model's weights (<see cref="LanguageModel.TrainingCopy"/>):
/// no second copy of the base, and the base stays exactly as it was.
/// </summary>
public sealed class SharedBaseTrainingTests
{
    static readonly LoraConfig Lora = new() { Rank = 4, Alpha = 8 };

    static TrainingConfig Training(int epochs = 2) => ToyJudgingWorld.Training(epochs) with { Lora = Lora };

    static Dictionary<string, Tensor> Snapshot(LanguageModel model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    static void AssertUnchanged(LanguageModel model, Dictionary<string, Tensor> before)
    {
        foreach (var (name, weight) in model.state_dict())
            Assert.True(weight.eq(before[name]).all().item<bool>(), $"{name} changed");
    }

    static SftExample[] SftExamples() =>
    [
        .. ToyJudgingWorld.Pairs(8, seed: 3).Select(p =>
        {
            var (prompt, completion) = ToyJudgingWorld.Encoder.Completion(p.Prompt, p.Chosen);
            return new SftExample(prompt, completion);
        }),
    ];

    [Fact]
    public void ACopyWithAdaptersHoldsNoSecondBaseAndLeavesTheBaseAsItWas()
    {
        using var scope = NewDisposeScope();
        using var baseModel = TinyModels.Create(ToyJudgingWorld.ModelConfig());
        var before = Snapshot(baseModel);
        Tensor ids = TinyModels.Ids([10, 20, 30, 40, 50]);
        Tensor baseLogits = baseModel.Forward(ids);
        using (var trained = baseModel.TrainingCopy(Lora))
        {
            Assert.True(trained.SharesBaseWeights);
            new SftTrainer(trained, new SftTrainerConfig { Training = Training() }, ByteTokenizer.Pad).Train(SftExamples());
            Assert.NotNull(trained.Lora);
            Assert.True((trained.Forward(ids) - baseLogits).abs().max().item<float>() > 1e-4, "the adapters did not train");
        }
        // Training and then disposing the copy left every base weight bit for bit, and the base still computes what it did.
        AssertUnchanged(baseModel, before);
        Assert.True(baseModel.Forward(ids).eq(baseLogits).all().item<bool>());
    }

    [Fact]
    public void ARewardModelCopyGetsItsOwnHeadOverTheSharedBackbone()
    {
        using var baseModel = TinyModels.Create(ToyJudgingWorld.ModelConfig());
        var before = Snapshot(baseModel);
        using var trained = baseModel.TrainingCopy(Lora, labels: 1, seed: 3);
        using var reference = baseModel.WithRewardHead(1, seed: 3);
        Assert.True(trained.state_dict()["score.weight"].eq(reference.state_dict()["score.weight"]).all().item<bool>());
        var pairs = ToyJudgingWorld.Pairs(8, seed: 4).Select(p =>
        {
            var (prompt, chosen, rejected) = ToyJudgingWorld.Encoder.Completions(p.Prompt, p.Chosen, p.Rejected);
            return new PreferenceExample(prompt, chosen, rejected);
        }).ToArray();
        new RewardModelTrainer(trained, new RewardModelTrainerConfig { Training = Training() }, ByteTokenizer.Pad).Train(pairs);
        Assert.False(trained.state_dict()["score.weight"].eq(reference.state_dict()["score.weight"]).all().item<bool>(), "the head did not train");
        AssertUnchanged(baseModel, before);
    }

    [Fact]
    public void WritesToTheSharedWeightsAreRefused()
    {
        using var baseModel = TinyModels.Create(ToyJudgingWorld.ModelConfig());
        using var trained = baseModel.TrainingCopy(Lora);
        var fullTuning = ToyJudgingWorld.Training(epochs: 1);
        var error = Assert.Throws<ArgumentException>(() => new SftTrainer(trained, new SftTrainerConfig { Training = fullTuning }, ByteTokenizer.Pad).Train(SftExamples()));
        Assert.Contains("full fine-tuning would change the base model", error.Message);
        trained.AddLora(Lora, seed: 1);
        Assert.Throws<InvalidOperationException>(trained.MergeLora);
        using var copy = baseModel.Clone();
        Assert.Throws<InvalidOperationException>(() => trained.LoadWeightsFrom(copy));
        // Without LoRA the training copy is a deep copy, which trains in full.
        using var deep = baseModel.TrainingCopy(lora: null);
        Assert.False(deep.SharesBaseWeights);
        // The same storage: a write to the base shows in the sharing copy (it adds no bytes), not in the deep one.
        using (no_grad())
            baseModel.state_dict()["model.layers.0.mlp.up_proj.weight"].fill_(0.5);
        Assert.Equal(0.5f, trained.state_dict()["model.layers.0.mlp.up_proj.weight"].max().item<float>());
        Assert.NotEqual(0.5f, deep.state_dict()["model.layers.0.mlp.up_proj.weight"].max().item<float>());
    }

    /// <summary>STaR's restart from the base with adapters drops them (no base copy kept): the result is a fresh adapter trained on every kept rationale.</summary>
    [Fact]
    public void StarRestartFromTheBaseWithAdaptersEqualsFreshAdaptersOnEveryKeptRationale()
    {
        using var baseModel = ToyJudgingWorld.CoinFlipJudge(new ToyJudgeFormat(), seed: 5);
        var before = Snapshot(baseModel);
        using var model = baseModel.TrainingCopy(Lora);
        var config = new StarConfig
        {
            Variant = StarVariant.Sft,
            Iterations = 2,
            SamplesPerItem = 4,
            RestartFromBase = true,
            Sampling = new GenerationOptions { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 12, StopStrings = ["\n"] },
            Sft = new SftTrainerConfig { Training = ToyJudgingWorld.Training(epochs: 2, learningRate: 1e-2) with { Lora = Lora } },
            Evaluation = new GenerativeJudgeConfig { Samples = 1, Sampling = new GenerationOptions { Temperature = 0, MaxNewTokens = 12, StopStrings = ["\n"] } },
            Seed = 7,
        };
        var iterations = new StarLoop(model, ToyJudgingWorld.Encoder, new ToyJudgeFormat(), config).Run(ToyJudgingWorld.Pairs(32, seed: 21), ToyJudgingWorld.Pairs(4, seed: 77));

        var kept = iterations.SelectMany(i => i.Samples).Where(s => s.Kept).DistinctBy(s => (s.ItemId, s.Text)).ToArray();
        Assert.Equal(kept.Length, iterations[1].ExamplesBuilt);
        Assert.True(iterations[1].ExamplesBuilt > iterations[0].ExamplesBuilt);
        using var fresh = baseModel.TrainingCopy(Lora);
        new SftTrainer(fresh, config.Sft, ByteTokenizer.Pad).Train([.. kept.Select(s =>
        {
            var (prompt, rationale) = ToyJudgingWorld.Encoder.Completion(s.JudgePrompt, s.Text);
            return new SftExample(prompt, rationale);
        })]);
        var expected = fresh.Lora!.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, adapter) in model.Lora!.NamedParameters())
            Assert.True(adapter.eq(expected[name]).all().item<bool>(), $"{name} differs from fresh adapters trained on every kept rationale");
        AssertUnchanged(baseModel, before);
    }
}
