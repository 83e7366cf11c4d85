using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Judging;

/// <summary>
/// PairRM-style judge: both responses in one input (the direct judge prompt, no reply), read by a
/// two-way head whose softmax gives P(A better), P(B better). <c>progress</c> hears of the comparisons read, as "<c>method</c> judging".
/// </summary>
public sealed class PairwiseClassifierJudge : IPreferenceJudge
{
    readonly LanguageModel model;
    readonly ConversationEncoder encoder;
    readonly IJudgePromptFormat format;
    readonly int batchSize;
    readonly int maxLength;
    readonly IProgress<TrainingProgress>? progress;

    public PairwiseClassifierJudge(string method, LanguageModel model, ConversationEncoder encoder, IJudgePromptFormat format, int batchSize = 32, int maxLength = 4096,
        IProgress<TrainingProgress>? progress = null)
    {
        if (model.Config.NumLabels != 2)
            throw new ArgumentException("A pairwise classifier needs a two-way head (num_labels = 2).", nameof(model));
        (Method, this.model, this.encoder, this.format, this.batchSize, this.maxLength, this.progress) = (method, model, encoder, format, batchSize, maxLength, progress);
    }

    public string Method { get; }

    /// <summary>The classifier's input for one comparison (also what its trainer feeds it).</summary>
    public static int[] Input(ConversationEncoder encoder, IJudgePromptFormat format, JudgeItem item) =>
        encoder.Prompt(format.Direct(item.Prompt, item.ResponseA, item.ResponseB));

    public IReadOnlyList<Judgement> Judge(IReadOnlyList<JudgeItem> items, CancellationToken cancellation = default)
    {
        var rows = items.Select(i => SequenceBatch.WholeInput(Input(encoder, format, i))).ToArray();
        float[] logits = ModelReadout.Scores(model, rows, encoder.Tokenizer.PadId, batchSize, maxLength, progress, $"{Method} judging", cancellation);
        return [.. items.Select((_, i) => Judgement.FromProbability(1 / (1 + Math.Exp(logits[2 * i + 1] - logits[2 * i]))))];
    }

    /// <summary>The direct judge prompt holding both responses, as the classifier reads it.</summary>
    public InputRefusal? Refusal(JudgeItem item) =>
        JudgeInputScreen.Measure(() => Input(encoder, format, item).Length, Math.Min(maxLength, model.Config.LongestSequence), "the judge prompt");
}
