using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Tests.Cli;
using static TorchSharp.torch;

namespace GenRM.Tests.MiniWorld;

public sealed class PretrainingTests
{
    static readonly ModelConfig Tiny = MiniWorldModel.Smoke.Model with { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 2, MaxPositionEmbeddings = 64 };

    static readonly PretrainingConfig FewSteps = new() { Steps = 3, BatchSize = 2, SequenceLength = 64, Seed = 5 };

    [Fact]
    public void SameSeedGivesIdenticalWeights()
    {
        using var first = Pretrain(FewSteps);
        using var second = Pretrain(FewSteps);
        using var otherSeed = Pretrain(FewSteps with { Seed = 6 });
        foreach (var (name, weight) in first.state_dict())
            Assert.True(weight.allclose(second.state_dict()[name], rtol: 0, atol: 0), $"{name} differs between two runs with the same seed");
        Assert.Contains(first.state_dict(), p => !p.Value.allclose(otherSeed.state_dict()[p.Key], rtol: 0, atol: 0));
    }

    [Fact]
    public void PretrainingLowersTheLossAndReportsEveryStep()
    {
        var steps = new List<int>();
        var result = new Pretrainer(MiniWorldConfig.Smoke, CorpusMix.Default, FewSteps with { Steps = 6, LearningRate = 1e-2, WarmupRatio = 0 })
            .Run(Tiny, new Progress(p => steps.Add(p.Step)));
        using var model = result.Model;
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        Assert.True(result.FinalLoss < result.Training.Metrics[0]["loss"], $"loss went from {result.Training.Metrics[0]["loss"]} to {result.FinalLoss}");
    }

    [Fact]
    public void AStoppedRunResumesFromItsCheckpointToTheWeightsOfAnUninterruptedOne()
    {
        var config = FewSteps with { Steps = 6, CheckpointEvery = 2 };
        using var straight = Pretrain(config);
        using var temp = new TempDirectory();

        // Stopped as Ctrl+C stops it, during step 4: the checkpoint of step 2 is the newest.
        using var stop = new CancellationTokenSource();
        var pretrainer = new Pretrainer(MiniWorldConfig.Smoke, CorpusMix.Default, config);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            pretrainer.Run(Tiny, new Progress(p => { if (p.Step == 3) stop.Cancel(); }), runDirectory: temp.Path, cancellation: stop.Token));
        var log = new StringWriter();
        var resumed = pretrainer.Run(Tiny, runDirectory: temp.Path, log: log);
        using var model = resumed.Model;

        Assert.Contains("resumed from step 2 of 6", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(6, resumed.Training.Metrics.Count);
        // The result is the weight average, so this holds only if the average was restored with the weights and the optimizer.
        foreach (var (name, weight) in straight.state_dict())
            Assert.True(weight.allclose(model.state_dict()[name], rtol: 0, atol: 0), $"{name} differs after resuming");
    }

    [Fact]
    public void SavedModelLoadsWithTheMiniWorldTokenizerAndTheSameWeights()
    {
        using var temp = new TempDirectory();
        using var model = new LanguageModel(Tiny, seed: 3);
        MiniWorldBaseModel.Save(model, temp.Path);
        using var loaded = MiniWorldBaseModel.Load(temp.Path);
        Assert.IsType<MiniWorldTokenizer>(loaded.Tokenizer);
        Assert.IsType<MiniWorldChatTemplate>(loaded.Template);
        foreach (var (name, weight) in model.state_dict())
            Assert.True(weight.allclose(loaded.Model.state_dict()[name], rtol: 0, atol: 0), name);
    }

    [Fact]
    public void LoadRefusesAModifiedOrUncheckedWeightsFile()
    {
        using var temp = new TempDirectory();
        using (var model = new LanguageModel(Tiny))
            MiniWorldBaseModel.Save(model, temp.Path);
        string weights = Path.Combine(temp.Path, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        var changed = Assert.Throws<BadInputException>(() => MiniWorldBaseModel.Load(temp.Path));
        Assert.Contains("genrm pretrain", changed.Message);
        Assert.Contains("SHA-256", changed.Message);

        File.Delete(weights + ".sha256");
        var missing = Assert.Throws<BadInputException>(() => MiniWorldBaseModel.Load(temp.Path));
        Assert.Contains("genrm pretrain", missing.Message);
    }

    [Fact]
    public void ContextHoldsTheLongestSequenceOfTheDefaultWorld()
    {
        var lengths = MiniWorldLengths.Measure(WorldFixtures.Default(), new PretrainingCorpus(MiniWorldConfig.Default, CorpusMix.Default), corpusSeed: 1, corpusDocuments: 2000);
        Assert.True(lengths.LongestTokens <= MiniWorldModel.ContextLength - 32, $"{lengths.LongestTokens} tokens leave little slack in {MiniWorldModel.ContextLength} positions");
    }

    [Fact]
    public void PretrainCommandWritesAModelFolderAndARunFolderThatResumeContinuesWithItsOwnSettings()
    {
        using var temp = new TempDirectory();
        string model = temp.File("model"), run = temp.File("run");
        var (code, output, error) = CliContractTests.Run("pretrain", "--preset", "smoke", "--steps", "2", "--probe", "0", "--out", model, "--run", run, "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("loss", output);
        Assert.Contains($"genrm pretrain --resume {run}", output);
        Assert.Contains("pretrain 2/2", error);
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", "step-000002")));
        using (var loaded = MiniWorldBaseModel.Load(model))
            Assert.Equal(MiniWorldModel.Smoke.Model.HiddenSize, loaded.Model.Config.HiddenSize);

        (code, output, error) = CliContractTests.Run("pretrain", "--resume", run, "--probe", "0", "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("resumed from step 2 of 2", output);
        Assert.Contains($"model     {model}", output);

        (code, _, error) = CliContractTests.Run("pretrain", "--resume", run, "--steps", "5");
        Assert.Equal(2, code);
        Assert.Contains("leave out --steps", error);
        (code, _, error) = CliContractTests.Run("pretrain", "--preset", "smoke", "--run", run, "--probe", "0");
        Assert.Equal(2, code);
        Assert.Contains($"--resume {run}", error);
        (code, _, error) = CliContractTests.Run("pretrain", "--resume", temp.Path);
        Assert.Equal(1, code);
        Assert.Contains("pretrain.json: no pretraining run here", error);
    }

    [Fact]
    public void PretrainCommandRefusesAnUnknownPreset()
    {
        var (code, _, error) = CliContractTests.Run("pretrain", "--preset", "huge");
        Assert.Equal(2, code);
        Assert.Contains("huge", error);
    }

    static LanguageModel Pretrain(PretrainingConfig config) => new Pretrainer(MiniWorldConfig.Smoke, CorpusMix.Default, config).Run(Tiny).Model;

    sealed class Progress(Action<GenRM.Training.TrainingProgress> report) : IProgress<GenRM.Training.TrainingProgress>
    {
        public void Report(GenRM.Training.TrainingProgress value) => report(value);
    }
}
