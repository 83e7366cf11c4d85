using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Tests.Modeling;

public sealed class ShardedCheckpointTests : IDisposable
{
    readonly TempDirectory dir = new();

    public ShardedCheckpointTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => dir.Dispose();

    /// <summary>Five 64-byte tensors named a..e.</summary>
    static Dictionary<string, torch.Tensor> FiveTensors() =>
        "abcde".Select((c, i) => (Name: c.ToString(), Tensor: SafetensorsRoundTripTests.Sample(torch.ScalarType.Float32, [4, 4], (ulong)i)))
            .ToDictionary(p => p.Name, p => p.Tensor);

    [Fact]
    public void ShardedSaveReadsBackBitExactWithTransformersNamesAndIndex()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = FiveTensors();
        var files = ShardedCheckpoint.Save(dir.Path, tensors, maxShardBytes: 150);

        Assert.Equal(["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json"], files);
        var index = JsonNode.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")))!;
        Assert.Equal(320, index["metadata"]!["total_size"]!.GetValue<long>());
        Assert.Equal("model-00002-of-00003.safetensors", index["weight_map"]!["c"]!.GetValue<string>());
        Assert.Equal("model-00003-of-00003.safetensors", index["weight_map"]!["e"]!.GetValue<string>());

        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        Assert.EndsWith("model.safetensors.index.json", checkpoint.Path, StringComparison.Ordinal);
        var loaded = checkpoint.ReadAll();
        foreach (var (name, tensor) in tensors)
            Assert.Equal(tensor.bytes.ToArray(), loaded[name].bytes.ToArray());
        Assert.Equal([4L, 4L], checkpoint.Shapes()["d"]);
    }

    [Fact]
    public void ShardPlanGivesAnOversizedTensorAShardOfItsOwn()
    {
        var plan = ShardedCheckpoint.Plan(new Dictionary<string, long> { ["a"] = 10, ["b"] = 500, ["c"] = 10, ["d"] = 10 }, 100);
        Assert.Equal([["a"], ["b"], ["c", "d"]], plan);
        Assert.Single(ShardedCheckpoint.Plan(new Dictionary<string, long>(), 100));
    }

    [Fact]
    public void SingleShardIsModelSafetensorsAndReplacesAStaleShardedSave()
    {
        using var scope = torch.NewDisposeScope();
        ShardedCheckpoint.Save(dir.Path, FiveTensors(), maxShardBytes: 150);
        var files = ShardedCheckpoint.Save(dir.Path, new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(3) });

        Assert.Equal(["model.safetensors"], files);
        Assert.Equal(["model.safetensors"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName));
        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        Assert.Equal(["x"], checkpoint.Tensors.Keys);
    }

    [Fact]
    public void MissingShardIsNamed()
    {
        using var scope = torch.NewDisposeScope();
        ShardedCheckpoint.Save(dir.Path, FiveTensors(), maxShardBytes: 150);
        File.Delete(dir.File("model-00002-of-00003.safetensors"));

        var error = Assert.Throws<BadInputException>(() => SafetensorsCheckpoint.Open(dir.Path));
        Assert.Contains("model.safetensors.index.json: tensor 'c': shard 'model-00002-of-00003.safetensors' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorListedInAShardThatDoesNotHoldItIsNamed()
    {
        using var scope = torch.NewDisposeScope();
        ShardedCheckpoint.Save(dir.Path, FiveTensors(), maxShardBytes: 150);
        string indexPath = dir.File("model.safetensors.index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["weight_map"]!["e"] = "model-00001-of-00003.safetensors";
        File.WriteAllText(indexPath, index.ToJsonString());

        var error = Assert.Throws<BadInputException>(() => SafetensorsCheckpoint.Open(indexPath));
        Assert.Contains("tensor 'e': listed in shard 'model-00001-of-00003.safetensors', which does not hold it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"weight_map": {"a": "../elsewhere.safetensors"}}""", "must be a file name in the index's folder")]
    [InlineData("""{"weight_map": {"a": 3}}""", "weight_map values must be shard file names")]
    [InlineData("""{"metadata": {}}""", "with a \"weight_map\" object")]
    [InlineData("""{"weight_map": """, "not valid JSON")]
    public void MalformedIndexIsRefused(string json, string problem)
    {
        string indexPath = dir.File("model.safetensors.index.json");
        File.WriteAllText(indexPath, json);
        var error = Assert.Throws<BadInputException>(() => SafetensorsCheckpoint.Open(dir.Path));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedShardedSaveLeavesTheEarlierSaveUntouchedAndNoTemporaryFiles()
    {
        using var scope = torch.NewDisposeScope();
        ShardedCheckpoint.Save(dir.Path, FiveTensors(), maxShardBytes: 150);
        var before = Directory.EnumerateFiles(dir.Path).ToDictionary(f => f, File.ReadAllBytes);

        // The first shard is written in full before the complex tensor in the last one fails.
        var tensors = FiveTensors();
        tensors["z"] = torch.ones(2, torch.ScalarType.ComplexFloat32);
        Assert.Throws<ArgumentException>(() => ShardedCheckpoint.Save(dir.Path, tensors, maxShardBytes: 100));

        var after = Directory.EnumerateFiles(dir.Path).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, after[file]);
    }
}
