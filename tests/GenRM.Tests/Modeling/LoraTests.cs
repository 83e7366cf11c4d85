using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

public sealed class LoraTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"genrm-lora-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    static readonly LoraConfig EveryProjection = new() { Rank = 4, Alpha = 8, Dropout = 0 };

    static Tensor Ids() => TinyModels.Ids([3, 70, 71, 72, 73, 74, 75, 76], [5, 80, 81, 82, 83, 84, 85, 86]);

    /// <summary>Gives every B random values, as training would, so the adapters change the outputs.</summary>
    internal static void Perturb(LoraAdapters adapters, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in adapters.NamedParameters())
            if (name.EndsWith("lora_B.weight", StringComparison.Ordinal))
                parameter.copy_(empty(parameter.shape).normal_(0, 0.5, generator));
    }

    static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void AFreshAdapterLeavesTheOutputsUnchangedAndTheStateDictHuggingFaces()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        string[] keys = [.. model.state_dict().Keys];
        Tensor before = model.Forward(Ids());
        LoraAdapters adapters = model.AddLora(EveryProjection, seed: 1);

        Assert.Equal(0, MaxDifference(before, model.Forward(Ids())));
        Assert.Equal(keys, model.state_dict().Keys);
        // 2 layers × (q, k, v, o, gate, up, down), each with an A and a B.
        Assert.Equal(28, adapters.NamedParameters().Count());
        Assert.Equal("model.layers.0.self_attn.q_proj.lora_A.weight", adapters.NamedParameters().First().Name);
        Assert.All(model.named_parameters(), p => Assert.False(p.parameter.requires_grad));
        Assert.Equal(adapters.ParameterCount, model.TrainableParameters().Sum(p => p.Parameter.numel()));
    }

    [Fact]
    public void AFreshAdaptersAIsKaimingUniformAsPeftDrawsIt()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var adapters = model.AddLora(EveryProjection, seed: 1);
        var parameters = adapters.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Tensor a = parameters["model.layers.1.mlp.down_proj.lora_A.weight"];
        double bound = 1 / Math.Sqrt(64); // down_proj's input is the intermediate size.
        Assert.True(a.abs().max().item<float>() <= bound);
        Assert.True(a.std().item<float>() > 0.8 * bound / Math.Sqrt(3), "A should fill its uniform range");
        Assert.Equal(0, parameters["model.layers.1.mlp.down_proj.lora_B.weight"].abs().sum().item<float>());
    }

    [Fact]
    public void MergedAndUnmergedLogitsAgree()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor baseLogits = model.Forward(Ids());
        Perturb(model.AddLora(EveryProjection, seed: 1), seed: 2);
        Tensor adapted = model.Forward(Ids());
        Assert.True(MaxDifference(adapted, baseLogits) > 1e-2, "the perturbed adapters should change the logits");

        model.MergeLora();
        Assert.Null(model.Lora);
        Assert.True(MaxDifference(adapted, model.Forward(Ids())) <= 1e-5);
    }

    [Fact]
    public void DisabledAdaptersGiveTheBaseOutputs()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor baseLogits = model.Forward(Ids());
        LoraAdapters adapters = model.AddLora(EveryProjection, seed: 1);
        Perturb(adapters, seed: 2);
        using (adapters.Disabled())
            Assert.Equal(0, MaxDifference(baseLogits, model.Forward(Ids())));
        Assert.True(MaxDifference(baseLogits, model.Forward(Ids())) > 1e-2);
    }

    [Fact]
    public void SavedAdaptersLoadIntoTheBaseModelWithPeftsNamesAndTheSameLogits()
    {
        var config = TinyModels.Config();
        using var model = TinyModels.Create(config);
        using var original = model.Clone();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Perturb(model.AddLora(EveryProjection with { TargetModules = ["q_proj", "v_proj", "down_proj"] }, seed: 1), seed: 2);
        LoraAdapterFiles.Save(model, folder, "tiny-llama");

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "adapter_config.json")))!;
        Assert.Equal("LORA", (string?)json["peft_type"]);
        Assert.Equal("CAUSAL_LM", (string?)json["task_type"]);
        Assert.Equal(4, (int?)json["r"]);
        Assert.Equal(8.0, (double?)json["lora_alpha"]);
        Assert.Equal("tiny-llama", (string?)json["base_model_name_or_path"]);
        var keys = SafetensorsHeader.Read(Path.Combine(folder, "adapter_model.safetensors")).Tensors.Keys.ToArray();
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", keys);
        Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", keys);
        Assert.Equal(2 * 3 * 2, keys.Length);

        LoraAdapterFiles.Load(folder, original);
        Assert.Equal(["q_proj", "v_proj", "down_proj"], original.Lora!.Config.TargetModules);
        Assert.Equal(0, MaxDifference(model.Forward(Ids()), original.Forward(Ids())));
    }

    [Fact]
    public void AdapterGradientsEqualTheChainRuleThroughTheMergedWeight()
    {
        // With W' = W + s B A, dL/dB = s (dL/dW') Aᵀ and dL/dA = s Bᵀ (dL/dW'): the merged model's
        // weight gradient, computed by ordinary autograd, is the reference.
        var config = TinyModels.Config();
        using var model = TinyModels.Create(config);
        var adapters = model.AddLora(EveryProjection, seed: 1);
        Perturb(adapters, seed: 2);
        using var merged = model.Clone();
        using (no_grad())
        {
            var weights = merged.state_dict();
            foreach (var (name, weight) in adapters.MergedWeights()) weights[name].copy_(weight);
        }
        Tensor ids = Ids();
        static Tensor Loss(LanguageModel m, Tensor ids) => -LanguageModel.TokenLogProbs(m.Forward(ids), ids).mean();
        Loss(model, ids).backward();
        Loss(merged, ids).backward();

        var lora = adapters.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var full = merged.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double s = EveryProjection.Scaling;
        foreach (string path in new[] { "model.layers.0.self_attn.k_proj", "model.layers.1.mlp.up_proj", "model.layers.1.self_attn.o_proj" })
        {
            Tensor a = lora[$"{path}.lora_A.weight"], b = lora[$"{path}.lora_B.weight"];
            Tensor weightGrad = full[$"{path}.weight"].grad!;
            Tensor expectedB = weightGrad.matmul(a.detach().t()) * s, expectedA = b.detach().t().matmul(weightGrad) * s;
            Assert.True(expectedB.abs().max().item<float>() > 1e-4, "the reference gradient should not vanish");
            AssertClose(b.grad!, expectedB, $"{path}: dL/dB");
            AssertClose(a.grad!, expectedA, $"{path}: dL/dA");
        }
    }

    // Two fp32 routes to one gradient (through B A, and through W' then the product): relative to the
    // gradient's largest entry they agree to float rounding.
    static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double scale = expected.abs().max().item<float>(), difference = MaxDifference(actual, expected);
        Assert.True(difference <= 1e-4 * scale, $"{what} differs by {difference} (largest entry {scale})");
    }

    [Fact]
    public void LoraTrainingChangesOnlyTheAdaptersAndLowersTheLoss()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        var examples = Enumerable.Range(0, 16).Select(i => new SftExample([1, 2, 3, 4 + i % 4, 61], [65 + i % 4, 66, 67, 68])).ToArray();
        var training = new TrainingConfig
        {
            Optimizer = new OptimizerConfig { LearningRate = 1e-2, WeightDecay = 0, WarmupRatio = 0 },
            Epochs = 6, BatchSize = 8, MaxLength = 32, Seed = 3,
            Lora = EveryProjection with { Dropout = 0.1 },
        };
        var result = new SftTrainer(model, new SftTrainerConfig { Training = training }, ByteTokenizer.Pad).Train(examples);

        Assert.NotNull(model.Lora);
        Assert.True(result.Metrics[^1]["loss"] < 0.8 * result.Metrics[0]["loss"], $"loss {result.Metrics[0]["loss"]} -> {result.Metrics[^1]["loss"]}");
        foreach (var (name, value) in model.state_dict())
            Assert.True(value.allclose(before[name], rtol: 0, atol: 0), $"{name} changed");
        Assert.All(model.Lora!.NamedParameters().Where(p => p.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)),
            p => Assert.True(p.Parameter.abs().sum().item<float>() > 0, $"{p.Name} did not train"));
    }

    [Fact]
    public void ABradleyTerryModelTrainsItsHeadInFullBesideTheAdapters()
    {
        using var model = new LanguageModel(TinyModels.Config(labels: 1), seed: 3);
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        var examples = Enumerable.Range(0, 16).Select(i => new PreferenceExample([1, 2, 3 + i], [90, 90], [70 + i % 5])).ToArray();
        var training = new TrainingConfig { Optimizer = new OptimizerConfig { LearningRate = 1e-2 }, BatchSize = 8, MaxLength = 32, Lora = EveryProjection };
        new RewardModelTrainer(model, new RewardModelTrainerConfig { Training = training }, ByteTokenizer.Pad).Train(examples);

        foreach (var (name, value) in model.state_dict())
            Assert.Equal(name == "score.weight", !value.allclose(before[name], rtol: 0, atol: 0));
        LoraAdapterFiles.Save(model, folder);
        var keys = SafetensorsHeader.Read(Path.Combine(folder, "adapter_model.safetensors")).Tensors.Keys;
        Assert.Contains("base_model.model.score.weight", keys);
        Assert.Equal("SEQ_CLS", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "adapter_config.json")))!["task_type"]);
    }

    [Fact]
    public void TheDpoReferenceOfALoraModelIsItsBaseWithTheAdaptersOff()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var examples = new[] { new PreferenceExample([1, 2, 3], [70, 71], [80]), new PreferenceExample([4, 5], [72], [81, 82]) };
        var baseReference = DpoTrainer.ComputeReference(model, examples, 2, 32, ByteTokenizer.Pad);
        Perturb(model.AddLora(EveryProjection, seed: 1), seed: 2);
        var adapted = DpoTrainer.ComputeReference(model, examples, 2, 32, ByteTokenizer.Pad);
        IReadOnlyList<DpoExample> reference;
        using (model.Lora!.Disabled())
            reference = DpoTrainer.ComputeReference(model, examples, 2, 32, ByteTokenizer.Pad);

        Assert.NotEqual(baseReference[0].ReferenceChosen, adapted[0].ReferenceChosen);
        Assert.Equal(baseReference.Select(r => (r.ReferenceChosen, r.ReferenceRejected)), reference.Select(r => (r.ReferenceChosen, r.ReferenceRejected)));
    }

    [Fact]
    public void BadAdapterFoldersAreRefusedNamingTheFileAndTheItem()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        Perturb(model.AddLora(EveryProjection with { TargetModules = ["q_proj"] }, seed: 1), seed: 2);
        LoraAdapterFiles.Save(model, folder);
        string config = Path.Combine(folder, "adapter_config.json"), weights = Path.Combine(folder, "adapter_model.safetensors");
        string goodConfig = File.ReadAllText(config);
        using var target = TinyModels.Create(TinyModels.Config());

        void Refused(string fragment)
        {
            var error = Assert.Throws<BadInputException>(() => LoraAdapterFiles.Load(folder, target));
            Assert.Contains(fragment, error.Message);
            Assert.Null(target.Lora);
        }

        File.WriteAllText(config, goodConfig.Replace("\"q_proj\"", "\"q_proj\", \"v_proj\""));
        Refused($"{weights}: base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight: missing");
        File.WriteAllText(config, goodConfig.Replace("\"r\": 4", "\"r\": 2"));
        Refused($"{weights}: base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight: shape [4, 32] differs from the model's [2, 32]");
        File.WriteAllText(config, goodConfig.Replace("\"q_proj\"", "\"w_proj\""));
        Refused($"{config}: target_modules: unknown target module(s) w_proj");
        File.WriteAllText(config, goodConfig.Replace("\"LORA\"", "\"IA3\""));
        Refused($"{config}: peft_type: peft_type is IA3");
        File.WriteAllText(config, goodConfig.Replace("\"use_dora\": false", "\"use_dora\": true"));
        Refused($"{config}: use_dora");
        File.WriteAllText(config, "{ not json");
        Refused($"{config}: not valid JSON");
        File.Delete(config);
        Refused($"{config}: no such file");
    }
}
