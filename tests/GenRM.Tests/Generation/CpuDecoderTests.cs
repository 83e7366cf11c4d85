using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Generation;

public sealed class CpuDecoderTests
{
    // Left-padded to one length; the first prompt is continued by three rows, the last by two.
    static readonly int[][] Prompts = [[72, 101, 108, 108, 111, 33], [87, 111], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
    static readonly long[] PromptOfRow = [0, 0, 1, 2, 0, 2];

    [Theory]
    [InlineData(2, false, "llama")]
    [InlineData(4, true, "qwen2")]
    [InlineData(1, false, "qwen2")]
    public void EveryStepGivesTheFullForwardsLogits(int kvHeads, bool tied, string type)
    {
        // The reference is the model itself reading each row's whole sequence (prompt and the tokens
        // fed so far) with no cache: positions, padding, grouped heads, Qwen2's q/k/v biases and tied weights included.
        using var model = TinyModels.Create(TinyModels.Config(kvHeads, tied, bias: type == "qwen2", type: type));
        using var noGrad = no_grad();
        var batch = Start(model, newTokens: 12);
        var sequences = PromptOfRow.Select(p => Prompts[p].ToList()).ToArray();
        var random = new Random(3);
        for (int step = 0; step < 12; step++)
        {
            long[] tokens = [.. sequences.Select(_ => (long)random.Next(0, 256))];
            for (int r = 0; r < tokens.Length; r++) sequences[r].Add((int)tokens[r]);
            Tensor managed = batch.Step(tokens);
            Tensor reference = LastLogits(model, sequences);
            Assert.True(managed.allclose(reference, rtol: 0, atol: 1e-4), $"step {step}: largest difference {(managed - reference).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void ARowsLogitsDoNotDependOnTheRestOfTheBatch()
    {
        // Bit for bit: a row decoded with five others, or after the others left, equals the row alone.
        using var model = TinyModels.Create(TinyModels.Config());
        using var noGrad = no_grad();
        var together = Start(model, newTokens: 8);
        var alone = Start(model, newTokens: 8, promptOfRow: [2]);
        for (int step = 0; step < 8; step++)
        {
            if (step == 4) together.KeepRows([3, 5]);
            long[] tokens = [.. Enumerable.Range(0, together.Rows).Select(r => (long)(40 + step + r))];
            int row = step < 4 ? 3 : 0;
            float[] expected = alone.Step([tokens[row]]).data<float>().ToArray();
            float[] actual = together.Step(tokens)[row].data<float>().ToArray();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void GenerationThroughManagedStepsDrawsTheTokensOfLibtorchSteps()
    {
        // Same seed, same sampler: the two paths draw the same tokens wherever their logits agree to
        // far below a draw's resolution, which is everywhere here.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] prompts = [.. PromptOfRow.Select(p => Prompts[p])];
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, TopP = 0.9, EosIds = [], Seed = 7 };
        TinyModels.AssertSameContinuations(generator.Generate(prompts, options with { ManagedDecoding = false }), generator.Generate(prompts, options));
    }

    [Fact]
    public void ModelsTheManagedStepsDoNotCoverKeepLibtorchs()
    {
        using var plain = TinyModels.Create(TinyModels.Config());
        Assert.True(CpuDecoder.Supports(plain));
        using var withAdapters = TinyModels.Create(TinyModels.Config());
        withAdapters.AddLora(new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj"] }, seed: 1);
        Assert.False(CpuDecoder.Supports(withAdapters));
        using var queryKeyNorm = TinyModels.Create(TinyModels.Config(type: "qwen3"));
        Assert.False(CpuDecoder.Supports(queryKeyNorm));
        using var windowed = TinyModels.Create(TinyModels.Config(type: "mistral") with { SlidingWindow = 4 });
        Assert.False(CpuDecoder.Supports(windowed));
        using var halfPrecision = TinyModels.Create(TinyModels.Config());
        halfPrecision.to(ScalarType.BFloat16);
        Assert.False(CpuDecoder.Supports(halfPrecision));
        Assert.Throws<ArgumentException>(() => CpuDecoder.From(halfPrecision));
    }

    static CpuDecodingBatch Start(LanguageModel model, int newTokens, long[]? promptOfRow = null)
    {
        int length = Prompts.Max(p => p.Length);
        using var cache = new KvCache(model.Config, Prompts.Length, length, ScalarType.Float32, CPU);
        var (ids, mask) = LeftPadded(Prompts.Select(p => p.ToList()).ToArray());
        model.Forward(ids, mask, cache);
        return CpuDecodingBatch.Start(CpuDecoder.From(model), cache, promptOfRow ?? PromptOfRow, newTokens);
    }

    static Tensor LastLogits(LanguageModel model, List<int>[] sequences)
    {
        var (ids, mask) = LeftPadded(sequences);
        return model.Forward(ids, mask).select(1, -1);
    }

    static (Tensor Ids, Tensor Mask) LeftPadded(List<int>[] sequences)
    {
        int length = sequences.Max(s => s.Count);
        long[][] ids = [.. sequences.Select(s => Enumerable.Repeat(0L, length - s.Count).Concat(s.Select(t => (long)t)).ToArray())];
        long[][] mask = [.. sequences.Select(s => Enumerable.Repeat(0L, length - s.Count).Concat(Enumerable.Repeat(1L, s.Count)).ToArray())];
        return (TinyModels.Ids(ids), TinyModels.Ids(mask));
    }
}
