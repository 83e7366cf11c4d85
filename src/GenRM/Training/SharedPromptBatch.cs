using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// Sequences that share a prompt, packed one row per prompt: the prompt once, then each completion
/// (a DPO pair's chosen and rejected, or a judge prompt's [[A]] and [[B]]). A completion's tokens sit at the positions they would have
/// after the prompt alone and attend to the prompt and to their own completion only, so each
/// completion's log-probabilities are those of prompt ++ completion read as one sequence, while the
/// prompt is read once instead of once per completion. Rows are right-padded.
/// </summary>
public sealed class SharedPromptBatch : IDisposable
{
    /// <summary>Token ids [rows, width].</summary>
    public Tensor Ids { get; }
    /// <summary>Each token's position [rows, width]: the prompt's from 0, each completion's from the prompt's length.</summary>
    public Tensor Positions { get; }
    /// <summary>Which keys each token attends to, bool [rows, width, width].</summary>
    public Tensor Allowed { get; }
    /// <summary>Flat indices of the states that predict <see cref="Targets"/>.</summary>
    public Tensor Sources { get; }
    /// <summary>Flat indices of the completions' tokens.</summary>
    public Tensor Targets { get; }
    /// <summary>For each target, its sequence: completion c of row r is sequence c × rows + r (every first completion, then every second, ...).</summary>
    public Tensor Sequences { get; }
    /// <summary>Tokens read: each prompt once and every completion (no padding).</summary>
    public long TokenCount { get; }
    /// <summary>Number of sequences: rows × completions per row.</summary>
    public int SequenceCount { get; }

    SharedPromptBatch(Tensor ids, Tensor positions, Tensor allowed, Tensor sources, Tensor targets, Tensor sequences, long tokenCount, int sequenceCount)
    {
        Ids = ids;
        Positions = positions;
        Allowed = allowed;
        Sources = sources;
        Targets = targets;
        Sequences = sequences;
        TokenCount = tokenCount;
        SequenceCount = sequenceCount;
    }

    /// <summary>
    /// Whether <paramref name="rows"/> pack exactly: every prompt ++ completion fits in
    /// <paramref name="maxLength"/> (a longer one would be trimmed by <see cref="SequenceBatch"/>
    /// from the left, differently for each completion) and <paramref name="config"/> has no
    /// sliding-window layer.
    /// </summary>
    public static bool Fits(IReadOnlyList<(int[] Prompt, int[][] Completions)> rows, int maxLength, ModelConfig config) =>
        SharedPrompts.Supports(config) && rows.All(r => r.Completions.All(c => c.Length > 0 && r.Prompt.Length > 0 && r.Prompt.Length + c.Length <= maxLength));

    /// <summary>Packs rows that each hold one prompt and the same number of completions (see <see cref="Fits"/>).</summary>
    public static SharedPromptBatch Create(IReadOnlyList<(int[] Prompt, int[][] Completions)> rows, int padId, Device device)
    {
        if (rows.Count == 0)
            throw new ArgumentException("a batch needs at least one row.", nameof(rows));
        int count = rows.Count, branches = rows[0].Completions.Length;
        if (rows.Any(r => r.Completions.Length != branches || r.Prompt.Length == 0 || r.Completions.Any(c => c.Length == 0)))
            throw new ArgumentException("every row needs a prompt and the same number of non-empty completions.", nameof(rows));
        int width = rows.Max(r => r.Prompt.Length + r.Completions.Sum(c => c.Length));
        var ids = new long[count * width];
        var positions = new long[count * width];
        // Segment of each token: 0 the prompt, c + 1 completion c, -1 padding.
        var segment = new int[count * width];
        var sources = new List<long>();
        var targets = new List<long>();
        var sequences = new List<long>();
        long tokens = 0;
        Array.Fill(ids, padId);
        Array.Fill(segment, -1);
        for (int r = 0; r < count; r++)
        {
            var (prompt, completions) = rows[r];
            int row = r * width;
            for (int t = 0; t < prompt.Length; t++)
                (ids[row + t], positions[row + t], segment[row + t]) = (prompt[t], t, 0);
            int start = prompt.Length;
            for (int c = 0; c < branches; c++)
            {
                for (int k = 0; k < completions[c].Length; k++)
                {
                    int t = start + k;
                    (ids[row + t], positions[row + t], segment[row + t]) = (completions[c][k], prompt.Length + k, c + 1);
                    // The first token of every completion is predicted by the prompt's last.
                    sources.Add(row + (k == 0 ? prompt.Length - 1 : t - 1));
                    targets.Add(row + t);
                    sequences.Add((long)c * count + r);
                }
                start += completions[c].Length;
            }
            tokens += start;
        }
        long[] shape = [count, width];
        return new SharedPromptBatch(tensor(ids, shape, device: device), tensor(positions, shape, device: device),
            AttentionAllowed(tensor(segment, shape, device: device)), tensor(sources.ToArray(), device: device), tensor(targets.ToArray(), device: device),
            tensor(sequences.ToArray(), device: device), tokens, count * branches);
    }

