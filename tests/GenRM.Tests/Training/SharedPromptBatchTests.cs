using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

/// <summary>
/// A DPO pair packed as prompt ++ chosen ++ rejected must give each reply the log-probability of
/// prompt ++ reply read on its own, and the same gradients.
/// </summary>
public sealed class SharedPromptBatchTests
{
    static int[] Tokens(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => random.Next(3, 250))];

    /// <summary>Prompts and replies of unequal lengths, so rows pad differently packed and unpacked.</summary>
    static (int[] Prompt, int[][] Completions)[] Pairs(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (Tokens(random, random.Next(1, 20)), new[] { Tokens(random, random.Next(1, 12)), Tokens(random, random.Next(1, 12)) }))];
    }

    /// <summary>Every chosen, then every rejected, each as its own right-padded sequence: the unpacked path.</summary>
    static Tensor Separately(LanguageModel model, (int[] Prompt, int[][] Completions)[] pairs)
    {
        var rows = pairs.Select(p => (p.Prompt, p.Completions[0])).Concat(pairs.Select(p => (p.Prompt, p.Completions[1]))).ToArray();
        using var batch = SequenceBatch.Create(rows, ByteTokenizer.Pad, 64, model.Device);
        return model.SequenceLogProbs(batch.Ids, batch.AttentionMask, batch.CompletionMask);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public void PackedRepliesScoreAndLearnAsSeparateSequences(int kvHeads, bool tied)
    {
        using var model = TinyModels.Create(TinyModels.Config(kvHeads, tied));
        var pairs = Pairs(6, seed: kvHeads);
        Assert.True(SharedPromptBatch.Fits(pairs, 64, model.Config));

        Tensor expected = Separately(model, pairs);
        var expectedGrads = Gradients(model, expected);
        using var packed = SharedPromptBatch.Create(pairs, ByteTokenizer.Pad, model.Device);
        Tensor actual = packed.SequenceLogProbs(model);
        var actualGrads = Gradients(model, actual);

        Assert.Equal(pairs.Sum(p => p.Prompt.Length + p.Completions.Sum(c => c.Length)), packed.TokenCount);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-4), $"max |difference| {(expected - actual).abs().max().item<float>()}");
        // Relative to the gradient's size: summed over many positions in another order, an entry
        // whose terms cancel keeps an absolute rounding error of the terms' size.
        foreach (var (name, grad) in expectedGrads)
        {
            double error = (grad - actualGrads[name]).norm().item<float>() / grad.norm().item<float>();
            Assert.True(error < 1e-5, $"{name}: |difference| / |gradient| = {error:E2}");
        }
    }

    static Dictionary<string, Tensor> Gradients(LanguageModel model, Tensor logProbs)
    {
        model.zero_grad();
        // Weights per sequence, so a reply's sum landing in the wrong slot shows in the gradients too.
        logProbs.mul(arange(1, logProbs.shape[0] + 1, ScalarType.Float32)).sum().backward();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    [Fact]
    public void PairsThatWouldBeTrimmedOrAWindowedModelArePackedNoFurther()
    {
        var config = TinyModels.Config();
        var pairs = Pairs(3, seed: 7);
        int longest = pairs.Max(p => p.Prompt.Length + p.Completions.Max(c => c.Length));
        Assert.True(SharedPromptBatch.Fits(pairs, longest, config));
        Assert.False(SharedPromptBatch.Fits(pairs, longest - 1, config));

        var windowed = TinyModels.Config(type: "mistral") with { SlidingWindow = 8 };
        Assert.False(SharedPromptBatch.Fits(pairs, 64, windowed));
        using var model = TinyModels.Create(windowed);
        using var packed = SharedPromptBatch.Create(pairs, ByteTokenizer.Pad, model.Device);
        Assert.Throws<InvalidOperationException>(() => packed.SequenceLogProbs(model));
    }

    [Fact]
    public void RowsWithoutAPromptOrWithUnequalBranchCountsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => SharedPromptBatch.Create([], ByteTokenizer.Pad, CPU));
        Assert.Throws<ArgumentException>(() => SharedPromptBatch.Create([([], [[5], [6]])], ByteTokenizer.Pad, CPU));
        Assert.Throws<ArgumentException>(() => SharedPromptBatch.Create([([4], [[5], [6]]), ([4], [[5]])], ByteTokenizer.Pad, CPU));
        Assert.False(SharedPromptBatch.Fits([([], [[5], [6]])], 64, TinyModels.Config()));
    }

    [Fact]
    public void AReadoutOfSharedPromptsGivesEachPromptsRepliesInOrderWhetherABatchPacksOrNot()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var pairs = Pairs(7, seed: 3);
        // A length at which some batches of two prompts pack and others fall back to separate rows.
        int maxLength = pairs.Select(p => p.Prompt.Length + p.Completions.Max(c => c.Length)).Order().ElementAt(4);
        var separate = pairs.SelectMany(p => p.Completions.Select(c => (p.Prompt, c))).ToArray();
        float[] expected = ModelReadout.CompletionLogProbs(model, separate, ByteTokenizer.Pad, 4, maxLength, null, "reading", default);
        float[] actual = ModelReadout.SharedPromptLogProbs(model, pairs, ByteTokenizer.Pad, 4, maxLength, null, "reading", default);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"sequence {i}: {expected[i]} vs {actual[i]}");
    }
}

