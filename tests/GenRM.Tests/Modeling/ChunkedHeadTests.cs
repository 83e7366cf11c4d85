using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>
/// The language-model head read on the completion's positions only, in chunks recomputed in the
/// backward pass, against the full [batch, time, vocab] logits it replaces: same log-probabilities,
/// same losses, same gradients.
/// </summary>
public sealed class ChunkedHeadTests
{
    // Two right-padded rows whose completions (mask 1) have 4 and 6 tokens: 10 positions, chunks of 3 leave a tail of 1.
    static Tensor Ids() => TinyModels.Ids([3, 70, 71, 72, 73, 74, 75, 0, 0, 0], [5, 80, 81, 82, 83, 84, 85, 86, 87, 88]);

    static Tensor Mask() => TinyModels.Ids([1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

    static Tensor Completion() => TinyModels.Ids([0, 0, 0, 1, 1, 1, 1, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);

    /// <summary>The full-logits path: every position's logits, then the masked mean (the trainer's loss before the change).</summary>
    static Tensor FullLogitsSftLoss(LanguageModel model) =>
        PreferenceLosses.Sft(LanguageModel.TokenLogProbs(model.Forward(Ids(), Mask()), Ids()), Completion());

    static Tensor ChunkedSftLoss(LanguageModel model) => PreferenceLosses.Sft(model.CompletionLogProbs(Ids(), Mask(), Completion()).LogProbs);

    static Tensor FullLogitsSequenceLogProbs(LanguageModel model)
    {
        Tensor tokens = LanguageModel.TokenLogProbs(model.Forward(Ids(), Mask()), Ids());
        return (tokens * Completion().narrow(1, 1, Ids().shape[1] - 1).to(ScalarType.Float32)).sum(1);
    }

    static Dictionary<string, Tensor> Gradients(LanguageModel model, Func<LanguageModel, Tensor> loss)
    {
        foreach (var (_, parameter) in model.TrainableParameters()) parameter.grad?.zero_();
        loss(model).backward();
        return model.TrainableParameters().Where(p => p.Parameter.grad is not null).ToDictionary(p => p.Name, p => p.Parameter.grad!.clone());
    }

    static void AssertSameGradients(LanguageModel model)
    {
        var full = Gradients(model, FullLogitsSftLoss);
        var chunked = Gradients(model, ChunkedSftLoss);
        Assert.Equal(full.Keys.Order(), chunked.Keys.Order());
        foreach (var (name, expected) in full)
        {
            double scale = Math.Max(expected.abs().max().item<float>(), 1e-12);
            double difference = (expected - chunked[name]).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * scale, $"{name}: gradients differ by {difference} (scale {scale})");
        }
        Assert.Contains(full.Values, g => g.abs().max().item<float>() > 0);
    }

    [Theory]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    [InlineData(false, 1000)]
    public void LogProbsAndLossEqualTheFullLogits(bool tied, long chunk)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config(tied: tied));
        model.HeadChunkPositions = chunk;
        var (logProbs, rows) = model.CompletionLogProbs(Ids(), Mask(), Completion());
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 1, 1, 1], rows.data<long>().ToArray());
        Tensor full = LanguageModel.TokenLogProbs(model.Forward(Ids(), Mask()), Ids());
        // Row 0's completion tokens 73..76 sit at 3..6, predicted from positions 2..5.
        float[] expectedRow0 = [.. Enumerable.Range(2, 4).Select(t => full[0, t].item<float>())];
        Assert.Equal(expectedRow0, logProbs.narrow(0, 0, 4).data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        AssertClose(FullLogitsSequenceLogProbs(model), model.SequenceLogProbs(Ids(), Mask(), Completion()));
        AssertClose(FullLogitsSftLoss(model), ChunkedSftLoss(model));
    }

    [Fact]
    public void FullFineTuningGradientsEqualTheFullLogits()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        model.HeadChunkPositions = 3;
        AssertSameGradients(model);
    }

    [Fact]
    public void TiedEmbeddingGradientsEqualTheFullLogits()
    {
        // The embedding is both the input table and the head: its gradient gathers both paths.
        using var model = TinyModels.Create(TinyModels.Config(tied: true));
        model.HeadChunkPositions = 4;
        AssertSameGradients(model);
    }

    [Fact]
    public void LoraGradientsWithCheckpointingEqualTheFullLogits()
    {
        using var model = TinyModels.Create(TinyModels.Config(kvHeads: 1));
        var adapters = model.AddLora(new LoraConfig { Rank = 4, Alpha = 8 }, seed: 1);
        using (no_grad())
            foreach (var (_, p) in adapters.NamedParameters().Where(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)))
                p.normal_(0, 0.1);
        model.GradientCheckpointing = true;
        model.HeadChunkPositions = 3;
        AssertSameGradients(model);
    }

    [Fact]
    public void ARowWithoutCompletionTokensSumsToZero()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config());
        Tensor none = zeros_like(Completion());
        Assert.Equal([0f, 0f], model.SequenceLogProbs(Ids(), Mask(), none).data<float>().ToArray());
        Assert.Equal(0f, ChunkedLossOf(model, none));
    }

    static float ChunkedLossOf(LanguageModel model, Tensor completion) =>
        PreferenceLosses.Sft(model.CompletionLogProbs(Ids(), Mask(), completion).LogProbs).item<float>();

    static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-5 * Math.Max(1, expected.abs().max().item<float>()), $"differ by {difference}");
    }
}
