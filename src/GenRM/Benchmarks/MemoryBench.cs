using GenRM.Training;
using TorchSharp;

namespace GenRM.Benchmarks;

/// <summary>
/// Live tensors (<see cref="DisposeScopeManager"/> statistics) and resident memory during a long SFT
/// run of short sequences, read at a tenth of the steps and at the end: both should stay flat. A
/// full garbage collection precedes each reading, so finalizer timing does not show as growth.
/// </summary>
internal static class MemoryBench
{
    const int BatchSize = 2, Length = 32;

    public static IEnumerable<BenchFigure> Run(BenchSetup setup, BenchConfig config, TextWriter? log)
    {
        int early = config.MemorySteps / 10, late = config.MemorySteps;
        var examples = setup.TrainPairs.Take(4 * BatchSize).Select(setup.ChainOfThoughtReplies).Select(e => new SftExample(e.Prompt, e.Chosen)).ToArray();
        var training = new TrainingConfig
        {
            Optimizer = new OptimizerConfig { LearningRate = 1e-7 },
            BatchSize = BatchSize,
            MaxLength = Length,
            Epochs = (late * BatchSize + examples.Length - 1) / examples.Length,
            StopAfterSteps = late,
            Seed = config.Seed,
        };
        using var model = setup.Model.Clone();
        var readings = new Readings(early, late);
        new SftTrainer(model, new SftTrainerConfig { Training = training }, setup.PadId).Train(examples, progress: readings);
        log?.WriteLine($"  memory: live tensors {readings.Live[early]} -> {readings.Live[late]}, resident {readings.ResidentMb[early]:F0} -> {readings.ResidentMb[late]:F0} MB");
        yield return new BenchFigure($"memory_live_tensors_step{early}", readings.Live[early], "tensors", "live tensors after that SFT step");
        yield return new BenchFigure($"memory_live_tensors_step{late}", readings.Live[late], "tensors", "live tensors after that SFT step");
        yield return new BenchFigure("memory_live_tensors_ratio_late_to_early", (double)readings.Live[late] / readings.Live[early], "x", $"step {late} over step {early} (flat: 1)");
        yield return new BenchFigure($"memory_resident_mb_step{early}", readings.ResidentMb[early], "MB", "process resident memory");
        yield return new BenchFigure($"memory_resident_mb_step{late}", readings.ResidentMb[late], "MB", "process resident memory");
        yield return new BenchFigure("memory_resident_ratio_late_to_early", readings.ResidentMb[late] / readings.ResidentMb[early], "x", $"step {late} over step {early} (flat: 1)");
    }

    sealed class Readings(int early, int late) : IProgress<TrainingProgress>
    {
        public Dictionary<int, long> Live { get; } = [];
        public Dictionary<int, double> ResidentMb { get; } = [];

        public void Report(TrainingProgress value)
        {
            if (value.Step != early && value.Step != late) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Live[value.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            ResidentMb[value.Step] = Environment.WorkingSet / 1e6;
        }
    }
}
