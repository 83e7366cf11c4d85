using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Tests.Modeling;

public sealed class HuggingFaceCheckpointTests : IDisposable
{
    readonly TempDirectory dir = new();

    public HuggingFaceCheckpointTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => dir.Dispose();

    static Dictionary<string, torch.Tensor> Weights() => new()
    {
        ["model.embed_tokens.weight"] = SafetensorsRoundTripTests.Sample(torch.ScalarType.BFloat16, [10, 4], 1),
        ["model.norm.weight"] = torch.ones(4, torch.ScalarType.BFloat16),
    };

    static JsonObject Config() => new() { ["model_type"] = "llama", ["hidden_size"] = 4, ["tie_word_embeddings"] = true };

    [Fact]
    public void SaveWritesACompleteFolderThatFindAndOpenRead()
    {
        using var scope = torch.NewDisposeScope();
        string tokenizer = dir.File("tokenizer.json");
        File.WriteAllText(tokenizer, """{"model": {"type": "BPE"}}""");
        string folder = Path.Combine(dir.Path, "out", "model");
        var weights = Weights();

        var saved = HuggingFaceCheckpoint.Save(folder, Config(), weights, [tokenizer]);

        var found = HuggingFaceCheckpoint.Find(folder);
        Assert.Equal(saved, found);
        Assert.Equal(Path.Combine(folder, "model.safetensors"), found.WeightsPath);
        Assert.Equal(Path.Combine(folder, "tokenizer.json"), found.TokenizerPath);
        Assert.Null(found.TokenizerConfigPath);
        Assert.Null(found.GenerationConfigPath);
        Assert.Equal("llama", found.ReadConfig()["model_type"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(tokenizer), File.ReadAllText(found.TokenizerPath!));
        using var checkpoint = found.OpenWeights();
        Assert.Equal(weights["model.embed_tokens.weight"].bytes.ToArray(), checkpoint.Read("model.embed_tokens.weight").bytes.ToArray());
        Assert.DoesNotContain(Directory.EnumerateFiles(folder), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public void FindsShardedWeightsAndOptionalFiles()
    {
        using var scope = torch.NewDisposeScope();
        HuggingFaceCheckpoint.Save(dir.Path, Config(), Weights(), maxShardBytes: 16);
        File.WriteAllText(dir.File("tokenizer_config.json"), "{}");
        File.WriteAllText(dir.File("generation_config.json"), "{}");

        var found = HuggingFaceCheckpoint.Find(dir.Path);
        Assert.Equal(dir.File("model.safetensors.index.json"), found.WeightsPath);
        Assert.Equal(dir.File("tokenizer_config.json"), found.TokenizerConfigPath);
        Assert.Equal(dir.File("generation_config.json"), found.GenerationConfigPath);
        using var checkpoint = found.OpenWeights();
        Assert.Equal(2, checkpoint.Tensors.Count);
    }

    [Fact]
    public void InterruptedSaveLeavesAFolderThatIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        HuggingFaceCheckpoint.Save(dir.Path, Config(), Weights());
        var weights = Weights();
        weights["z"] = torch.ones(1, torch.ScalarType.ComplexFloat32);

        Assert.Throws<ArgumentException>(() => HuggingFaceCheckpoint.Save(dir.Path, Config(), weights));

        var error = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.Find(dir.Path));
        Assert.Contains("no config.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pytorch_model.bin")]
    [InlineData("model.pt")]
    [InlineData("weights.pth")]
    [InlineData("last.ckpt")]
    public void FolderWithOnlyPickleWeightsIsRefused(string pickle)
    {
        File.WriteAllText(dir.File("config.json"), "{}");
        File.WriteAllBytes(dir.File(pickle), [0x80, 0x02]);

        var error = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.Find(dir.Path));
        Assert.StartsWith(dir.File(pickle) + ": pickle weights are never loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("save_pretrained(out, safe_serialization=True)", error.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => SafetensorsCheckpoint.Open(dir.Path));
    }

    [Fact]
    public void PickleFileGivenDirectlyIsRefusedWithoutBeingRead()
    {
        string path = dir.File("pytorch_model.bin");
        File.WriteAllBytes(path, [0x80, 0x02]);
        var error = Assert.Throws<BadInputException>(() => SafetensorsFile.Load(path));
        Assert.Contains("pickle weights are never loaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutWeightsOrWithoutConfigIsRefused()
    {
        File.WriteAllText(dir.File("config.json"), "{}");
        var noWeights = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.Find(dir.Path));
        Assert.Contains("no model.safetensors or model.safetensors.index.json", noWeights.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.Find(dir.File("absent")));
        Assert.Contains("no such model folder", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainstNamesEveryDifferenceInOneError()
    {
        var expected = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [10, 4],
            ["model.norm.weight"] = [4],
            ["model.layers.0.self_attn.q_proj.weight"] = [4, 4],
            ["lm_head.weight"] = [10, 4],
        };
        var actual = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [10, 4],
            ["model.norm.weight"] = [5],
            ["model.rotary_emb.inv_freq"] = [2],
        };

        var error = Assert.Throws<BadInputException>(() =>
            HuggingFaceCheckpoint.ValidateAgainst("ckpt", expected, actual, new HashSet<string> { "lm_head.weight" }));

        Assert.Equal("ckpt: the checkpoint does not match the model: 1 missing tensors: model.layers.0.self_attn.q_proj.weight;" +
            " 1 unexpected tensors: model.rotary_emb.inv_freq; 1 shape mismatches: model.norm.weight (expected [4], found [5]);", error.Message);
    }

    [Fact]
    public void ValidateAgainstAcceptsAMatchingCheckpointWithOrWithoutOptionalTensors()
    {
        var expected = new Dictionary<string, long[]> { ["a"] = [2, 3], ["lm_head.weight"] = [3] };
        var optional = new HashSet<string> { "lm_head.weight" };
        HuggingFaceCheckpoint.ValidateAgainst("ckpt", expected, new Dictionary<string, long[]> { ["a"] = [2, 3] }, optional);
        HuggingFaceCheckpoint.ValidateAgainst("ckpt", expected, new Dictionary<string, long[]> { ["a"] = [2, 3], ["lm_head.weight"] = [3] }, optional);

        var error = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.ValidateAgainst("ckpt", expected,
            new Dictionary<string, long[]> { ["a"] = [2, 3], ["lm_head.weight"] = [4] }, optional));
        Assert.Contains("lm_head.weight (expected [3], found [4])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainstShortensLongLists()
    {
        var expected = Enumerable.Range(0, 25).ToDictionary(i => $"t{i:D2}", _ => new long[] { 1 });
        var error = Assert.Throws<BadInputException>(() => HuggingFaceCheckpoint.ValidateAgainst("ckpt", expected, new Dictionary<string, long[]>()));
        Assert.Contains("25 missing tensors: t00, t01", error.Message, StringComparison.Ordinal);
        Assert.Contains("t09 and 15 more;", error.Message, StringComparison.Ordinal);
    }
}
