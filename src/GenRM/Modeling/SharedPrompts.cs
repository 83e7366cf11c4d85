using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// The keys and values of prompts that several rows of a decoding batch continue (the k samples of
/// one judge prompt), kept once per distinct prompt instead of once per row. A decoding step is bound
/// by reading the cache: each prompt's keys are read once for all its rows, as one product with the
/// rows' queries stacked, and only the tokens each row generated are read per row. Exact up to the
/// order of the sums: the rows see the same keys, positions and padding as with a cache per row.
/// </summary>
/// <remarks>
/// Rows are laid out in slots, <c>[prompts, slotsPerPrompt]</c>, so that the rows of one prompt sit
/// side by side for the product; a prompt with fewer rows than the widest has empty slots, which
/// point at a row of zeros. Sliding-window layers are not supported (their window can end inside a
/// prompt): <see cref="Supports"/> says whether a model can use this.
/// </remarks>
public sealed class SharedPrompts : IDisposable
{
    readonly Tensor[] keys;
    readonly Tensor[] values;
    readonly long[] promptOfRow;
    readonly Tensor slotRows;
    readonly Tensor rowSlots;
    readonly int slotsPerPrompt;

    /// <summary>Positions per prompt, padding included (the prompts are left-padded to one length).</summary>
    public int Length { get; }

    /// <summary>Rows of the decoding batch.</summary>
    public int Rows => promptOfRow.Length;

    /// <summary>Whether <paramref name="config"/>'s attention can read shared prompts (no sliding-window layer).</summary>
    public static bool Supports(ModelConfig config) => !Enumerable.Range(0, config.NumHiddenLayers).Any(config.UsesSlidingWindow);

    /// <summary>
    /// The prompts held once each by <paramref name="prompts"/> (copied: the caller still owns it);
    /// row i of the decoding batch continues prompt <paramref name="promptOfRow"/>[i].
    /// </summary>
    public static SharedPrompts From(KvCache prompts, IReadOnlyList<long> promptOfRow, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var written = Enumerable.Range(0, prompts.Layers).Select(prompts.Written).ToArray();
        Tensor[] keys = [.. written.Select(w => w.Keys.contiguous().DetachFromDisposeScope())];
        Tensor[] values = [.. written.Select(w => w.Values.contiguous().DetachFromDisposeScope())];
        Tensor mask = written[0].Mask;
        Tensor rows = tensor(promptOfRow.ToArray(), device: mask.device);
        Tensor rowMask = LlamaModel.Additive(mask.to(ScalarType.Bool), dtype).index_select(0, rows).unsqueeze(1).unsqueeze(1);
        return new SharedPrompts(keys, values, rowMask.DetachFromDisposeScope(), mask.sum(1).index_select(0, rows).DetachFromDisposeScope(), [.. promptOfRow]);
    }

    SharedPrompts(Tensor[] keys, Tensor[] values, Tensor rowMask, Tensor rowPromptLengths, long[] promptOfRow)
    {
        (this.keys, this.values, RowMask, RowPromptLengths, this.promptOfRow) = (keys, values, rowMask, rowPromptLengths, promptOfRow);
        Length = (int)keys[0].shape[2];
        int prompts = (int)keys[0].shape[0];
        var rowsOfPrompt = new List<int>[prompts];
        for (int p = 0; p < prompts; p++) rowsOfPrompt[p] = [];
        for (int row = 0; row < promptOfRow.Length; row++) rowsOfPrompt[promptOfRow[row]].Add(row);
        slotsPerPrompt = Math.Max(1, rowsOfPrompt.Max(r => r.Count));
        // An empty slot reads row `Rows`: the row of zeros appended to the queries.
        var slots = Enumerable.Repeat((long)promptOfRow.Length, prompts * slotsPerPrompt).ToArray();
        var slotOfRow = new long[promptOfRow.Length];
        for (int p = 0; p < prompts; p++)
            for (int j = 0; j < rowsOfPrompt[p].Count; j++)
            {
                slots[p * slotsPerPrompt + j] = rowsOfPrompt[p][j];
                slotOfRow[rowsOfPrompt[p][j]] = p * slotsPerPrompt + j;
            }
        Device device = keys[0].device;
        // Owned here, whatever dispose scope is open when a batch is built or shrinks.
        slotRows = tensor(slots, device: device).DetachFromDisposeScope();
        rowSlots = tensor(slotOfRow, device: device).DetachFromDisposeScope();
    }

    /// <summary>
    /// Each row's count of real (unpadded) prompt tokens [rows]: the position its first new token takes.
    /// Built once per batch, not per step; owned here.
    /// </summary>
    public Tensor RowPromptLengths { get; }

