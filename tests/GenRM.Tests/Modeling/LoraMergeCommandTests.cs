using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Tests.Cli;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary><c>genrm lora merge</c> and saving a model with adapters: the written folder computes what the adapted model does.</summary>
public sealed class LoraMergeCommandTests : IDisposable
{
    static readonly string AdapterFolder = TestPaths.Fixtures("peft-reference", "llama-lora");
    static readonly string BaseFolder = TestPaths.Fixtures("hf-reference", "llama");
    readonly string scratch = Path.Combine(Path.GetTempPath(), $"genrm-lora-merge-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
    }

    static float[] Logits(LanguageModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.Forward(tensor(new long[] { 1, 17, 42, 256, 99, 7 }).unsqueeze(0)).flatten().data<float>().ToArray();
    }

    [Fact]
    public void MergingPeftsAdapterWritesAModelWithPeftsLogits()
    {
        string merged = Path.Combine(scratch, "merged");
        var (code, output, error) = CliContractTests.Run("lora", "merge", "--model", BaseFolder, "--adapter", AdapterFolder, "--out", merged);
        Assert.True(code == 0, error);
        Assert.Contains("rank 4, alpha 8, 14 projections", output);

        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AdapterFolder, "reference.json")))!;
        float[] expected = [.. reference["prompts"]![0]!["all_logits"]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (float)v!))];
        using var loaded = PretrainedModel.Load(merged);
        Assert.Null(loaded.Model.Lora);
        double difference = expected.Zip(Logits(loaded.Model), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= 1e-5, $"merged logits differ from PEFT's by {difference}");
        Assert.True(File.Exists(Path.Combine(merged, HuggingFaceCheckpoint.TokenizerFileName)));
    }

    [Fact]
    public void ABadAdapterIsOneErrorNamingTheFile()
    {
        string adapter = Path.Combine(scratch, "adapter");
        Directory.CreateDirectory(adapter);
        File.Copy(Path.Combine(AdapterFolder, LoraAdapterFiles.ConfigFileName), Path.Combine(adapter, LoraAdapterFiles.ConfigFileName));
        var (code, _, error) = CliContractTests.Run("lora", "merge", "--model", BaseFolder, "--adapter", adapter, "--out", Path.Combine(scratch, "merged"));
        Assert.Equal(1, code);
        Assert.Contains($"{Path.Combine(adapter, LoraAdapterFiles.WeightsFileName)}: no such file", error);
        Assert.False(Directory.Exists(Path.Combine(scratch, "merged")));
    }

    [Fact]
    public void SavingAModelWithAdaptersWritesItMergedWithTheAdapterBeside()
    {
        using var loaded = PretrainedModel.Load(BaseFolder);
        LoraAdapterFiles.Load(AdapterFolder, loaded.Model);
        float[] adapted = Logits(loaded.Model);
        string saved = Path.Combine(scratch, "saved");
        PretrainedModel.Save(loaded.Model, saved, PretrainedModel.TokenizerFiles(BaseFolder));

        using var merged = PretrainedModel.Load(saved);
        Assert.True(adapted.Zip(Logits(merged.Model), (e, a) => Math.Abs(e - a)).Max() <= 1e-5);
        using var rebuilt = PretrainedModel.Load(BaseFolder);
        LoraAdapterFiles.Load(Path.Combine(saved, PretrainedModel.AdapterFolderName), rebuilt.Model);
        Assert.Equal(adapted, Logits(rebuilt.Model));
    }
}
