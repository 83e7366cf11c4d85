using GenRM.Modeling;
using GenRM.Planning;

namespace GenRM.Tests.Planning;

/// <summary>The plan's parameter list, from the config alone, against the parameters a built model really has.</summary>
public sealed class ParameterInventoryTests
{
    public static TheoryData<string> Configs => ["llama", "llama-tied-biased-reward", "qwen2", "qwen3"];

    static ModelConfig Config(string name)
    {
        var llama = new ModelConfig { VocabSize = 11, HiddenSize = 12, IntermediateSize = 20, NumHiddenLayers = 2, NumAttentionHeads = 3, NumKeyValueHeads = 1, MaxPositionEmbeddings = 32 };
        return (name switch
        {
            "llama" => llama,
            "llama-tied-biased-reward" => llama with { TieWordEmbeddings = true, AttentionBias = true, AttentionOutputBias = true, MlpBias = true, NumLabels = 2 },
            "qwen2" => llama with { ModelType = "qwen2", AttentionBias = true },
            "qwen3" => llama with { ModelType = "qwen3", HeadDim = 6 },
            _ => throw new ArgumentException(name),
        }).Validated();
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void NamesAndShapesAreTheModelsOwn(string name)
    {
        var config = Config(name);
        using var model = new LanguageModel(config, seed: 1);
        var actual = model.named_parameters().Select(p => (p.name, Shape: string.Join("x", p.parameter.shape))).OrderBy(p => p.name, StringComparer.Ordinal);
        var planned = ParameterInventory.Of(config).Select(p => (p.Name, Shape: string.Join("x", p.Shape))).OrderBy(p => p.Name, StringComparer.Ordinal);
        Assert.Equal(actual, planned);
        Assert.Equal(model.ParameterCount, ParameterInventory.Of(config).Sum(p => p.Count));
    }

    [Theory]
    [InlineData(4, "q_proj,v_proj")]
    [InlineData(8, "all-linear")]
    [InlineData(1, "o_proj,down_proj")]
    public void AdapterCountIsRankTimesInPlusOutOfTheModelsProjections(int rank, string targets)
    {
        var config = Config("qwen3");
        var lora = PlanLora.Parse(rank, targets);
        using var model = new LanguageModel(config, seed: 1);
        // r·(in + out) for every targeted projection weight [out, in] the built model has.
        long expected = model.named_parameters()
            .Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal) && lora.TargetModules.Any(t => p.name.EndsWith($".{t}.weight", StringComparison.Ordinal)))
            .Sum(p => rank * (p.parameter.shape[0] + p.parameter.shape[1]));
        Assert.True(expected > 0);
        Assert.Equal(expected, ParameterInventory.AdapterParameters(ParameterInventory.Of(config), lora));
    }

    [Fact]
    public void UnknownTargetsAndRanksBelowOneAreRefused()
    {
        Assert.Contains("lm_head", Assert.Throws<BadInputException>(() => PlanLora.Parse(4, "q_proj,lm_head")).Message);
        Assert.Contains("--lora-rank", Assert.Throws<BadInputException>(() => PlanLora.Parse(0, null)).Message);
    }
}
