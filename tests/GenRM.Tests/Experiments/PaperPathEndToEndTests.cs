using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Reporting;
using GenRM.Tests.Cli;
using GenRM.Tests.Serving;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Experiments;

/// <summary>
/// The <c>paper</c> preset's code path on a tiny Hugging Face folder, end to end on the CPU: preference
/// files, the model's own tokenizer, LoRA r 16 on every projection with activation checkpointing,
/// STaR's sampling and the votes on <c>genrm serve</c> in a second process, each iteration's adapter
/// handed to it, and adapters written in PEFT's layout that give the merged checkpoint's logits.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PaperPathEndToEndTests
{
    static readonly string[] Subsets = ["alpacaeval-easy", "mt-bench-hard", "refusals-dangerous", "math-prm"];

    [Fact]
    public async Task ThePaperPresetRunsOnATinyHuggingFaceFolderWithLoraCheckpointingAndAnEngine()
    {
        using var temp = new TempDirectory();
        string judge = TinyJudge(temp);
        WritePairs(temp.File("train.jsonl"), 20, subsets: null);
        WritePairs(temp.File("test.jsonl"), 4, subsets: null);
        WritePairs(temp.File("ood.jsonl"), 4, Subsets);
        // The paper preset, shrunk: its LoRA (r 16, alpha 32, every projection) and checkpointing stay;
        // fp32, so the merged checkpoint can be compared with the adapters to 1e-5.
        var paper = GenRM.Experiments.Presets.Paper;
        var spec = new JsonObject
        {
            ["preset"] = "paper-tiny",
            ["device"] = "cpu",
            ["threads"] = 1,
            ["files"] = new JsonObject { ["base_model"] = judge, ["train"] = temp.File("train.jsonl"), ["test"] = temp.File("test.jsonl"), ["out_of_distribution"] = temp.File("ood.jsonl"), ["bfloat16"] = false },
            ["fine_tune"] = new JsonObject
            {
                ["learning_rate"] = 1e-4, ["rationalizer_learning_rate"] = 1e-4, ["optimizer_steps"] = 4, ["batch_size"] = 2, ["gradient_accumulation"] = 2, ["max_length"] = 4096,
                ["lora"] = new JsonObject { ["rank"] = paper.FineTune.Lora!.Rank, ["alpha"] = paper.FineTune.Lora.Alpha },
                ["gradient_checkpointing"] = paper.FineTune.GradientCheckpointing,
            },
            // About a fifth of the tiny judge's samples end in the right verdict: 4 samples of 9 items give every iteration some.
            ["star"] = new JsonObject { ["iterations"] = 2, ["samples_per_item"] = 4, ["max_rationale_tokens"] = 12, ["dpo_beta"] = 1.0 },
            ["evaluation"] = new JsonObject { ["votes"] = 2, ["batch_size"] = 8, ["position_bias_items"] = 0, ["held_out_items"] = 2 },
        };
        File.WriteAllText(temp.File("spec.json"), spec.ToJsonString());

        using var server = await ServeProcess.Start(judge);
        string v1 = new Uri(server.Address, "/v1").ToString();
        string run = temp.File("run");
        using (var reproduce = CliProcess.Start("reproduce", "--preset", temp.File("spec.json"), "--sampler", v1, "--out", run))
        {
            var (code, output) = reproduce.WaitToEnd(TimeSpan.FromMinutes(8));
            Assert.True(code == 0, $"reproduce exited with {code}:\n{output}");
        }

        // Every method judged every section.
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "results.json")))!["rows"]!.AsArray();
        foreach (string method in StudyOrder.Methods)
            Assert.Contains(rows, r => r!["method"]!.GetValue<string>() == method && r["section"]!.GetValue<string>() == "RewardBench");

        // Each STaR method trained adapters and the engine served each iteration's, then judged on the last.
        string log = File.ReadAllText(Path.Combine(run, "run.log"));
        foreach (string method in new[] { StudyOrder.StarSft, StudyOrder.StarRationalizer, StudyOrder.StarDpo })
        {
            string Adapter(int iteration) => Path.Combine(run, "methods", method, "star", $"iteration-{iteration}", "adapter");
            Assert.Contains($"[{method}] sampler now serves {v1} (model {method}-iteration-1, lora-adapter {Adapter(1)})", log);
            var config = LoraAdapterFiles.ReadConfig(Adapter(1));
            Assert.Equal((paper.FineTune.Lora.Rank, paper.FineTune.Lora.Alpha), (config.Rank, config.Alpha));
            Assert.Equal(LoraConfig.AllProjections.Order(), config.TargetModules.Order());
        }
        Assert.Contains($"[{StudyOrder.StarSft}] judging 8 evaluation pairs on {v1} (model {StudyOrder.StarSft}-iteration-2", log);
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "spec.json")))!["fine_tune"]!;
        Assert.True(recorded["gradient_checkpointing"]!.GetValue<bool>());

        // The adapters are in PEFT's layout and, put on the base, compute what the merged checkpoint does.
        string adapter = Path.Combine(run, "methods", StudyOrder.StarSft, "star", "iteration-2", "adapter");
        var tensors = SafetensorsHeader.Read(Path.Combine(adapter, LoraAdapterFiles.WeightsFileName)).Tensors;
        Assert.Equal(2 * 2 * LoraConfig.AllProjections.Count, tensors.Count);  // A and B, 2 layers, every projection
        Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", tensors.Keys);
        using var adapted = PretrainedModel.Load(judge);
        LoraAdapterFiles.Load(adapter, adapted.Model);
        using var merged = PretrainedModel.Load(Path.Combine(run, "methods", StudyOrder.StarSft, "model"));
        using var untrained = PretrainedModel.Load(judge);
        float[] expected = Logits(merged.Model), actual = Logits(adapted.Model);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-5, "the adapter on the base differs from the merged checkpoint");
        Assert.True(expected.Zip(Logits(untrained.Model), (e, b) => Math.Abs(e - b)).Max() > 1e-4, "training did not move the model");
    }

    /// <summary>
    /// The tiny Llama fixture taught to answer "[[A]]" or "[[B]]" after the plain template's
    /// generation prompt, so that STaR keeps some rationales and trains (a random model never writes
    /// a verdict); positions raised to 4,096, since the judge's prompt is longer than the fixture's 64.
    /// </summary>
    static string TinyJudge(TempDirectory temp)
    {
        string source = temp.File("tiny-llama");
        Directory.CreateDirectory(source);
        foreach (string file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" })
            File.Copy(TestPaths.Fixtures("hf-reference", "llama", file), Path.Combine(source, file));
        void Raise(string file, string key)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(source, file)))!;
            json[key] = 4096;
            File.WriteAllText(Path.Combine(source, file), json.ToJsonString());
        }
        Raise("config.json", "max_position_embeddings");
        Raise("tokenizer_config.json", "model_max_length");

        using var pretrained = PretrainedModel.Load(source);
        var tokenizer = pretrained.Tokenizer;
        var random = new Random(7);
        int[][] verdicts = [[.. tokenizer.Encode("[[A]]"), tokenizer.EosIds[0]], [.. tokenizer.Encode("[[B]]"), tokenizer.EosIds[0]]];
        int[] generationPrompt = tokenizer.Encode("\nassistant: ");
        var examples = Enumerable.Range(0, 64).Select(i => new SftExample(
            [.. Enumerable.Range(0, random.Next(20, 200)).Select(_ => random.Next(3, tokenizer.VocabSize - 3)), .. generationPrompt], verdicts[i % 2])).ToArray();
        var training = new TrainingConfig { Optimizer = new OptimizerConfig { LearningRate = 1e-2 }, BatchSize = 4, MaxLength = 4096, Epochs = 6 };
        new SftTrainer(pretrained.Model, new SftTrainerConfig { Training = training }, padId: tokenizer.PadId).Train(examples);
        string judge = temp.File("judge");
        PretrainedModel.Save(pretrained.Model, judge, [Path.Combine(source, "tokenizer.json"), Path.Combine(source, "tokenizer_config.json")]);
        return judge;
    }

    static void WritePairs(string path, int count, string[]? subsets) =>
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i =>
        {
            var pair = new JsonObject { ["prompt"] = $"What is {i} plus {i + 1}?", ["chosen"] = $"It is {2 * i + 1}.", ["rejected"] = $"It is {2 * i + 3}." };
            if (subsets is not null) (pair["subset"], pair["id"]) = (subsets[i % subsets.Length], $"{Path.GetFileNameWithoutExtension(path)}-{i}");
            return pair.ToJsonString();
        }));

    static float[] Logits(LanguageModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.Forward(tensor(new long[] { 285, 17, 42, 256, 99, 7 }).unsqueeze(0)).flatten().data<float>().ToArray();
    }
}
