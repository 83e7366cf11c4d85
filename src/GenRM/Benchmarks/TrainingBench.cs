using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>
/// Training-step throughput of the Bradley-Terry, SFT and DPO trainers, in fp32 and with bf16
/// weights (fp32 master copies), through the trainers' own loop. BT trains on MiniWorld's
/// (prompt, response) pairs; SFT and DPO on chain-of-thought judge prompts followed by a response,
/// the shape of STaR's training sequences. Tokens are real (non-padding) tokens; FLOPs are counted by
/// <see cref="ModelFlops"/> on the real tokens, so padding shows up as a lower rate.
/// </summary>
internal static class TrainingBench
{
    public static IEnumerable<BenchFigure> Run(BenchSetup setup, BenchConfig config, MatmulBench matmul, TextWriter? log)
    {
        int count = config.TrainBatchSize * (config.TrainWarmupSteps + config.TrainMeasuredSteps);
        var pairs = BenchSetup.Take(setup.TrainPairs, count);
        var preference = JudgeTrainingData.BradleyTerry(pairs, setup.Encoder).ToArray();
        var judged = pairs.Select(setup.ChainOfThoughtReplies).ToArray();
        foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            string suffix = dtype == ScalarType.Float32 ? "fp32" : "bf16";
            foreach (string kind in new[] { "bt", "sft", "dpo" })
            {
                double reference = matmul.Measure(dtype);
                var (tokensPerSecond, flopsPerToken, realShare, groupedShare) = Measure(setup, config, kind, dtype, preference, judged);
                double flops = tokensPerSecond * flopsPerToken;
                log?.WriteLine($"  train {kind} {suffix}: {tokensPerSecond:N0} tokens/s, {flops / 1e9:F1} GFLOP/s");
                string name = $"train_{kind}_{suffix}";
                yield return new BenchFigure(name + "_tokens_per_s", tokensPerSecond, "tokens/s", $"{kind.ToUpperInvariant()} training step, {suffix}, batch {config.TrainBatchSize}, real tokens");
                yield return new BenchFigure(name + "_gflops", flops / 1e9, "GFLOP/s", "model FLOP/s (nanoGPT counting)");
                yield return new BenchFigure(name + "_ratio_to_matmul", flops / reference, "x", $"model FLOP/s over the {suffix} matmul rate measured just before");
                if (dtype == ScalarType.Float32)
                {
                    yield return new BenchFigure($"train_{kind}_padding_ratio_real_to_padded", realShare, "x", "real tokens over padded batch positions as the study batches them (1: no padding waste)");
                    yield return new BenchFigure($"train_{kind}_grouped_padding_ratio_real_to_padded", groupedShare, "x", "the same with TrainingConfig.GroupByLength");
                }
            }
        }
    }

    static (double TokensPerSecond, double FlopsPerToken, double RealShare, double GroupedRealShare) Measure(BenchSetup setup, BenchConfig config, string kind, ScalarType dtype,
        PreferenceExample[] preference, PreferenceExample[] judged)
    {
        var training = new TrainingConfig
        {
            // A tiny rate: the weights barely move, so every step does the same work.
            Optimizer = new OptimizerConfig { LearningRate = 1e-7 },
            BatchSize = config.TrainBatchSize,
            MaxLength = MiniWorld.MiniWorldModel.ContextLength,
            Seed = config.Seed,
            // As the study trains them (MethodSettings.PairTraining): pair trainers group batches by length.
            GroupByLength = kind != "sft",
        };
        using LanguageModel model = kind == "bt" ? setup.Model.WithRewardHead(1, config.Seed) : setup.Model.Clone();
        model.to(dtype);
        TrainingResult result;
        // Each example's rows (one, or chosen and rejected) as token counts, to count padding, and the
        // width the trainer groups batches by.
        int[][] rows;
        int[]? groupWidths = null;
        switch (kind)
        {
            case "bt":
                result = new RewardModelTrainer(model, new RewardModelTrainerConfig { Training = training }, setup.PadId).Train(preference);
                rows = [.. preference.Select(e => new[] { e.Prompt.Length + e.Chosen.Length, e.Prompt.Length + e.Rejected.Length })];
                break;
            case "sft":
                var sft = judged.Select(e => new SftExample(e.Prompt, e.Chosen)).ToArray();
                result = new SftTrainer(model, new SftTrainerConfig { Training = training }, setup.PadId).Train(sft);
                rows = [.. sft.Select(e => new[] { e.Length })];
                break;
            default:
                var dpo = judged.Select(e => new DpoExample(e, 0f, 0f)).ToArray();
                result = new DpoTrainer(model, new DpoTrainerConfig { Training = training }, setup.PadId).Train(dpo);
                // One row per pair, the prompt read once (SharedPromptBatch), where every pair fits.
                bool shared = SharedPromptBatch.Fits([.. judged.Select(e => (e.Prompt, new[] { e.Chosen, e.Rejected }))], training.MaxLength, model.Config);
                rows = [.. judged.Select(e => shared
                    ? new[] { e.Prompt.Length + e.Chosen.Length + e.Rejected.Length }
                    : new[] { e.Prompt.Length + e.Chosen.Length, e.Prompt.Length + e.Rejected.Length })];
                groupWidths = [.. dpo.Select(e => Math.Min(e.Pair.Length, training.MaxLength))];
                break;
        }
        double tokensPerSecond = BenchTiming.Median([.. result.Metrics.Skip(config.TrainWarmupSteps).Select(row => row["tokens_per_second"])]);
        long matrixParameters = ModelFlops.MatrixParameters(model, withLmHead: kind != "bt");
        int maxLength = training.MaxLength;
        int[][] trimmed = [.. rows.Select(example => example.Select(length => Math.Min(length, maxLength)).ToArray())];
        int[] widths = groupWidths ?? [.. trimmed.Select(example => example.Max())];
        var batches = BatchPlan.MicroBatches(trimmed.Length, training, widths);
        var grouped = BatchPlan.MicroBatches(trimmed.Length, training with { GroupByLength = true }, widths);
        return (tokensPerSecond, ModelFlops.TrainingFlopsPerToken(model.Config, matrixParameters, trimmed.SelectMany(example => example)),
            RealShare(trimmed, batches), RealShare(trimmed, grouped));
    }

    // Real tokens over padded positions in the batches the trainer cut (each batch pads to its longest row).
    static double RealShare(int[][] rowLengths, IEnumerable<int[]> batches)
    {
        long real = 0, padded = 0;
        foreach (int[] batch in batches)
        {
            int[] lengths = [.. batch.SelectMany(i => rowLengths[i])];
            real += lengths.Sum();
            padded += (long)lengths.Max() * lengths.Length;
        }
        return (double)real / padded;
    }
}
