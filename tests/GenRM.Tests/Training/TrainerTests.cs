using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

public sealed class TrainerTests
{
    static int[] RandomBytes(Random random, int length, int exclude = -1)
    {
        var bytes = new int[length];
        for (int i = 0; i < length; i++)
            do bytes[i] = random.Next(97, 123); while (bytes[i] == exclude);
        return bytes;
    }

    /// <summary>Chosen responses end in 'Z'; rejected ones never contain it.</summary>
    static List<PreferenceExample> PlantedFeaturePairs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new PreferenceExample(
            RandomBytes(random, 6),
            [.. RandomBytes(random, 4, 'Z'), 'Z'],
            RandomBytes(random, 5, 'Z'))).ToList();
    }

    static List<SftExample> CopyTask(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int[] text = RandomBytes(random, 5);
            return new SftExample([.. text, '='], text);
        }).ToList();
    }

    static TrainingConfig Quick(int epochs, double learningRate = 3e-3) => new()
    {
        Optimizer = new OptimizerConfig { LearningRate = learningRate, WeightDecay = 0.0 },
        Epochs = epochs,
        BatchSize = 16,
        MaxLength = 64,
        Seed = 5,
    };

    [Fact]
    public void BradleyTerryModelLearnsAPlantedFeature()
    {
        using var model = new LanguageModel(TinyModels.Config(labels: 1), seed: 3);
        var trainer = new RewardModelTrainer(model, new RewardModelTrainerConfig { Training = Quick(epochs: 3) }, ByteTokenizer.Pad);
        var result = trainer.Train(PlantedFeaturePairs(256, seed: 1));
        Assert.True(result.Finished);
        Assert.True(result.Metrics[^1]["rewards/accuracies"] > 0.9, $"last training accuracy {result.Metrics[^1]["rewards/accuracies"]}");

        var heldOut = PlantedFeaturePairs(64, seed: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int correct = 0;
        foreach (var pair in heldOut)
        {
            float chosen = model.Rewards(tensor(pair.Prompt.Concat(pair.Chosen).Select(x => (long)x).ToArray()).unsqueeze(0)).item<float>();
            float rejected = model.Rewards(tensor(pair.Prompt.Concat(pair.Rejected).Select(x => (long)x).ToArray()).unsqueeze(0)).item<float>();
            if (chosen > rejected) correct++;
        }
        Assert.True(correct >= 58, $"held-out accuracy {correct}/64");
    }

    [Fact]
    public void ResumedRunEqualsAnUninterruptedOne()
    {
        using var straightDir = new TempDirectory();
        using var resumedDir = new TempDirectory();
        var examples = CopyTask(96, seed: 4);
        var config = new SftTrainerConfig { Training = Quick(epochs: 2) with { BatchSize = 8, GradientAccumulation = 2, CheckpointEvery = 3 } };

        using var straight = new LanguageModel(TinyModels.Config(), seed: 9);
        var full = new SftTrainer(straight, config, ByteTokenizer.Pad).Train(examples, straightDir.Path);

        using (var firstHalf = new LanguageModel(TinyModels.Config(), seed: 9))
        {
            var stopped = new SftTrainer(firstHalf, config with { Training = config.Training with { StopAfterSteps = 5 } }, ByteTokenizer.Pad).Train(examples, resumedDir.Path);
            Assert.False(stopped.Finished);
        }
        using var resumed = new LanguageModel(TinyModels.Config(), seed: 123);  // different init: everything must come from the checkpoint
        var log = new StringWriter();
        var rest = new SftTrainer(resumed, config, ByteTokenizer.Pad).Train(examples, resumedDir.Path, log: log);

        Assert.Contains("resumed from step 5", log.ToString());
        Assert.Equal(full.TotalSteps, rest.Steps);
        foreach (var (name, value) in straight.state_dict())
            Assert.True(value.allclose(resumed.state_dict()[name], rtol: 0, atol: 0), $"{name} differs after resume");
        static IEnumerable<string> Comparable(TrainingResult r) =>
            r.Metrics.Select(row => string.Join(",", row.Where(kv => kv.Key != "tokens_per_second").OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value:R}")));
        Assert.Equal(Comparable(full), Comparable(rest));
        Assert.Equal(File.ReadAllLines(Path.Combine(straightDir.Path, "metrics.jsonl")).Length, File.ReadAllLines(Path.Combine(resumedDir.Path, "metrics.jsonl")).Length);
    }

    [Fact]
    public void DamagedNewestCheckpointTornMetricsLineAndAbandonedStagingAreSkippedOnResume()
    {
        using var straightDir = new TempDirectory();
        using var resumedDir = new TempDirectory();
        var examples = CopyTask(96, seed: 4);
        var config = new SftTrainerConfig { Training = Quick(epochs: 1) with { BatchSize = 8, CheckpointEvery = 2, KeepCheckpoints = 3 } };
        using var straight = new LanguageModel(TinyModels.Config(), seed: 9);
        new SftTrainer(straight, config, ByteTokenizer.Pad).Train(examples, straightDir.Path);
        using (var firstHalf = new LanguageModel(TinyModels.Config(), seed: 9))
            new SftTrainer(firstHalf, config with { Training = config.Training with { StopAfterSteps = 6 } }, ByteTokenizer.Pad).Train(examples, resumedDir.Path);

        // What a writer without atomic rename would leave after a crash: a torn newest checkpoint,
        // a staging folder of the next one, and half a metrics line.
        string newest = TrainingCheckpoint.Path(resumedDir.Path, 6);
        string weights = Path.Combine(newest, "model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);
        string staging = Path.Combine(TrainingCheckpoint.Folder(resumedDir.Path), ".step-000007.0123.tmp");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, "model.safetensors"), [1, 2, 3]);
        File.AppendAllText(Path.Combine(resumedDir.Path, "metrics.jsonl"), "{\"step\":7,\"lo");

        using var resumed = new LanguageModel(TinyModels.Config(), seed: 123);
        var log = new StringWriter();
        new SftTrainer(resumed, config, ByteTokenizer.Pad).Train(examples, resumedDir.Path, log: log);

        Assert.Contains($"skipping checkpoint {newest}", log.ToString());
        Assert.Contains("SHA-256", log.ToString());
        Assert.Contains("resumed from step 4", log.ToString());
        Assert.False(Directory.Exists(staging), "the abandoned staging folder is removed");
        foreach (var (name, value) in straight.state_dict())
            Assert.True(value.allclose(resumed.state_dict()[name], rtol: 0, atol: 0), $"{name} differs after resume");
        static IEnumerable<string> Comparable(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
        {
            var row = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
            row.Remove("tokens_per_second");
            return row.ToJsonString();
        });
        Assert.Equal(Comparable(straightDir.Path), Comparable(resumedDir.Path));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void NonFiniteLossStopsTrainingNamingTheStepAndKeepsTheLastCheckpoint(float poison, string named)
    {
        using var run = new TempDirectory();
        using var model = new LanguageModel(TinyModels.Config(), seed: 2);
        var examples = CopyTask(64, seed: 1);
        var config = Quick(epochs: 1) with { BatchSize = 8, CheckpointEvery = 1 };
        int calls = 0;
        var loop = new TrainingLoop(model, config, run.Path);
        var error = Assert.Throws<TrainingDivergedException>(() => loop.Run("toy", examples, batch =>
        {
            using var sequences = SequenceBatch.Create(batch.Select(e => (e.Prompt, e.Completion)).ToArray(), ByteTokenizer.Pad, 64, CPU);
            Tensor loss = PreferenceLosses.Sft(LanguageModel.TokenLogProbs(model.Forward(sequences.Ids), sequences.Ids), sequences.CompletionMask);
            if (++calls == 3) loss = loss + tensor(poison);
            return new StepOutput(loss, new Dictionary<string, Tensor>(), sequences.TokenCount);
        }));
        Assert.Contains("step 3", error.Message);
        Assert.Contains(named, error.Message);
        string kept = TrainingCheckpoint.Path(run.Path, 2);
        Assert.Contains(kept, error.Message);
        using var reloaded = new LanguageModel(TinyModels.Config(), seed: 77);
        TrainingCheckpoint.LoadModelWeights(reloaded, Path.Combine(kept, "model.safetensors"));
        foreach (var (name, value) in model.state_dict())
            Assert.True(value.allclose(reloaded.state_dict()[name], rtol: 0, atol: 0), $"{name}: the NaN step must not have touched the weights");
    }

    [Fact]
    public void EveryLoggedStepAveragesAtLeastHalfABatchAndCountsItsExamplesAndTokens()
    {
        // 41 examples in batches of 8 used to end each epoch on a step of one example, whose loss
        // spiked the curve (1.64 after 0.28 in a smoke run's Bradley-Terry log) and whose epoch read 1.17.
        using var model = new LanguageModel(TinyModels.Config(), seed: 2);
        var examples = CopyTask(41, seed: 1);
        var result = new SftTrainer(model, new SftTrainerConfig { Training = Quick(epochs: 2) with { BatchSize = 8 } }, ByteTokenizer.Pad).Train(examples);
        Assert.Equal([8, 8, 8, 8, 9, 8, 8, 8, 8, 9], result.Metrics.Select(r => (int)r["examples"]));
        Assert.Equal(1.0, result.Metrics[4]["epoch"], 12);
        Assert.Equal(2.0, result.Metrics[^1]["epoch"], 12);
        Assert.All(result.Metrics, r => Assert.True(r["tokens"] >= r["examples"], "every example has at least one real token"));
    }

    sealed class Recorder(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onReport(value);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOverFiveHundredSteps()
    {
        using var model = new LanguageModel(TinyModels.Config(labels: 1), seed: 1);
        var pairs = PlantedFeaturePairs(1000, seed: 3);
        var live = new Dictionary<int, long>();
        var progress = new Recorder(p =>
        {
            if (p.Step is 100 or 500) live[p.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        });
        var config = new RewardModelTrainerConfig { Training = Quick(epochs: 1) with { BatchSize = 2 } };
        new RewardModelTrainer(model, config, ByteTokenizer.Pad).Train(pairs, progress: progress);
        Assert.Equal(live[100], live[500]);
    }
}
