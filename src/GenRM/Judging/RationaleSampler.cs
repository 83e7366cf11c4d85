using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>Samples k continuations per prompt in batches; each batch's seed derives from the options' seed, so results repeat.</summary>
public static class RationaleSampler
{
    /// <summary>
    /// Returns prompts.Count × <paramref name="samples"/> completions: every sample of the first prompt, then of the second, ...
    /// <paramref name="progress"/> hears of the sequences finished as <paramref name="phase"/>, before the first batch and after each.
    /// With a <paramref name="journal"/>, each finished batch is kept on disk and a batch it already holds is not sampled again.
    /// </summary>
    public static IReadOnlyList<Completion> Sample(LanguageModel model, ITokenizer tokenizer, IReadOnlyList<int[]> prompts, int samples,
        GenerationOptions options, int batchSize, IProgress<TrainingProgress>? progress = null, string phase = "sampling", SamplingJournal? journal = null,
        CancellationToken cancellation = default) =>
        Run(model, tokenizer, prompts, samples, withGreedy: false, options, batchSize, progress, phase, journal, cancellation).Samples;

    /// <summary>
    /// <see cref="Sample"/>'s completions, which it leaves as they are, and one greedy completion per
    /// prompt (temperature 0), decoded in the batch of the prompt's first sample so that the prompt is
    /// read once for both.
    /// </summary>
    public static (IReadOnlyList<Completion> Samples, IReadOnlyList<Completion> Greedy) SampleWithGreedy(LanguageModel model, ITokenizer tokenizer,
        IReadOnlyList<int[]> prompts, int samples, GenerationOptions options, int batchSize, IProgress<TrainingProgress>? progress = null,
        string phase = "sampling", SamplingJournal? journal = null, CancellationToken cancellation = default) =>
        Run(model, tokenizer, prompts, samples, withGreedy: true, options, batchSize, progress, phase, journal, cancellation);

    /// <summary>The samples, and the greedy completions where asked (none otherwise).</summary>
    static (Completion[] Samples, Completion[] Greedy) Run(LanguageModel model, ITokenizer tokenizer, IReadOnlyList<int[]> prompts, int samples, bool withGreedy,
        GenerationOptions options, int batchSize, IProgress<TrainingProgress>? progress, string phase, SamplingJournal? journal, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var generator = new TextGenerator(model, tokenizer);
        var expanded = prompts.SelectMany(p => Enumerable.Repeat(p, samples)).ToArray();
        // Batches of similar prompt lengths waste less of each step on left padding (measured ~10 % faster on MiniWorld).
        int[] order = [.. Enumerable.Range(0, expanded.Length).OrderBy(i => expanded[i].Length).ThenBy(i => i)];
        var sampled = new Completion[expanded.Length];
        var greedy = new Completion[withGreedy ? prompts.Count : 0];
        var kept = journal?.Next(prompts, samples, withGreedy, options, batchSize);
        var report = new ItemsProgress(progress, phase, expanded.Length + greedy.Length);
        for (int start = 0, batch = 0; start < order.Length; start += batchSize, batch++)
        {
            int[] chunk = order[start..Math.Min(order.Length, start + batchSize)];
            int[] greedyPrompts = withGreedy ? [.. chunk.Where(i => i % samples == 0).Select(i => i / samples)] : [];
            IReadOnlyList<Completion> completions;
            long generated = 0;
            if (kept is not null && kept.TryGet(batch, out var journaled) && journaled.Length == chunk.Length + greedyPrompts.Length)
            {
                completions = journaled;
            }
            else
            {
                int[][] rows = [.. chunk.Select(i => expanded[i]), .. greedyPrompts.Select(p => prompts[p])];
                bool[]? isGreedy = withGreedy ? [.. rows.Select((_, row) => row >= chunk.Length)] : null;
                completions = generator.Generate(rows, options with { Seed = options.Seed * 1_000_003 + batch }, isGreedy, cancellation);
                kept?.Record(batch, completions);
                generated = completions.Sum(c => (long)c.TokenIds.Length);
            }
            for (int j = 0; j < chunk.Length; j++)
                sampled[chunk[j]] = completions[j];
            for (int j = 0; j < greedyPrompts.Length; j++)
                greedy[greedyPrompts[j]] = completions[chunk.Length + j];
            report.Advance(chunk.Length + greedyPrompts.Length, generated);
        }
        return (sampled, greedy);
    }
}