    /// <summary>The additive padding mask of each row's prompt [rows, 1, 1, Length] (0 or the dtype's lowest value); owned here.</summary>
    public Tensor RowMask { get; }

    /// <summary>
    /// Attention of <paramref name="queries"/> [rows, heads, time, head_dim] over each row's shared
    /// prompt followed by its own <paramref name="ownKeys"/> and <paramref name="ownValues"/>
    /// [rows, kv_heads, own, head_dim]; <paramref name="mask"/> [rows, 1, time, Length + own] is additive.
    /// </summary>
    public Tensor Attend(int layer, Tensor queries, Tensor ownKeys, Tensor ownValues, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long rows = queries.shape[0], heads = queries.shape[1], time = queries.shape[2], headDim = queries.shape[3];
        long kvHeads = keys[layer].shape[1], group = heads / kvHeads, own = ownKeys.shape[2], prompts = keys[layer].shape[0];
        double scale = 1.0 / Math.Sqrt(headDim);
        // Query heads that share a key head are stacked as extra query rows: [rows, kv_heads, group * time, head_dim].
        Tensor q = queries.reshape(rows, kvHeads, group * time, headDim);

        // Slots: [prompts, kv_heads, slots * group * time, head_dim], one product per prompt and key head.
        Tensor padded = cat([q, zeros(1, kvHeads, group * time, headDim, q.dtype, q.device)], 0);
        Tensor slotQueries = padded.index_select(0, slotRows).view(prompts, slotsPerPrompt, kvHeads, group * time, headDim)
            .transpose(1, 2).reshape(prompts, kvHeads, slotsPerPrompt * group * time, headDim);
        Tensor promptScores = matmul(slotQueries, keys[layer].transpose(2, 3))
            .view(prompts, kvHeads, slotsPerPrompt, group * time, Length).transpose(1, 2)
            .reshape(prompts * slotsPerPrompt, kvHeads, group * time, Length).index_select(0, rowSlots);
        Tensor ownScores = matmul(q, ownKeys.transpose(2, 3));
        Tensor scores = cat([promptScores, ownScores], 3).mul_(scale).view(rows, heads, time, Length + own).add_(mask, Scalars.One);
        Tensor weights = (scores.dtype == ScalarType.Float32 ? scores.softmax(-1) : scores.to(ScalarType.Float32).softmax(-1).to(scores.dtype))
            .view(rows, kvHeads, group * time, Length + own);

        Tensor promptWeights = cat([weights.narrow(3, 0, Length), zeros(1, kvHeads, group * time, Length, weights.dtype, weights.device)], 0)
            .index_select(0, slotRows).view(prompts, slotsPerPrompt, kvHeads, group * time, Length)
            .transpose(1, 2).reshape(prompts, kvHeads, slotsPerPrompt * group * time, Length);
        Tensor fromPrompt = matmul(promptWeights, values[layer])
            .view(prompts, kvHeads, slotsPerPrompt, group * time, headDim).transpose(1, 2)
            .reshape(prompts * slotsPerPrompt, kvHeads, group * time, headDim).index_select(0, rowSlots);
        Tensor fromOwn = matmul(weights.narrow(3, Length, own), ownValues);
        return fromPrompt.add(fromOwn, Scalars.One).view(rows, heads, time, headDim).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The shared prompts of the rows <paramref name="rows"/> (indices into this batch, in order); prompts
    /// no row continues any more are dropped, so a step reads only what is still used.
    /// </summary>
    public SharedPrompts SelectRows(IReadOnlyList<int> rows)
    {
        long[] used = [.. rows.Select(r => promptOfRow[r]).Distinct().Order()];
        var newIndex = used.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => (long)x.i);
        long[] promptOfNewRow = [.. rows.Select(r => newIndex[promptOfRow[r]])];
        using var scope = NewDisposeScope();
        Tensor keep = tensor(used, device: RowMask.device);
        Tensor kept = tensor(rows.Select(r => (long)r).ToArray(), device: RowMask.device);
        Tensor[] Select(Tensor[] tensors) => [.. tensors.Select(t => t.index_select(0, keep).DetachFromDisposeScope())];
        return new SharedPrompts(Select(keys), Select(values), RowMask.index_select(0, kept).DetachFromDisposeScope(),
            RowPromptLengths.index_select(0, kept).DetachFromDisposeScope(), promptOfNewRow);
    }

    public void Dispose()
    {
        foreach (Tensor t in keys) t.Dispose();
        foreach (Tensor t in values) t.Dispose();
        RowMask.Dispose();
        RowPromptLengths.Dispose();
        slotRows.Dispose();
        rowSlots.Dispose();
    }
}
