using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Judging;

/// <summary>
/// A Bradley-Terry reward model as a judge: each response is scored on its own (the conversation
/// with the response as the chat template renders it whole, as in training, the head read on the
/// last token) and the two rewards compared. <paramref name="progress"/> hears of the responses read, as "<paramref name="method"/> judging".
/// </summary>
public sealed class RewardModelJudge(string method, LanguageModel model, ConversationEncoder encoder, int batchSize = 32, int maxLength = 4096,
    IProgress<TrainingProgress>? progress = null) : IPreferenceJudge
{
    public string Method => method;

    public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default)
    {
        var rows = items.SelectMany(i =>
        {
            var (prompt, a, b) = encoder.Completions(i.Prompt, i.ResponseA, i.ResponseB);
            return new[] { (prompt, a), (prompt, b) };
        }).ToArray();
        float[] rewards = ModelReadout.Rewards(model, rows, encoder.Tokenizer.PadId, batchSize, maxLength, progress, $"{method} judging", cancellation);
        return [.. items.Select((_, i) => Judgement.FromScores(rewards[2 * i], rewards[2 * i + 1]))];
    }

    /// <summary>The prompt with the longer of the two responses, as the reward model reads each.</summary>
    public InputRefusal? Refusal(JudgeItem item) => JudgeInputScreen.Measure(
        () =>
        {
            var (prompt, a, b) = encoder.Completions(item.Prompt, item.ResponseA, item.ResponseB);
            return prompt.Length + Math.Max(a.Length, b.Length);
        },
        Math.Min(maxLength, model.Config.LongestSequence), "the prompt with the longer response");
}

/// <summary>
/// Batched, gradient-free reads of a model: rewards, head scores, and completion log-probabilities,
/// each reporting its rows read to <c>progress</c> as <c>phase</c>.
/// </summary>
internal static class ModelReadout
{
    /// <summary>Scalar rewards of (prompt, completion) rows, in order.</summary>
    public static float[] Rewards(LanguageModel model, IReadOnlyList<(int[] Prompt, int[] Completion)> rows, int padId, int batchSize, int maxLength, IProgress<TrainingProgress>? progress, string phase,
        CancellationToken cancellation) =>
        Batched(model, rows, padId, batchSize, maxLength, batch => model.Rewards(batch.Ids, batch.AttentionMask), 1, progress, phase, cancellation);

    /// <summary>The reward head's outputs [rows × labels], row-major.</summary>
    public static float[] Scores(LanguageModel model, IReadOnlyList<(int[] Prompt, int[] Completion)> rows, int padId, int batchSize, int maxLength, IProgress<TrainingProgress>? progress, string phase,
        CancellationToken cancellation) =>
        Batched(model, rows, padId, batchSize, maxLength, batch => model.Scores(batch.Ids, batch.AttentionMask), model.Config.NumLabels, progress, phase, cancellation);

    /// <summary>Summed log-probabilities of each row's completion given its prompt.</summary>
    public static float[] CompletionLogProbs(LanguageModel model, IReadOnlyList<(int[] Prompt, int[] Completion)> rows, int padId, int batchSize, int maxLength, IProgress<TrainingProgress>? progress, string phase,
        CancellationToken cancellation) =>
        Batched(model, rows, padId, batchSize, maxLength, batch => model.SequenceLogProbs(batch.Ids, batch.AttentionMask, batch.CompletionMask), 1, progress, phase, cancellation);

    /// <summary>
    /// Summed log-probabilities of each prompt's completions [rows × completions], row-major, read
    /// <paramref name="batchSize"/> / completions prompts at a time: each prompt once with all its
    /// completions after it (<see cref="SharedPromptBatch"/>), or, in a batch where one would be
    /// shortened, as separate rows.
    /// </summary>
    public static float[] SharedPromptLogProbs(LanguageModel model, IReadOnlyList<(int[] Prompt, int[][] Completions)> rows, int padId, int batchSize, int maxLength,
        IProgress<TrainingProgress>? progress, string phase, CancellationToken cancellation)
    {
        int branches = rows.Count == 0 ? 0 : rows[0].Completions.Length;
        var result = new float[rows.Count * branches];
        int prompts = Math.Max(1, batchSize / Math.Max(1, branches));
        var report = new ItemsProgress(progress, phase, rows.Count);
        using var noGrad = no_grad();
        model.eval();
        for (int start = 0; start < rows.Count; start += prompts)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var part = rows.Skip(start).Take(prompts).ToArray();
            // Completion-major (every first completion, then every second), packed or not.
            float[] read = SharedPromptBatch.SequenceLogProbs(model, part, padId, maxLength, out long tokens, out _).cpu().data<float>().ToArray();
            for (int r = 0; r < part.Length; r++)
                for (int c = 0; c < branches; c++)
                    result[(start + r) * branches + c] = read[c * part.Length + r];
            report.Advance(part.Length, tokens);
        }
        return result;
    }

    static float[] Batched(LanguageModel model, IReadOnlyList<(int[] Prompt, int[] Completion)> rows, int padId, int batchSize, int maxLength,
        Func<SequenceBatch, Tensor> read, int width, IProgress<TrainingProgress>? progress, string phase, CancellationToken cancellation)
    {
        var result = new float[rows.Count * width];
        var report = new ItemsProgress(progress, phase, rows.Count);
        using var noGrad = no_grad();
        model.eval();
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, rows.Count - start);
            using var batch = SequenceBatch.Create([.. rows.Skip(start).Take(count)], padId, maxLength, model.Device);
            read(batch).to(ScalarType.Float32).cpu().data<float>().CopyTo(result, start * width);
            report.Advance(count, batch.TokenCount);
        }
        return result;
    }
}
