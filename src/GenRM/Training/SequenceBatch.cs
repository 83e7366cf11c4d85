using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// Prompt + completion sequences, right-padded into one batch: ids, attention mask (1 for tokens),
/// and completion mask (1 for the completion's tokens, which carry the loss). Right padding keeps
/// plain causal attention exact for every real token.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    public Tensor Ids { get; }
    public Tensor AttentionMask { get; }
    public Tensor CompletionMask { get; }
    /// <summary>Real (non-padding) tokens in the batch.</summary>
    public long TokenCount { get; }

    SequenceBatch(Tensor ids, Tensor attentionMask, Tensor completionMask, long tokenCount)
    {
        Ids = ids;
        AttentionMask = attentionMask;
        CompletionMask = completionMask;
        TokenCount = tokenCount;
    }

    /// <summary>
    /// Builds the batch. A sequence longer than <paramref name="maxLength"/> loses prompt tokens from
    /// the left first (the completion is what is learned), then completion tokens from the right.
    /// </summary>
    public static SequenceBatch Create(IReadOnlyList<(int[] Prompt, int[] Completion)> rows, int padId, int maxLength, Device device)
    {
        var trimmed = rows.Select(r => Trim(r.Prompt, r.Completion, maxLength)).ToArray();
        int width = trimmed.Max(r => r.Prompt.Length + r.Completion.Length);
        var ids = new long[rows.Count * width];
        var attention = new long[rows.Count * width];
        var completion = new long[rows.Count * width];
        long tokens = 0;
        for (int row = 0; row < trimmed.Length; row++)
        {
            var (prompt, answer) = trimmed[row];
            int offset = row * width;
            for (int i = 0; i < width; i++)
            {
                bool inPrompt = i < prompt.Length, inAnswer = !inPrompt && i < prompt.Length + answer.Length;
                ids[offset + i] = inPrompt ? prompt[i] : inAnswer ? answer[i - prompt.Length] : padId;
                attention[offset + i] = inPrompt || inAnswer ? 1 : 0;
                completion[offset + i] = inAnswer ? 1 : 0;
            }
            tokens += prompt.Length + answer.Length;
        }
        long[] shape = [rows.Count, width];
        return new SequenceBatch(tensor(ids, shape, device: device), tensor(attention, shape, device: device), tensor(completion, shape, device: device), tokens);
    }

    /// <summary>
    /// A whole input read by a head on its last token (PairRM), as a batch row: the batch builder wants a
    /// non-empty completion, and the last token plays that part.
    /// </summary>
    public static (int[] Prompt, int[] Completion) WholeInput(int[] input) => (input[..^1], input[^1..]);

    static (int[] Prompt, int[] Completion) Trim(int[] prompt, int[] completion, int maxLength)
    {
        if (completion.Length == 0) throw new ArgumentException("A training example has an empty completion.");
        int excess = prompt.Length + completion.Length - maxLength;
        if (excess <= 0) return (prompt, completion);
        int fromPrompt = Math.Min(excess, Math.Max(0, prompt.Length - 1));
        prompt = prompt[fromPrompt..];
        int fromCompletion = excess - fromPrompt;
        return (prompt, completion[..^Math.Min(fromCompletion, completion.Length - 1)]);
    }

    public void Dispose()
    {
        Ids.Dispose();
        AttentionMask.Dispose();
        CompletionMask.Dispose();
    }
}
