using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>How a generative judge reads its preference.</summary>
public enum JudgeReadout
{
    /// <summary>Next-token probabilities of the two verdicts after the direct prompt (zero-shot, GenRM).</summary>
    VerdictProbability,
    /// <summary>Sample reasoning k times, parse each verdict, majority vote (zero-shot CoT, STaR).</summary>
    ChainOfThought,
}

/// <summary>Settings of a generative judge. The paper samples with temperature 1.0, top-p 0.95, and votes over 32 samples in evaluation.</summary>
public sealed record GenerativeJudgeConfig
{
    public JudgeReadout Readout { get; init; } = JudgeReadout.ChainOfThought;
    /// <summary>Samples per item for the chain-of-thought vote (k).</summary>
    public int Samples { get; init; } = 1;
    public GenerationOptions Sampling { get; init; } = new() { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 512 };
    /// <summary>Sequences per forward pass.</summary>
    public int BatchSize { get; init; } = 32;
    public int MaxLength { get; init; } = 4096;
}

/// <summary>
/// An LLM as judge: the zero-shot judges, GenRM and the STaR judges are this class over different
/// weights. With <see cref="JudgeReadout.VerdictProbability"/>, P(A better) = p([[A]]) / (p([[A]]) + p([[B]]))
/// after the direct prompt. With <see cref="JudgeReadout.ChainOfThought"/>, k rationales are sampled
/// after the chain-of-thought prompt, each verdict parsed (RewardBench's rule), and the majority
/// taken; P(A better) is the share of A among parsed votes, and no parsed vote or a tie is no verdict.
/// </summary>
public sealed class GenerativeJudge(string method, ICompletionSource source, IJudgePromptFormat format, GenerativeJudgeConfig config) : IPreferenceJudge
{
    /// <summary>
    /// A judge over a model in this process; <paramref name="progress"/> hears of its work (rationales
    /// sampled, verdicts read) as <paramref name="phase"/> (default "<paramref name="method"/> judging"), and a
    /// <paramref name="journal"/> keeps the rationales as they finish.
    /// </summary>
    public GenerativeJudge(string method, LanguageModel model, ConversationEncoder encoder, IJudgePromptFormat format, GenerativeJudgeConfig config,
        IProgress<TrainingProgress>? progress = null, SamplingJournal? journal = null, string? phase = null)
        : this(method, new LocalCompletionSource(model, encoder, config.BatchSize, config.MaxLength, progress, phase ?? $"{method} judging", journal), format, config)
    {
    }

    public string Method => method;

    /// <summary>What produced this judge's readouts (<see cref="ICompletionSource.Source"/>).</summary>
    public string Source => source.Source;

    /// <summary>
    /// The same judge read once greedily: one rationale per item at temperature 0, so the verdict
    /// carries no sampling noise (reported beside the majority vote).
    /// </summary>
    public GenerativeJudge Greedy() =>
        new(method, source, format, config with { Samples = 1, Sampling = config.Sampling with { Temperature = 0 } });

    public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
        config.Readout == JudgeReadout.VerdictProbability ? ByVerdictProbability(items, cancellation) : ByVote(items, cancellation);

    /// <summary>
    /// The direct prompt with the longer verdict reply, or the chain-of-thought prompt with its budget of
    /// new tokens, as the source reads it.
    /// </summary>
    public InputRefusal? Refusal(JudgeItem item) => config.Readout == JudgeReadout.VerdictProbability
        ? source.Refusal(format.Direct(item.Prompt, item.ResponseA, item.ResponseB), [format.Reply(null, Verdict.A), format.Reply(null, Verdict.B)], 0)
        : source.Refusal(format.ChainOfThought(item.Prompt, item.ResponseA, item.ResponseB), [], config.Sampling.MaxNewTokens);

    IReadOnlyList<Judgement> ByVerdictProbability(IReadOnlyList<JudgeItem> items, CancellationToken cancellation)
    {
        var prompts = items.Select(i => format.Direct(i.Prompt, i.ResponseA, i.ResponseB)).ToArray();
        var probabilities = source.VerdictProbabilities(prompts, format.Reply(null, Verdict.A), format.Reply(null, Verdict.B), cancellation);
        return [.. probabilities.Select(Judgement.FromProbability)];
    }

    IReadOnlyList<Judgement> ByVote(IReadOnlyList<JudgeItem> items, CancellationToken cancellation)
    {
        var prompts = items.Select(i => format.ChainOfThought(i.Prompt, i.ResponseA, i.ResponseB)).ToArray();
        IReadOnlyList<string> texts = source.Sample(prompts, config.Samples, config.Sampling, cancellation);
        return [.. items.Select((_, i) => Vote(texts.Skip(i * config.Samples).Take(config.Samples).ToArray()))];
    }

    /// <summary>The majority verdict over sampled rationales.</summary>
    public static Judgement Vote(IReadOnlyList<string> rationales)
    {
        Verdict[] votes = [.. rationales.Select(VerdictParser.Parse)];
        int a = votes.Count(v => v == Verdict.A), b = votes.Count(v => v == Verdict.B);
        double probability = a + b == 0 ? 0.5 : (double)a / (a + b);
        return new Judgement(probability, Majority(votes), Rationales: rationales, Votes: votes);
    }

    /// <summary>The verdict most votes name; None on a tie (no parsed vote included).</summary>
    public static Verdict Majority(IReadOnlyList<Verdict> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        int a = votes.Count(v => v == Verdict.A), b = votes.Count(v => v == Verdict.B);
        return a > b ? Verdict.A : b > a ? Verdict.B : Verdict.None;
    }
}

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
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var generator = new TextGenerator(model, tokenizer);
        var expanded = prompts.SelectMany(p => Enumerable.Repeat(p, samples)).ToArray();
        // Batches of similar prompt lengths waste less of each step on left padding (measured ~10 % faster on MiniWorld).
        int[] order = [.. Enumerable.Range(0, expanded.Length).OrderBy(i => expanded[i].Length).ThenBy(i => i)];
        var result = new Completion[expanded.Length];
        var kept = journal?.Next(prompts, samples, options, batchSize);
        var report = new ItemsProgress(progress, phase, expanded.Length);
        for (int start = 0, batch = 0; start < order.Length; start += batchSize, batch++)
        {
            int[] chunk = order[start..Math.Min(order.Length, start + batchSize)];
            IReadOnlyList<Completion> completions;
            long generated = 0;
            if (kept is not null && kept.TryGet(batch, out var journaled) && journaled.Length == chunk.Length)
            {
                completions = journaled;
            }
            else
            {
                completions = generator.Generate([.. chunk.Select(i => expanded[i])], options with { Seed = options.Seed * 1_000_003 + batch }, cancellation);
                kept?.Record(batch, completions);
                generated = completions.Sum(c => (long)c.TokenIds.Length);
            }
            for (int j = 0; j < chunk.Length; j++)
                result[chunk[j]] = completions[j];
            report.Advance(chunk.Length, generated);
        }
        return result;
    }
}
