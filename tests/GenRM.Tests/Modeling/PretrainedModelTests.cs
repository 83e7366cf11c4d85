using GenRM.Data;
using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

public sealed class PretrainedModelTests
{
    /// <summary>
    /// Writes a Hugging Face-layout folder: random tiny weights, config.json, a small byte-level
    /// tokenizer with a ChatML template. The model is a tiny qwen2 unless <paramref name="reshape"/> changes it.
    /// </summary>
    internal static string WriteTinyFolder(string folder, int labels = 0, ScalarType dtype = ScalarType.Float32, Func<ModelConfig, ModelConfig>? reshape = null)
    {
        var vocabulary = ByteLevelVocabulary.Create([(" ", "t"), ("h", "e"), (" t", "he"), ("1", "2")], ["<|im_start|>", "<|im_end|>", "<|endoftext|>"]);
        string tokenizerJson = Path.Combine(folder, "source-tokenizer.json");
        string tokenizerConfig = Path.Combine(folder, "source-tokenizer_config.json");
        Directory.CreateDirectory(folder);
        vocabulary.WriteTokenizerJson(tokenizerJson, PreTokenizerPatterns.Qwen2, mergesAsArrays: false);
        ByteLevelVocabulary.WriteTokenizerConfig(tokenizerConfig, null, "<|im_end|>", "<|endoftext|>", chatTemplate: "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}");
        var config = TinyModels.Config(labels: labels, type: "qwen2", bias: true) with { VocabSize = vocabulary.Size, EosTokenIds = [vocabulary.SpecialTokens["<|im_end|>"]] };
        config = reshape?.Invoke(config) ?? config;
        using var model = TinyModels.Create(config, seed: 4);
        model.to(dtype);
        string target = Path.Combine(folder, "model");
        string renamedTokenizer = Path.Combine(folder, "tokenizer.json"), renamedConfig = Path.Combine(folder, "tokenizer_config.json");
        File.Move(tokenizerJson, renamedTokenizer);
        File.Move(tokenizerConfig, renamedConfig);
        PretrainedModel.Save(model, target, [renamedTokenizer, renamedConfig]);
        return target;
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void SaveThenLoadReproducesEveryTensorBitForBitWithTheRewardHead(ScalarType dtype)
    {
        using var temp = new TempDirectory();
        string folder = WriteTinyFolder(temp.Path, labels: 1, dtype: dtype);
        using var loaded = PretrainedModel.Load(folder, dtype: dtype);
        Assert.Equal(1, loaded.Model.Config.NumLabels);
        Assert.Contains("score.weight", loaded.Model.state_dict().Keys);

        using var original = TinyModels.Create(TinyModels.Config(labels: 1, type: "qwen2", bias: true) with { VocabSize = loaded.Model.Config.VocabSize, EosTokenIds = loaded.Model.Config.EosTokenIds }, seed: 4);
        original.to(dtype);
        foreach (var (name, tensor) in original.state_dict())
        {
            Tensor other = loaded.Model.state_dict()[name];
            Assert.Equal(dtype, other.dtype);
            // Widening bf16 to fp32 is exact, so equal fp32 values mean equal bits.
            Assert.True(tensor.to(ScalarType.Float32).allclose(other.to(ScalarType.Float32), rtol: 0, atol: 0), $"{name} changed on the round trip");
        }
    }

    [Fact]
    public void AFloat32CheckpointLoadedInBfloat16EqualsCastingAfterLoadingTensorForTensorAndLogitForLogit()
    {
        using var temp = new TempDirectory();
        string folder = WriteTinyFolder(temp.Path, labels: 1);
        using var full = PretrainedModel.Load(folder);
        using var cast = full.Model.Clone();
        cast.to(ScalarType.BFloat16);
        using var direct = PretrainedModel.Load(folder, dtype: ScalarType.BFloat16);

        var castWeights = cast.state_dict();
        foreach (var (name, tensor) in direct.Model.named_parameters())
        {
            Assert.Equal(ScalarType.BFloat16, tensor.dtype);
            Assert.Equal(DeviceType.CPU, tensor.device.type);
            Assert.True(tensor.requires_grad, $"{name} is not trainable");
            Assert.True(tensor.to(ScalarType.Float32).allclose(castWeights[name].to(ScalarType.Float32), rtol: 0, atol: 0), $"{name} differs from the cast copy");
        }
        using var ids = tensor(new long[] { 1, 5, 9, 12, 3, 7 }, [1, 6]);
        cast.eval();
        using var noGrad = no_grad();
        Assert.True(direct.Model.Forward(ids).allclose(cast.Forward(ids), rtol: 0, atol: 0));
        Assert.True(direct.Model.Rewards(ids).allclose(cast.Rewards(ids), rtol: 0, atol: 0));
    }

    [Fact]
    public void ACloneEqualsItsSourceAndSharesNoStorage()
    {
        using var model = TinyModels.Create(TinyModels.Config(labels: 1, tied: true), seed: 3);
        model.to(ScalarType.BFloat16);
        using var copy = model.Clone();
        using var ids = tensor(new long[] { 4, 8, 15, 16, 23, 42 }, [1, 6]);
        using (no_grad())
            Assert.True(copy.Forward(ids).allclose(model.Forward(ids), rtol: 0, atol: 0));
        Assert.Equal(ScalarType.BFloat16, copy.DType);
        using (no_grad())
            copy.state_dict()["model.norm.weight"].add_(1);
        Assert.False(copy.state_dict()["model.norm.weight"].allclose(model.state_dict()["model.norm.weight"], rtol: 0, atol: 0));
    }

    [Fact]
    public void AHuggingFaceLayoutFolderLoadsAndGenerates()
    {
        using var temp = new TempDirectory();
        string folder = WriteTinyFolder(temp.Path);
        using var loaded = PretrainedModel.Load(folder);
        // The folder's own chat_template is rendered (this one writes no generation prompt).
        Assert.IsType<JinjaChatTemplate>(loaded.Template);
        string prompt = loaded.Template.Render([ChatMessage.User("the 12")], addGenerationPrompt: true);
        Assert.Equal("<|im_start|>user\nthe 12<|im_end|>\n", prompt);
        var completion = new TextGenerator(loaded.Model, loaded.Tokenizer).Generate([prompt], new GenerationOptions { MaxNewTokens = 6, Temperature = 0 })[0];
        Assert.NotEmpty(completion.TokenIds);
        Assert.Equal(loaded.Tokenizer.Decode(completion.TokenIds.Where(id => !loaded.Tokenizer.EosIds.Contains(id)).ToArray(), skipSpecialTokens: true), completion.Text);
    }

    [Fact]
    public void ACheckpointThatDoesNotMatchItsConfigNamesTheTensors()
    {
        using var temp = new TempDirectory();
        string folder = WriteTinyFolder(temp.Path);
        string configPath = Path.Combine(folder, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["intermediate_size"] = 48;
        File.WriteAllText(configPath, json.ToJsonString());
        var error = Assert.Throws<BadInputException>(() => PretrainedModel.Load(folder));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("model.layers.0.mlp.up_proj.weight", error.Message);
        Assert.Contains("[64, 32]", error.Message);
    }

    [Fact]
    public void PickleWeightsAreRefused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("config.json"), "{}");
        File.WriteAllBytes(temp.File("pytorch_model.bin"), [0x80, 0x02]);
        var error = Assert.Throws<BadInputException>(() => PretrainedModel.Load(temp.Path));
        Assert.Contains("safetensors", error.Message);
        Assert.Contains("pytorch_model.bin", error.Message);
    }
}