    /// <summary>
    /// Query t sees key j ≤ t when j is the prompt's or in t's own completion; padding queries see the
    /// prompt, so no softmax row is empty (their outputs are never read). Built by libtorch, so no
    /// [rows, width, width] array is left for the .NET collector.
    /// </summary>
    static Tensor AttentionAllowed(Tensor segment)
    {
        using var scope = NewDisposeScope();
        long width = segment.shape[1];
        Tensor query = segment.unsqueeze(2), key = segment.unsqueeze(1);
        Tensor sameCompletion = key.gt(Scalars.Zero).logical_and(key.eq(query));
        Tensor causal = ones(width, width, ScalarType.Bool, segment.device).tril();
        return key.eq(Scalars.Zero).logical_or(sameCompletion).logical_and(causal).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each sequence's summed completion log-probability [completions × rows], completion-major (every
    /// first completion, then every second): packed where <paramref name="rows"/> fit (see
    /// <see cref="Fits"/>), otherwise as separate right-padded sequences (<see cref="SequenceBatch"/>,
    /// which shortens a long one). <paramref name="tokens"/> counts the tokens read,
    /// <paramref name="completionTokens"/> each sequence's completion tokens, in the same order.
    /// </summary>
    public static Tensor SequenceLogProbs(LanguageModel model, IReadOnlyList<(int[] Prompt, int[][] Completions)> rows, int padId, int maxLength,
        out long tokens, out Tensor completionTokens)
    {
        int branches = rows.Count == 0 ? 0 : rows[0].Completions.Length;
        if (Fits(rows, maxLength, model.Config))
        {
            using var packed = Create(rows, padId, model.Device);
            tokens = packed.TokenCount;
            completionTokens = tensor(Enumerable.Range(0, branches).SelectMany(c => rows.Select(r => (float)r.Completions[c].Length)).ToArray(), device: model.Device);
            return packed.SequenceLogProbs(model);
        }
        var separate = Enumerable.Range(0, branches).SelectMany(c => rows.Select(r => (r.Prompt, r.Completions[c]))).ToArray();
        using var sequences = SequenceBatch.Create(separate, padId, maxLength, model.Device);
        tokens = sequences.TokenCount;
        completionTokens = sequences.CompletionMask.sum(1).to(ScalarType.Float32);
        return model.SequenceLogProbs(sequences.Ids, sequences.AttentionMask, sequences.CompletionMask);
    }

    /// <summary>Each sequence's summed completion log-probability [<see cref="SequenceCount"/>], in the order of <see cref="Sequences"/>.</summary>
    public Tensor SequenceLogProbs(LanguageModel model)
    {
        using var scope = NewDisposeScope();
        Tensor logProbs = model.PackedLogProbs(Ids, Positions, Allowed, Sources, Targets);
        return zeros(SequenceCount, ScalarType.Float32, logProbs.device).index_add(0, Sequences, logProbs, Scalars.One).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Ids.Dispose();
        Positions.Dispose();
        Allowed.Dispose();
        Sources.Dispose();
        Targets.Dispose();
        Sequences.Dispose();
    }
}
