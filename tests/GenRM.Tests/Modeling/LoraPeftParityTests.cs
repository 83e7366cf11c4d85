using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>
/// Our LoRA against PEFT itself: tools/make_peft_reference.py saved, with PEFT 0.12.0's
/// save_pretrained, adapters on every projection of the tiny Llama fixture, and the logits PEFT's
/// reloaded model gives. Loaded here onto the same base, the adapters must give the same logits, and
/// saving them again must write PEFT's file: the same names, shapes and values. The other way round,
/// an adapter made and saved here (ours-lora, which `make_peft_reference.py --ours` loaded with PEFT)
/// must be what this code still writes, and PEFT's logits for it ours. The fixtures are committed; a
/// missing one fails, never skips.
/// </summary>
public sealed class LoraPeftParityTests(ITestOutputHelper output) : IDisposable
{
    static readonly string AdapterFolder = TestPaths.Fixtures("peft-reference", "llama-lora");
    static readonly string BaseFolder = TestPaths.Fixtures("hf-reference", "llama");
    readonly string resaved = Path.Combine(Path.GetTempPath(), $"genrm-peft-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(resaved)) Directory.Delete(resaved, recursive: true);
    }

    [Fact]
    public void PeftsAdaptersGivePeftsLogits()
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AdapterFolder, "reference.json")))!;
        using var loaded = PretrainedModel.Load(BaseFolder);
        LoraAdapterFiles.Load(AdapterFolder, loaded.Model);
        Assert.Equal(LoraConfig.AllProjections, loaded.Model.Lora!.Config.TargetModules);
        AssertLogits(loaded.Model, AdapterFolder, 5e-6);
    }

    [Fact]
    public void AdaptersSavedHereLoadInPeftAndGiveOurLogits()
    {
        string fixture = TestPaths.Fixtures("peft-reference", "ours-lora");
        using var loaded = PretrainedModel.Load(BaseFolder);
        // Adapters on three projections with every value drawn (a fresh B is zero), saved as a run saves them.
        var adapters = loaded.Model.AddLora(new LoraConfig { Rank = 8, Alpha = 16, TargetModules = ["q_proj", "v_proj", "down_proj"] }, seed: 7);
        using (var generator = new Generator(11UL))
        using (no_grad())
            foreach (var (_, parameter) in adapters.NamedParameters())
                parameter.copy_(empty(parameter.shape).normal_(0, 0.3, generator));
        LoraAdapterFiles.Save(loaded.Model, resaved, "hf-reference/llama");
        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, LoraAdapterFiles.WeightsFileName)), File.ReadAllBytes(Path.Combine(resaved, LoraAdapterFiles.WeightsFileName)));
        Assert.Equal(File.ReadAllText(Path.Combine(fixture, LoraAdapterFiles.ConfigFileName)), File.ReadAllText(Path.Combine(resaved, LoraAdapterFiles.ConfigFileName)));
        AssertLogits(loaded.Model, fixture, 5e-6);
    }

    void AssertLogits(LanguageModel model, string folder, double tolerance)
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")))!;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (JsonNode? prompt in reference["prompts"]!.AsArray())
        {
            long[] ids = [.. prompt!["input_ids"]!.AsArray().Select(v => (long)v!)];
            float[] expected = [.. prompt["all_logits"]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (float)v!))];
            float[] actual = model.Forward(tensor(ids).unsqueeze(0)).flatten().data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"prompt of {ids.Length} tokens: max |logit difference| to PEFT {difference:E2}");
            Assert.True(difference <= tolerance, $"logits differ from PEFT's by {difference}");
        }
    }

    [Fact]
    public void SavingPeftsAdaptersAgainWritesPeftsTensors()
    {
        using var loaded = PretrainedModel.Load(BaseFolder);
        LoraAdapterFiles.Load(AdapterFolder, loaded.Model);
        LoraAdapterFiles.Save(loaded.Model, resaved, "hf-reference/llama");
        using var scope = NewDisposeScope();
        var peft = SafetensorsFile.Load(Path.Combine(AdapterFolder, LoraAdapterFiles.WeightsFileName));
        var ours = SafetensorsFile.Load(Path.Combine(resaved, LoraAdapterFiles.WeightsFileName));
        Assert.Equal(peft.Keys.Order(), ours.Keys.Order());
        foreach (var (name, value) in peft)
            Assert.True(value.equal(ours[name]).all().item<bool>(), $"{name} differs");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(resaved, LoraAdapterFiles.ConfigFileName)))!;
        var peftConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(AdapterFolder, LoraAdapterFiles.ConfigFileName)))!;
        foreach (string key in new[] { "peft_type", "task_type", "r", "lora_alpha", "lora_dropout", "bias", "fan_in_fan_out", "use_rslora", "use_dora" })
            Assert.True(JsonNode.DeepEquals(peftConfig[key], config[key]), $"{key}: PEFT wrote {peftConfig[key]?.ToJsonString()}, we wrote {config[key]?.ToJsonString()}");
    }
}
