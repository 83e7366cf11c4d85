using System.Diagnostics;
using System.Globalization;
using GenRM.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>What one micro-batch contributes: the loss to back-propagate, scalar metrics to log, and its real token count.</summary>
public sealed record StepOutput(Tensor Loss, IReadOnlyDictionary<string, Tensor> Metrics, long Tokens);

/// <summary>
/// The loop every trainer shares: a seeded permutation of the examples per epoch cut into
/// micro-batches, gradient accumulation, clipping and AdamW on a cosine schedule, a JSON-lines
/// metrics log, checkpoints, and resume. A resumed run replays the same data order from the
/// restored step, so its parameters and metrics equal an uninterrupted run's.
/// <paramref name="afterOptimizerStep"/>, when given, runs after each optimizer step with the step's number (1-based), e.g. to update a weight average;
/// <paramref name="checkpointed"/> is state of the run's own (that average) saved in each checkpoint and restored on resume.
/// </summary>
public sealed class TrainingLoop(LanguageModel model, TrainingConfig config, string? runDirectory, IProgress<TrainingProgress>? progress = null, TextWriter? log = null,
    Action<int>? afterOptimizerStep = null, ICheckpointedState? checkpointed = null)
{
    /// <summary>
    /// Trains on <paramref name="examples"/>; <paramref name="step"/> computes one micro-batch's loss under a dispose scope the loop owns.
    /// <paramref name="length"/> gives an example's padded width in tokens, for <see cref="TrainingConfig.GroupByLength"/>; without it batches are cut in shuffled order.
    /// </summary>
    public TrainingResult Run<T>(string phase, IReadOnlyList<T> examples, Func<IReadOnlyList<T>, StepOutput> step, Func<T, int>? length = null,
        CancellationToken cancellation = default)
    {
        config.Validated();
        if (examples.Count == 0) throw new ArgumentException($"{phase}: no training examples.", nameof(examples));
        List<int[]> microBatches = BatchPlan.MicroBatches(examples.Count, config, config.GroupByLength && length is not null ? [.. examples.Select(length)] : null);
        // Examples seen by the end of each micro-batch, for the epoch column (batches differ in size where a short tail was folded in).
        long[] seen = new long[microBatches.Count + 1];
        for (int i = 0; i < microBatches.Count; i++) seen[i + 1] = seen[i] + microBatches[i].Length;
        int totalSteps = (microBatches.Count + config.GradientAccumulation - 1) / config.GradientAccumulation;
        var schedule = new CosineSchedule(config.Optimizer, totalSteps);
        if (config.GradientCheckpointing && config.Lora is { Dropout: > 0 } && model.Device.type != DeviceType.CPU)
            throw new ArgumentException($"{phase}: LoRA dropout with activation checkpointing needs the CPU (the recomputed dropout masks replay the CPU generator only); set the LoRA dropout to 0.");
        if (config.Lora is null && model.Lora is null && model.SharesBaseWeights)
            throw new ArgumentException($"{phase}: full fine-tuning would change the base model whose weights this model shares (LanguageModel.TrainingCopy with LoRA); train adapters, or train a deep copy.");
        if (config.Lora is not null && model.Lora is null) model.AddLora(config.Lora, config.Seed);
        model.GradientCheckpointing = config.GradientCheckpointing;
        using var optimizer = new AdamWOptimizer(model.TrainableParameters(), config.Optimizer);

        int startStep = runDirectory is null ? 0 : TrainingCheckpoint.RestoreLatest(runDirectory, model, optimizer, log, checkpointed);
        string? lastCheckpoint = startStep > 0 ? TrainingCheckpoint.Path(runDirectory!, startStep) : null;
        if (startStep > 0) log?.WriteLine($"{phase}: resumed from step {startStep} of {totalSteps}.");
        using var metrics = new MetricsLog(runDirectory is null ? null : Path.Combine(runDirectory, "metrics.jsonl"), startStep);
        int stopAt = config.StopAfterSteps > 0 ? Math.Min(totalSteps, startStep + config.StopAfterSteps) : totalSteps;

        model.train();
        for (int stepIndex = startStep; stepIndex < stopAt; stepIndex++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            double learningRate = schedule.LearningRate(stepIndex);
            optimizer.ZeroGrad();
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            long tokens = 0;
            int first = stepIndex * config.GradientAccumulation;
            int count = Math.Min(config.GradientAccumulation, microBatches.Count - first);
            for (int micro = first; micro < first + count; micro++)
            {
                using var scope = NewDisposeScope();
                StepOutput output = step(microBatches[micro].Select(i => examples[i]).ToArray());
                double loss = output.Loss.item<float>();
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException(
                        $"{phase}: training stopped at step {stepIndex + 1}: the loss is {loss.ToString(CultureInfo.InvariantCulture)}. " +
                        (lastCheckpoint is null ? "No checkpoint was written by this run." : $"The last good checkpoint is {lastCheckpoint}."));
                (output.Loss / count).backward();
                Add(sums, "loss", loss / count);
                foreach (var (key, value) in output.Metrics)
                    Add(sums, key, value.item<float>() / count);
                tokens += output.Tokens;
            }
            double gradNorm = optimizer.Step(learningRate);
            afterOptimizerStep?.Invoke(stepIndex + 1);
            double seconds = clock.Elapsed.TotalSeconds;
            var row = new Dictionary<string, double>(sums, StringComparer.Ordinal)
            {
                ["step"] = stepIndex + 1,
                ["epoch"] = (double)seen[first + count] / examples.Count,
                ["examples"] = seen[first + count] - seen[first],
                ["tokens"] = tokens,
                ["learning_rate"] = learningRate,
                ["grad_norm"] = gradNorm,
                ["tokens_per_second"] = tokens / Math.Max(seconds, 1e-9),
            };
            metrics.Append(row);
            progress?.Report(new TrainingProgress(phase, stepIndex + 1, totalSteps, sums["loss"], learningRate, row["tokens_per_second"]));
            bool last = stepIndex + 1 == stopAt;
            if (runDirectory is not null && (last || (config.CheckpointEvery > 0 && (stepIndex + 1) % config.CheckpointEvery == 0)))
                lastCheckpoint = TrainingCheckpoint.Save(runDirectory, stepIndex + 1, totalSteps, model, optimizer, config.KeepCheckpoints, checkpointed);
        }
        model.eval();
        return new TrainingResult(phase, stopAt, totalSteps, metrics.Rows.ToList());
    }

    static void Add(Dictionary<string, double> sums, string key, double value) =>
        sums[key] = sums.GetValueOrDefault(key) + value;
}

/// <summary>How a run ended: the step reached, the total planned, and every metrics row.</summary>
public sealed record TrainingResult(string Phase, int Steps, int TotalSteps, IReadOnlyList<IReadOnlyDictionary<string, double>> Metrics)
{
    public bool Finished => Steps == TotalSteps;
}
