using GenRM.Data;
using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>
/// Continuations from a model in this process: prompts go through the model's chat template, sampling
/// through <see cref="RationaleSampler"/> (whose finished batches a <paramref name="journal"/> keeps, so
/// that stopped sampling resumes); <paramref name="progress"/> hears of both, as <paramref name="phase"/>.
/// </summary>
public sealed class LocalCompletionSource(LanguageModel model, ConversationEncoder encoder, int batchSize, int maxLength,
    IProgress<TrainingProgress>? progress = null, string phase = "sampling", SamplingJournal? journal = null) : ICompletionSource
{
    public string Source => "local";

    public IReadOnlyList<string> Sample(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples, GenerationOptions options, CancellationToken cancellation = default) =>
        [.. RationaleSampler.Sample(model, encoder.Tokenizer, [.. prompts.Select(encoder.Prompt)], samples, options, batchSize, progress, phase, journal, cancellation).Select(c => c.Text)];

    /// <summary>Reads each prompt once for its samples and its greedy continuation (<see cref="RationaleSampler.SampleWithGreedy"/>).</summary>
    public (IReadOnlyList<string> Samples, IReadOnlyList<string> Greedy) SampleWithGreedy(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples,
        GenerationOptions options, CancellationToken cancellation = default)
    {
        var (sampled, greedy) = RationaleSampler.SampleWithGreedy(model, encoder.Tokenizer, [.. prompts.Select(encoder.Prompt)], samples, options, batchSize, progress, phase, journal, cancellation);
        return ([.. sampled.Select(c => c.Text)], [.. greedy.Select(c => c.Text)]);
    }

    /// <summary>P(A better) = p(replyA) / (p(replyA) + p(replyB)), each reply's whole-sequence probability after the prompt.</summary>
    public IReadOnlyList<double> VerdictProbabilities(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, string replyA, string replyB, CancellationToken cancellation = default)
    {
        int[] idsA = encoder.Tokenizer.Encode(replyA);
        int[] idsB = encoder.Tokenizer.Encode(replyB);
        var rows = prompts.Select(prompt => (encoder.Prompt(prompt), new[] { idsA, idsB })).ToArray();
        float[] logProbs = ModelReadout.SharedPromptLogProbs(model, rows, encoder.Tokenizer.PadId, batchSize, maxLength, progress, phase, cancellation);
        return [.. prompts.Select((_, i) => 1 / (1 + Math.Exp(logProbs[2 * i + 1] - logProbs[2 * i])))];
    }

    /// <summary>Refuses what the tokenizer cannot encode, or what does not fit the model's positions (and <c>maxLength</c>).</summary>
    public InputRefusal? Refusal(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<string> replies, int newTokens) =>
        JudgeInputScreen.Measure(
            () => encoder.Prompt(prompt).Length + replies.Select(r => encoder.Tokenizer.Encode(r).Length).DefaultIfEmpty(0).Max() + newTokens,
            Math.Min(maxLength, model.Config.LongestSequence),
            newTokens > 0 ? $"the judge prompt with {newTokens} new tokens" : "the judge prompt with its verdict");
}
