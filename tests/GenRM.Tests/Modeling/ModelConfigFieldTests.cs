using System.Text.Json.Nodes;
using GenRM.MiniWorld;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>config.json fields that change the forward pass: each honoured as transformers reads it, or refused by name.</summary>
public sealed class ModelConfigFieldTests
{
    const string Source = "folder/config.json";

    static JsonObject Json(string type, string extra = "") => JsonNode.Parse(
        $$"""{"model_type":"{{type}}","vocab_size":258,"hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2{{extra}}}""")!.AsObject();

    static ModelConfig Read(string type, string extra = "") => ModelConfig.FromJson(Json(type, extra), Source);

    static BadInputException Refused(string type, string extra) => Assert.Throws<BadInputException>(() => Read(type, extra));

    public static TheoryData<string, string> UnsupportedValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var check in UnsupportedConfigFields.Checks)
            data.Add(check.Field, check.Field == "hidden_act" ? "\"gelu_pytorch_tanh\"" : check.Neutral.Any(n => n.GetValueKind() == System.Text.Json.JsonValueKind.False) ? "true" : "0.5");
        return data;
    }

    [Theory]
    [MemberData(nameof(UnsupportedValues))]
    public void AFieldTheForwardPassDoesNotImplementIsRefusedByName(string field, string value)
    {
        var error = Refused("llama", $",\"{field}\":{value}");
        Assert.Contains(Source, error.Message);
        Assert.Contains($"'{field}'", error.Message);
    }

    [Fact]
    public void NeutralValuesOfCheckedFieldsAndTrainingOnlyFieldsAreAccepted()
    {
        var config = Read("llama", ""","hidden_act":"silu","partial_rotary_factor":1.0,"attn_logit_softcapping":null,"use_qk_norm":false,"attention_dropout":0.1,"pretraining_tp":2""");
        Assert.Equal(8, config.HeadDim);
    }

    [Theory]
    [InlineData("""{"rope_type":"yarn","factor":4.0}""", "yarn")]
    [InlineData("""{"type":"longrope","factor":4.0}""", "longrope")]
    public void AnUnimplementedRopeScalingIsRefusedByName(string scaling, string kind)
    {
        var error = Refused("llama", $",\"rope_scaling\":{scaling}");
        Assert.Contains("'rope_scaling'", error.Message);
        Assert.Contains(kind, error.Message);
    }

    [Theory]
    [InlineData("""["full_attention","chunked_attention"]""", "chunked_attention")]
    [InlineData("""["sliding_attention","full_attention"]""", "interleaves")]
    [InlineData("""["full_attention"]""", "one type for each")]
    public void LayerTypesThatCannotBeHonouredAreRefusedByName(string types, string problem)
    {
        var error = Refused("qwen3", $",\"use_sliding_window\":true,\"sliding_window\":4,\"layer_types\":{types}");
        Assert.Contains("'layer_types'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void SlidingWindowFieldsAreReadAsEachFamilyReadsThem()
    {
        Assert.Equal(ModelFamily.DefaultSlidingWindow, Read("mistral").SlidingWindow);
        Assert.Null(Read("mistral", ",\"sliding_window\":null").SlidingWindow);
        Assert.Equal(6, Read("mistral", ",\"sliding_window\":6").SlidingWindow);
        Assert.Null(Read("llama", ",\"sliding_window\":6").SlidingWindow);
        Assert.Null(Read("qwen2", ",\"sliding_window\":6,\"max_window_layers\":1").SlidingWindow);
        var qwen2 = Read("qwen2", ",\"use_sliding_window\":true,\"sliding_window\":6,\"max_window_layers\":1");
        Assert.Equal(6, qwen2.SlidingWindow);
        Assert.Equal([false, true], [qwen2.UsesSlidingWindow(0), qwen2.UsesSlidingWindow(1)]);
        var typed = Read("qwen3", ",\"use_sliding_window\":true,\"sliding_window\":6,\"layer_types\":[\"full_attention\",\"sliding_attention\"]");
        Assert.Equal([false, true], [typed.UsesSlidingWindow(0), typed.UsesSlidingWindow(1)]);
        var unused = Read("qwen3", ",\"use_sliding_window\":false,\"layer_types\":[\"sliding_attention\",\"full_attention\"]");
        Assert.Equal([false, false], [unused.UsesSlidingWindow(0), unused.UsesSlidingWindow(1)]);
    }

    [Fact]
    public void BiasFieldsFollowTheFamily()
    {
        static string[] Biases(ModelConfig config)
        {
            using var model = new LanguageModel(config);
            return [.. model.state_dict().Keys.Where(k => k.StartsWith("model.layers.0.", StringComparison.Ordinal) && k.EndsWith(".bias", StringComparison.Ordinal)).Select(k => k["model.layers.0.".Length..]).Order()];
        }
        string[] attention = ["self_attn.k_proj.bias", "self_attn.o_proj.bias", "self_attn.q_proj.bias", "self_attn.v_proj.bias"];
        string[] mlp = ["mlp.down_proj.bias", "mlp.gate_proj.bias", "mlp.up_proj.bias"];
        Assert.Equal(attention, Biases(Read("llama", ",\"attention_bias\":true")));
        Assert.Equal(mlp, Biases(Read("llama", ",\"mlp_bias\":true")));
        Assert.Equal(attention, Biases(Read("qwen3", ",\"attention_bias\":true")));
        Assert.Empty(Biases(Read("qwen3")));
        Assert.Equal(["self_attn.k_proj.bias", "self_attn.q_proj.bias", "self_attn.v_proj.bias"], Biases(Read("qwen2")));
        Assert.Empty(Biases(Read("mistral", ",\"attention_bias\":true,\"mlp_bias\":true")));
    }

    [Fact]
    public void AbsentFieldsTakeTheFamilysTransformersDefault()
    {
        var qwen3 = ModelConfig.FromJson(JsonNode.Parse("""{"model_type":"qwen3","vocab_size":258,"hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"num_attention_heads":32}""")!.AsObject(), Source);
        Assert.Equal(128, qwen3.HeadDim);
        Assert.Equal(32, qwen3.NumKeyValueHeads);
        var mistral = ModelConfig.FromJson(JsonNode.Parse("""{"model_type":"mistral","vocab_size":258,"hidden_size":64,"intermediate_size":64,"num_hidden_layers":2,"num_attention_heads":16}""")!.AsObject(), Source);
        Assert.Equal(8, mistral.NumKeyValueHeads);
        Assert.Equal(4096 * 32, mistral.MaxPositionEmbeddings);
        Assert.Equal(8, Read("llama").HeadDim);
    }

    [Fact]
    public void AHiddenSizeThatHeadsDoNotDivideNeedsAnExplicitHeadDim()
    {
        static ModelConfig ThreeHeads(string extra) => ModelConfig.FromJson(JsonNode.Parse(
            $$"""{"model_type":"llama","vocab_size":258,"hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"num_attention_heads":3{{extra}}}""")!.AsObject(), Source);
        var error = Assert.Throws<BadInputException>(() => ThreeHeads(""));
        Assert.Contains("head_dim", error.Message);
        Assert.Equal(16, ThreeHeads(",\"head_dim\":16").HeadDim);
    }

    [Fact]
    public void RopeParametersOfTransformersFiveAreReadLikeRopeThetaAndRopeScaling()
    {
        var config = Read("llama", ""","rope_theta":10000.0,"rope_parameters":{"rope_type":"linear","factor":2.0,"rope_theta":500000.0}""");
        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal(RopeScalingType.Linear, config.RopeScaling!.Type);
    }

    [Theory]
    [InlineData("mistral", ",\"sliding_window\":5")]
    [InlineData("mistral", ",\"sliding_window\":null")]
    [InlineData("qwen2", ",\"use_sliding_window\":true,\"sliding_window\":5,\"max_window_layers\":1")]
    [InlineData("qwen3", ",\"head_dim\":16,\"attention_bias\":true,\"tie_word_embeddings\":true")]
    [InlineData("llama", ",\"attention_bias\":true,\"mlp_bias\":true,\"rope_scaling\":{\"rope_type\":\"dynamic\",\"factor\":2.0}")]
    [InlineData("llama", ",\"rope_scaling\":{\"type\":\"linear\",\"factor\":4.0}")]
    public void ConfigJsonRoundTripsThroughToJson(string type, string extra)
    {
        ModelConfig config = Read(type, extra);
        string written = config.ToJson().ToJsonString();
        ModelConfig again = ModelConfig.FromJson(JsonNode.Parse(written)!.AsObject(), Source);
        Assert.Equal(written, again.ToJson().ToJsonString());
        Assert.Equal((config.SlidingWindow, config.MaxWindowLayers, config.HeadDim, config.AttentionBias, config.AttentionOutputBias, config.MlpBias, config.RopeScaling),
            (again.SlidingWindow, again.MaxWindowLayers, again.HeadDim, again.AttentionBias, again.AttentionOutputBias, again.MlpBias, again.RopeScaling));
    }

    [Theory]
    [InlineData(MiniWorldModel.SmokeName)]
    [InlineData(MiniWorldModel.DefaultName)]
    public void TheCommittedMiniWorldConfigLoadsAsItsPreset(string name)
    {
        ModelConfig loaded = ModelConfig.Load(Path.Combine(TestPaths.RepositoryRoot, "data", "miniworld", name, "config.json"));
        ModelConfig preset = MiniWorldModel.Preset(name).Model;
        Assert.Equal(preset.ToJson().ToJsonString(), loaded.ToJson().ToJsonString());
        Assert.Equal(preset.RmsNormEps, loaded.RmsNormEps);
        Assert.Null(loaded.SlidingWindow);
        Assert.False(loaded.AttentionBias || loaded.AttentionOutputBias || loaded.MlpBias || loaded.QueryKeyNorm || loaded.RopeScaling is not null);
    }

    [Fact]
    public void LinearRopeScalingDividesPositionsByTheFactor()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config();
        var plain = new RotaryEmbedding(config);
        var linear = new RotaryEmbedding(config with { RopeScaling = RopeScaling.Linear(4) });
        var (cosPlain, sinPlain) = plain.Tables(tensor(new long[] { 3 }).unsqueeze(0), ScalarType.Float32);
        var (cosLinear, sinLinear) = linear.Tables(tensor(new long[] { 12 }).unsqueeze(0), ScalarType.Float32);
        Assert.True(cosPlain.allclose(cosLinear, rtol: 0, atol: 1e-6) && sinPlain.allclose(sinLinear, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void DynamicRopeGrowsTheBaseOnlyPastMaxPositionEmbeddings()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config() with { MaxPositionEmbeddings = 16 };
        var plain = new RotaryEmbedding(config);
        var dynamic = new RotaryEmbedding(config with { RopeScaling = RopeScaling.Dynamic(2) });
        Tensor within = arange(16L).unsqueeze(0);
        Assert.True(plain.Tables(within, ScalarType.Float32).Cos.allclose(dynamic.Tables(within, ScalarType.Float32).Cos, rtol: 0, atol: 0));

        // 24 positions: base = 10000 * (2 * 24 / 16 - 1)^(8 / 6); the last frequency is base^(-6/8).
        Tensor beyond = arange(24L).unsqueeze(0);
        double grown = 10000 * Math.Pow(2.0 * 24 / 16 - 1, 8.0 / 6);
        double frequency = Math.Pow(grown, -6.0 / 8);
        Assert.Equal(Math.Cos(23 * frequency), dynamic.Tables(beyond, ScalarType.Float32).Cos[0, 0, 23, 3].item<float>(), 1e-5);
    }
}
