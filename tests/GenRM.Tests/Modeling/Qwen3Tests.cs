using System.Text.Json.Nodes;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>Qwen3: per-head q/k RMSNorm, an explicit head_dim, no projection bias by default.</summary>
public sealed class Qwen3Tests
{
    static Tensor Ids(params long[][] rows) => TinyModels.Ids(rows);

    // head_dim 16 where hidden / heads is 8: the projections are wider than the hidden state.
    static ModelConfig Qwen3(bool tied = false) => TinyModels.Config(type: "qwen3", tied: tied) with { HeadDim = 16 };

    [Fact]
    public void ProjectionsUseHeadDimAndEachLayerHasQueryAndKeyNormsWithoutBiases()
    {
        using var model = TinyModels.Create(Qwen3());
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal([64L, 32L], shapes["model.layers.0.self_attn.q_proj.weight"]);
        Assert.Equal([32L, 32L], shapes["model.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal([32L, 64L], shapes["model.layers.0.self_attn.o_proj.weight"]);
        Assert.Equal([16L], shapes["model.layers.1.self_attn.q_norm.weight"]);
        Assert.Equal([16L], shapes["model.layers.1.self_attn.k_norm.weight"]);
        Assert.DoesNotContain(shapes.Keys, k => k.EndsWith(".bias", StringComparison.Ordinal));
    }

    [Fact]
    public void QueriesAreNormalisedPerHead()
    {
        // Scaling one head's query rows changes nothing when each head is normalised on its own; it
        // would change the output with no norm or with a norm across all heads.
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(Qwen3());
        Tensor ids = Ids([1, 50, 100, 150, 200, 250, 7]);
        Tensor before = model.Forward(ids);
        using (no_grad())
            model.state_dict()["model.layers.0.self_attn.q_proj.weight"].narrow(0, 16, 16).mul_(5);
        Assert.True(before.allclose(model.Forward(ids), rtol: 0, atol: 1e-4));

        using var plain = TinyModels.Create(TinyModels.Config(type: "llama"));
        Tensor plainBefore = plain.Forward(ids);
        using (no_grad())
            plain.state_dict()["model.layers.0.self_attn.q_proj.weight"].narrow(0, 8, 8).mul_(5);
        Assert.False(plainBefore.allclose(plain.Forward(ids), rtol: 0, atol: 1e-3));
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama")]
    public void CachedDecodingWithAnExplicitHeadDimEqualsTheFullForward(string type)
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(type: type) with { HeadDim = 16 };
        using var model = TinyModels.Create(config);
        long pad = ByteTokenizer.Pad;
        Tensor ids = Ids([pad, pad, 3, 14, 15, 92, 65, 35, 89], [27, 18, 28, 18, 28, 45, 90, 45, 23]);
        Tensor mask = Ids([0, 0, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
        TinyModels.AssertCachedPiecesEqualFullForward(model, ids, mask, 5);
    }

    [Fact]
    public void AFolderLoadsSavesAndReloadsWithEqualLogits()
    {
        using var temp = new TempDirectory();
        string folder = PretrainedModelTests.WriteTinyFolder(temp.Path, reshape: c => c with { ModelType = "qwen3", AttentionBias = false, HeadDim = 16, TieWordEmbeddings = true });
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal("qwen3", written["model_type"]!.GetValue<string>());
        Assert.Equal("Qwen3ForCausalLM", written["architectures"]![0]!.GetValue<string>());
        Assert.Equal(16, written["head_dim"]!.GetValue<int>());

        using var loaded = PretrainedModel.Load(folder);
        Assert.True(loaded.Model.Config.QueryKeyNorm);
        Assert.Equal(16, loaded.Model.Config.HeadDim);
        Assert.DoesNotContain("lm_head.weight", loaded.Model.state_dict().Keys);
        // Norm weights that are not all 1, so a norm lost on the way would show.
        using (no_grad())
        {
            foreach (var (name, weight) in loaded.Model.named_parameters().Where(p => p.name.EndsWith("_norm.weight", StringComparison.Ordinal)))
                weight.add_(linspace(0, 1, weight.shape[0]));
        }
        string again = Path.Combine(temp.Path, "again");
        PretrainedModel.Save(loaded.Model, again, [Path.Combine(folder, "tokenizer.json"), Path.Combine(folder, "tokenizer_config.json")]);
        using var reloaded = PretrainedModel.Load(again);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor ids = Ids([1, 5, 9, 12, 3, 7, 2, 8]);
        Assert.True(loaded.Model.Forward(ids).allclose(reloaded.Model.Forward(ids), rtol: 0, atol: 0));
    }
}
