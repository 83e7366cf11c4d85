using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Tests.Modeling;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

/// <summary>Tests that draw from the global random generator, which tests running beside them would advance.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomStateTests
{
    public const string Name = "global random state";
}

/// <summary>Activation checkpointing must give the plain path's gradients, for less memory.</summary>
[Collection(GlobalRandomStateTests.Name)]
public sealed class GradientCheckpointingTests
{
    static Tensor Ids() => TinyModels.Ids([3, 70, 71, 72, 73, 74, 75, 76, 77, 78], [5, 80, 81, 82, 83, 84, 85, 86, 87, 88]);

    static Tensor Mask() => TinyModels.Ids([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

    static Tensor SftLoss(LanguageModel model) =>
        PreferenceLosses.Sft(LanguageModel.TokenLogProbs(model.Forward(Ids(), Mask()), Ids()), Mask());

    static Tensor BradleyTerryLoss(LanguageModel model)
    {
        Tensor rewards = model.Rewards(Ids(), Mask());
        return PreferenceLosses.BradleyTerry(rewards.narrow(0, 0, 1), rewards.narrow(0, 1, 1));
    }

    /// <summary>Every trainable parameter's gradient after one backward pass, by name.</summary>
    static Dictionary<string, Tensor> Gradients(LanguageModel model, Func<LanguageModel, Tensor> loss, bool checkpointing, long randomSeed)
    {
        foreach (var (_, parameter) in model.TrainableParameters()) parameter.grad?.zero_();
        model.GradientCheckpointing = checkpointing;
        model.train();
        manual_seed(randomSeed);
        loss(model).backward();
        // A reward model's unused lm_head gets no gradient.
        return model.TrainableParameters().Where(p => p.Parameter.grad is not null).ToDictionary(p => p.Name, p => p.Parameter.grad!.clone());
    }

    static void AssertSameGradients(LanguageModel model, Func<LanguageModel, Tensor> loss)
    {
        var plain = Gradients(model, loss, checkpointing: false, randomSeed: 9);
        var checkpointed = Gradients(model, loss, checkpointing: true, randomSeed: 9);
        Assert.Equal(plain.Keys, checkpointed.Keys);
        foreach (var (name, expected) in plain)
        {
            double scale = Math.Max(expected.abs().max().item<float>(), 1e-12);
            double difference = (expected - checkpointed[name]).abs().max().item<float>();
            Assert.True(difference <= 1e-6 * scale, $"{name}: gradients differ by {difference} (scale {scale})");
        }
        Assert.Contains(plain.Values, g => g.abs().max().item<float>() > 0);
    }

    [Fact]
    public void SftGradientsEqualThePlainPath() =>
        AssertSameGradients(TinyModels.Create(TinyModels.Config(kvHeads: 1)), SftLoss);

    [Fact]
    public void BradleyTerryGradientsEqualThePlainPath() =>
        AssertSameGradients(new LanguageModel(TinyModels.Config(labels: 1), seed: 4), BradleyTerryLoss);

    [Fact]
    public void LoraGradientsWithDropoutEqualThePlainPathUnderTheSameRandomState()
    {
        // The recomputation replays the forward's random state, so the dropout masks repeat.
        using var model = TinyModels.Create(TinyModels.Config());
        var adapters = model.AddLora(new LoraConfig { Rank = 4, Alpha = 8, Dropout = 0.3 }, seed: 1);
        using (no_grad())
            foreach (var (name, p) in adapters.NamedParameters().Where(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)))
                p.normal_(0, 0.1);
        AssertSameGradients(model, SftLoss);
    }
}
