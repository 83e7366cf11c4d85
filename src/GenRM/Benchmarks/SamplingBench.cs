using GenRM.Experiments;
using GenRM.Generation;
using GenRM.Judging;

namespace GenRM.Benchmarks;

/// <summary>
/// Sampling throughput on chain-of-thought judge prompts: the KV cache at batch 1, 32 and 128, the
/// same runs recomputing the whole sequence each step (batch 1 and 32; recomputing 128 rows takes
/// minutes), and STaR's rationale sampling as the study runs it. EOS is ignored where a fixed
/// amount of work is timed.
/// </summary>
internal static class SamplingBench
{
    static readonly int[] Batches = [1, 32, 128];
    static readonly int[] RecomputeBatches = [1, 32];

    public static IEnumerable<BenchFigure> Run(BenchSetup setup, BenchConfig config, TextWriter? log)
    {
        var generator = new TextGenerator(setup.Model, setup.Encoder.Tokenizer);
        var prompts = setup.EvaluationPairs.Select(setup.ChainOfThoughtPrompt).ToArray();
        var fixedWork = new GenerationOptions { Temperature = 1.0, TopP = 0.95, EosIds = [], Seed = config.Seed };
        double Time(int batch, int tokens, bool cache, bool managed = true) => BenchTiming.MedianSeconds(setup.Device, config.SampleRepeats,
            () => generator.Generate(BenchSetup.Take(prompts, batch), fixedWork with { MaxNewTokens = tokens, UseKvCache = cache, ManagedDecoding = managed }));

        Time(1, 2, true);
        foreach (int batch in Batches)
        {
            double rate = batch * config.SampleTokens / Time(batch, config.SampleTokens, true);
            log?.WriteLine($"  sampling batch {batch}: {rate:N0} tokens/s");
            yield return new BenchFigure($"sample_kv_batch{batch}_tokens_per_s", rate, "tokens/s", $"KV-cache sampling, {config.SampleTokens} new tokens per row, prompt read included");
            if (!CpuDecoder.Supports(setup.Model)) continue;
            // The same work with every step in libtorch: what the managed steps gain on this machine.
            double libtorch = batch * config.SampleTokens / Time(batch, config.SampleTokens, true, managed: false);
            log?.WriteLine($"  sampling batch {batch}, libtorch steps: {libtorch:N0} tokens/s");
            yield return new BenchFigure($"sample_kv_libtorch_steps_batch{batch}_tokens_per_s", libtorch, "tokens/s", "the same with every decoding step in libtorch (GenerationOptions.ManagedDecoding off)");
            yield return new BenchFigure($"sample_managed_speedup_batch{batch}", rate / libtorch, "x", "managed decoding steps over libtorch's, same work");
        }
        foreach (int batch in RecomputeBatches)
        {
            double cached = Time(batch, config.RecomputeTokens, true), recomputed = Time(batch, config.RecomputeTokens, false);
            log?.WriteLine($"  recompute batch {batch}: {batch * config.RecomputeTokens / recomputed:N0} tokens/s, KV speed-up {recomputed / cached:F1}x");
            yield return new BenchFigure($"sample_recompute_batch{batch}_tokens_per_s", batch * config.RecomputeTokens / recomputed, "tokens/s", $"recomputing the whole sequence, {config.RecomputeTokens} new tokens per row");
            yield return new BenchFigure($"sample_kv_speedup_batch{batch}", recomputed / cached, "x", $"KV cache over recompute, {config.RecomputeTokens} new tokens per row");
        }

        var star = JudgeFactory.RationaleSampling(new StarSettings { MaxRationaleTokens = config.SampleTokens }, config.Seed);
        var starPrompts = BenchSetup.Take(prompts, config.StarBatchSize);
        const int SamplesPerItem = 2;
        IReadOnlyList<Completion> completions = [];
        double seconds = BenchTiming.MedianSeconds(setup.Device, config.SampleRepeats,
            () => completions = RationaleSampler.Sample(setup.Model, setup.Encoder.Tokenizer, starPrompts, SamplesPerItem, star, config.StarBatchSize));
        double rationales = completions.Count / seconds;
        log?.WriteLine($"  STaR sampling: {rationales:F1} rationales/s");
        yield return new BenchFigure("star_rationales_per_s", rationales, "1/s", $"STaR rationale sampling (k = {SamplesPerItem}, batch {config.StarBatchSize}, up to {config.SampleTokens} tokens, stops at EOS)");
        yield return new BenchFigure("star_tokens_per_s", completions.Sum(c => c.TokenIds.Length) / seconds, "tokens/s", "the same run's generated tokens");
    }
}
