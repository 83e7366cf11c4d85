using GenRM.Data;
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

    public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default) =>
        config.Readout == JudgeReadout.VerdictProbability ? ByVerdictProbability(items, cancellation) : ByVote(items, cancellation);

    /// <summary>
    /// A chain-of-thought judge's vote and, beside it, its greedy single readout: one rationale per item
    /// at temperature 0, whose verdict carries no sampling noise. The source reads each prompt once for
    /// both (<see cref="ICompletionSource.SampleWithGreedy"/>).
    /// </summary>
    public (IReadOnlyList<Judgement> Votes, IReadOnlyList<Judgement> Greedy) JudgeWithGreedy(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default)
    {
        if (config.Readout != JudgeReadout.ChainOfThought)
            throw new InvalidOperationException($"{method} reads verdict probabilities; only a chain-of-thought judge has a greedy rationale.");
        var (texts, greedy) = source.SampleWithGreedy(Prompts(items), config.Samples, config.Sampling, cancellation);
        return (Votes(items, texts), [.. greedy.Select(text => Vote([text]))]);
    }

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

    Judgement[] ByVote(IReadOnlyList<JudgeItem> items, CancellationToken cancellation) =>
        Votes(items, source.Sample(Prompts(items), config.Samples, config.Sampling, cancellation));

    IReadOnlyList<ChatMessage>[] Prompts(IReadOnlyList<JudgeItem> items) => [.. items.Select(i => format.ChainOfThought(i.Prompt, i.ResponseA, i.ResponseB))];

    /// <summary>Each item's majority over its k consecutive rationales.</summary>
    Judgement[] Votes(IReadOnlyList<JudgeItem> items, IReadOnlyList<string> texts) =>
        [.. items.Select((_, i) => Vote(texts.Skip(i * config.Samples).Take(config.Samples).ToArray()))];

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
