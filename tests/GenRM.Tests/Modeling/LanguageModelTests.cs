using GenRM.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

public sealed class LanguageModelTests
{
    static Tensor Ids(params long[][] rows) => TinyModels.Ids(rows);

    [Fact]
    public void StateDictKeysAreExactlyHuggingFacesNames()
    {
        using var model = TinyModels.Create(TinyModels.Config(labels: 1, bias: true, type: "qwen2"));
        string[] perLayer =
        [
            "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight",
            "self_attn.k_proj.bias", "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight",
            "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
        ];
        var expected = new[] { "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight", "score.weight" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => perLayer.Select(k => $"model.layers.{i}.{k}")));
        Assert.Equal(expected.Order(), model.state_dict().Keys.Order());

        using var tied = TinyModels.Create(TinyModels.Config(tied: true));
        Assert.DoesNotContain("lm_head.weight", tied.state_dict().Keys);
        Assert.DoesNotContain("score.weight", tied.state_dict().Keys);
    }

    [Fact]
    public void ChangingALaterTokenLeavesEarlierLogitsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config());
        long[] tokens = [5, 17, 99, 3, 42, 7, 120, 64];
        long[] changed = (long[])tokens.Clone();
        changed[5] = 200;
        Tensor a = model.Forward(Ids(tokens));
        Tensor b = model.Forward(Ids(changed));
        Assert.True(a.narrow(1, 0, 5).allclose(b.narrow(1, 0, 5), rtol: 0, atol: 1e-6));
        Assert.False(a.narrow(1, 5, 3).allclose(b.narrow(1, 5, 3), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void LogitsAndRewardAreTheSameAloneAndInsideALeftPaddedBatch()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config(labels: 1));
        long pad = ByteTokenizer.Pad;
        long[] shortRow = [11, 22, 33, 44];
        Tensor alone = model.Forward(Ids(shortRow));
        Tensor aloneReward = model.Rewards(Ids(shortRow));

        Tensor batch = Ids([pad, pad, pad, 11, 22, 33, 44], [1, 2, 3, 4, 5, 6, 7]);
        Tensor mask = Ids([0, 0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]);
        Tensor padded = model.Forward(batch, mask);
        Tensor paddedRewards = model.Rewards(batch, mask);
        Assert.True(alone[0].allclose(padded[0].narrow(0, 3, 4), rtol: 0, atol: 1e-5));
        Assert.Equal(aloneReward[0].item<float>(), paddedRewards[0].item<float>(), 1e-5);

        Tensor rightPadded = Ids([11, 22, 33, 44, pad, pad, pad], [1, 2, 3, 4, 5, 6, 7]);
        Tensor rightMask = Ids([1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]);
        Assert.True(alone[0].allclose(model.Forward(rightPadded, rightMask)[0].narrow(0, 0, 4), rtol: 0, atol: 1e-5));
        Assert.Equal(aloneReward[0].item<float>(), model.Rewards(rightPadded, rightMask)[0].item<float>(), 1e-5);
    }

    [Fact]
    public void GroupedQueryAttentionEqualsMultiHeadAttentionWithRepeatedKeyValueHeads()
    {
        using var scope = NewDisposeScope();
        using var grouped = TinyModels.Create(TinyModels.Config(kvHeads: 2));
        using var multiHead = TinyModels.Create(TinyModels.Config(kvHeads: 4), seed: 2);
        var source = grouped.state_dict();
        using (no_grad())
        {
            foreach (var (name, target) in multiHead.state_dict())
            {
                Tensor value = source[name];
                if (name.EndsWith("k_proj.weight", StringComparison.Ordinal) || name.EndsWith("v_proj.weight", StringComparison.Ordinal))
                {
                    // [kv * head_dim, hidden] → each kv head's rows repeated for the 2 query heads it serves.
                    long headDim = 8;
                    value = value.view(2, 1, headDim, -1).expand(2, 2, headDim, value.shape[1]).reshape(4 * headDim, -1);
                }
                Assert.True(target.shape.SequenceEqual(value.shape), $"{name}: {string.Join(",", target.shape)} vs {string.Join(",", value.shape)}");
                target.copy_(value);
            }
        }
        Tensor ids = Ids([1, 50, 100, 150, 200, 250, 7, 8, 9]);
        Assert.True(grouped.Forward(ids).allclose(multiHead.Forward(ids), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void IncrementalDecodingWithTheCacheMatchesTheFullForward()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(bias: true, type: "qwen2");
        using var model = TinyModels.Create(config);
        long pad = ByteTokenizer.Pad;
        Tensor ids = Ids([pad, pad, 3, 14, 15, 92, 65, 35, 89], [27, 18, 28, 18, 28, 45, 90, 45, 23]);
        Tensor mask = Ids([0, 0, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
        TinyModels.AssertCachedPiecesEqualFullForward(model, ids, mask, 5, 2);
    }

    [Fact]
    public void SequenceLogProbsSumOnlyTheCompletionTokens()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config(tied: true));
        Tensor ids = Ids([10, 20, 30, 40, 50, 60]);
        Tensor mask = ones_like(ids);
        Tensor completion = Ids([0, 0, 0, 1, 1, 0]);
        float actual = model.SequenceLogProbs(ids, mask, completion)[0].item<float>();

        Tensor logProbs = model.Forward(ids).log_softmax(-1)[0];
        float expected = logProbs[2, 40].item<float>() + logProbs[3, 50].item<float>();
        Assert.Equal(expected, actual, 1e-4);
    }

    [Fact]
    public void Bfloat16WeightsGiveLogitsCloseToFloat32()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Config());
        Tensor ids = Ids([1, 2, 3, 4, 5, 6, 7, 8]);
        Tensor reference = model.Forward(ids);
        model.to(ScalarType.BFloat16);
        Tensor low = model.Forward(ids).to(ScalarType.Float32);
        Assert.Equal(ScalarType.BFloat16, model.DType);
        double relative = ((low - reference).abs().max() / reference.abs().max()).item<float>();
        Assert.InRange(relative, 0, 0.05);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void ARewardHeadCopyKeepsTheBackboneAndDrawsTheHeadFromItsSeedInTheModelsDtype(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var backbone = TinyModels.Create(TinyModels.Config());
        backbone.to(dtype);
        using var first = backbone.WithRewardHead(2, seed: 5);
        using var again = backbone.WithRewardHead(2, seed: 5);
        using var other = backbone.WithRewardHead(2, seed: 6);

        var weights = first.state_dict();
        foreach (var (name, value) in backbone.state_dict())
            Assert.True(value.allclose(weights[name], rtol: 0, atol: 0), name);
        using (no_grad())
            weights["model.norm.weight"].add_(1);
        Assert.False(weights["model.norm.weight"].allclose(backbone.state_dict()["model.norm.weight"], rtol: 0, atol: 0));
        Tensor head = weights["score.weight"];
        Assert.Equal([2L, 32L], head.shape);
        Assert.Equal(dtype, head.dtype);
        Assert.True(head.allclose(again.state_dict()["score.weight"], rtol: 0, atol: 0));
        Assert.False(head.allclose(other.state_dict()["score.weight"], rtol: 0, atol: 0));
        Assert.InRange(head.to(ScalarType.Float32).std().item<float>(), 0.01, 0.03);
        Tensor ids = Ids([1, 2, 3, 4, 5]);
        using (no_grad())
            Assert.True(nn.functional.linear(again.Hidden(ids).select(1, 4), head).allclose(again.Scores(ids), rtol: 1e-2, atol: 1e-4));
    }

    [Fact]
    public void Llama3RopeScalingKeepsShortWavelengthsAndDividesLongOnes()
    {
        var config = TinyModels.Config() with { RopeTheta = 500000, RopeScaling = new RopeScaling(8, 1, 4, 8192) };
        var plain = new RotaryEmbedding(config with { RopeScaling = null });
        var scaled = new RotaryEmbedding(config);
        using var scope = NewDisposeScope();
        Tensor positions = tensor(new long[] { 1 }).unsqueeze(0);
        // head_dim 8 → frequencies theta^(-2i/8): i = 0 (wavelength 2π, kept) and i = 3 (wavelength ≈ 1.2e5 > 8192, divided by 8).
        var (cosPlain, _) = plain.Tables(positions, ScalarType.Float32);
        var (cosScaled, _) = scaled.Tables(positions, ScalarType.Float32);
        Assert.Equal(cosPlain[0, 0, 0, 0].item<float>(), cosScaled[0, 0, 0, 0].item<float>(), 1e-6);
        double lowest = Math.Pow(500000, -6.0 / 8);
        Assert.Equal(Math.Cos(lowest / 8), cosScaled[0, 0, 0, 3].item<float>(), 1e-6);
    }

    [Fact]
    public void UnknownModelTypeIsAClearError()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse("""{"model_type":"gpt2","hidden_size":8}""")!.AsObject();
        var error = Assert.Throws<BadInputException>(() => ModelConfig.FromJson(json, "x/config.json"));
        Assert.Contains("x/config.json", error.Message);
        Assert.Contains("gpt2", error.Message);
    }
}
