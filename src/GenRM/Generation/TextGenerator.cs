using GenRM.Modeling;
using GenRM.Text;
using static TorchSharp.torch;

namespace GenRM.Generation;

/// <summary>
/// Batched sampling from a <see cref="LanguageModel"/>: prompts are left-padded into one batch,
/// the prompt is read once into a preallocated KV cache, then one token per step is decoded for
/// every row until each row ends (EOS id, stop string, or token budget).
/// </summary>
public sealed class TextGenerator(LanguageModel model, ITokenizer tokenizer)
{
    /// <summary>Encodes the prompts (already rendered through a chat template) and continues each.</summary>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellation = default) =>
        Generate(prompts.Select(p => tokenizer.Encode(p)).ToArray(), options, cancellation);

    /// <summary>Continues each prompt (token ids); the result has one completion per prompt, in order.</summary>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancellation = default) =>
        Generate(prompts, options, greedy: null, cancellation);

    /// <summary>
    /// Continues each prompt; rows marked in <paramref name="greedy"/> take the most likely token whatever
    /// the temperature. They ride along with the sampled rows (a greedy readout beside votes on the same
    /// prompt reads the prompt once with them) and change nothing the sampled rows get: those take the
    /// same draws, and leave the batch at the same steps, as they would alone.
    /// </summary>
    public IReadOnlyList<Completion> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options, IReadOnlyList<bool>? greedy, CancellationToken cancellation = default)
    {
        options.Validated();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("A prompt has no tokens.", nameof(prompts));
        if (greedy is not null && greedy.Count != prompts.Count)
            throw new ArgumentException($"{greedy.Count} greedy flags for {prompts.Count} prompts.", nameof(greedy));
        int batch = prompts.Count;
        int promptLength = prompts.Max(p => p.Length);
        int capacity = promptLength + options.MaxNewTokens;
        if (capacity > model.Config.LongestSequence)
            throw new ContextLengthExceededException($"a prompt of {promptLength} tokens plus {options.MaxNewTokens} new tokens exceeds the model's {model.Config.LongestSequence} positions");

        HashSet<int> eos = [.. options.EosIds ?? tokenizer.EosIds];
        int maxStopLength = options.StopStrings.Count == 0 ? 0 : options.StopStrings.Max(s => s.Length);
        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray();
        var reasons = new FinishReason?[batch];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Device device = model.Device;
        using var generator = new Generator((ulong)options.Seed, device);
        var sampler = new TokenSampler(options, generator);
        // Without a cache (the reference path) the whole batch's ids grow by a column each step.
        Tensor? ids = null, mask = null, lastLogits;
        KvCache? cache = null;
        CpuDecodingBatch? managed = null;
        if (options.UseKvCache && options.ManagedDecoding && CpuDecoder.Supports(model))
        {
            (managed, lastLogits) = StartManaged(prompts, promptLength, options.MaxNewTokens, device);
        }
        else if (options.UseKvCache)
        {
            (cache, lastLogits) = ReadPrompts(prompts, promptLength, options.MaxNewTokens, device);
        }
        else
        {
            (ids, mask) = LeftPad(prompts, promptLength, device);
            lastLogits = LastLogits(ids, mask, null);
        }
        try
        {
            // active[i] is the prompt whose continuation batch row i carries; finished rows leave the batch.
            int[] active = [.. Enumerable.Range(0, batch)];
            for (int step = 0; step < options.MaxNewTokens; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                long[]? sampled = greedy is null ? null : [.. Enumerable.Range(0, active.Length).Where(i => !greedy[active[i]]).Select(i => (long)i)];
                Tensor next = sampler.Next(lastLogits, sampled);
                Tensor nextLogProbs = lastLogits.log_softmax(-1).gather(-1, next.unsqueeze(-1)).squeeze(-1);
                long[] tokens = next.cpu().data<long>().ToArray();
                float[] tokenLogProbs = nextLogProbs.cpu().data<float>().ToArray();
                for (int i = 0; i < active.Length; i++)
                {
                    int row = active[i];
                    if (reasons[row] is not null) continue;
                    int token = (int)tokens[i];
                    generated[row].Add(token);
                    logProbs[row].Add(tokenLogProbs[i]);
                    if (eos.Contains(token)) reasons[row] = FinishReason.Eos;
                    else if (maxStopLength > 0 && EndsInStopString(generated[row], maxStopLength, options.StopStrings)) reasons[row] = FinishReason.Stop;
                }
                int[] open = [.. Enumerable.Range(0, active.Length).Where(i => reasons[active[i]] is null)];
                if (step + 1 == options.MaxNewTokens || open.Length == 0) break;

                // A finished row would still be read and written every step; once a quarter of the
                // rows have finished, the rest move to a smaller batch (cache rows copied once). While
                // sampled rows remain, they alone decide when, so that they draw as they would alone.
                bool bySampled = sampled is { Length: > 0 };
                int deciding = bySampled ? sampled!.Length : active.Length;
                int finished = bySampled ? sampled!.Count(i => reasons[active[i]] is not null) : active.Length - open.Length;
                if (finished >= Math.Max(1, deciding / 4))
                {
                    if (managed is not null)
                    {
                        managed.KeepRows(open);
                    }
                    else if (cache is not null)
                    {
                        KvCache smaller = cache.SelectRows(open);
                        cache.Dispose();
                        cache = smaller;
                    }
                    else
                    {
                        Tensor keep = tensor(open.Select(i => (long)i).ToArray(), device: device);
                        ReplaceSequences(ids!.index_select(0, keep), mask!.index_select(0, keep));
                    }
                    tokens = [.. open.Select(i => tokens[i])];
                    active = [.. open.Select(i => active[i])];
                }

                int rows = active.Length;
                Tensor newLogits;
                if (managed is not null)
                {
                    newLogits = managed.Step(tokens);
                }
                else if (cache is not null)
                {
                    newLogits = LastLogits(Column(tokens), ones(rows, 1, dtype: ScalarType.Int64, device: device), cache);
                }
                else
                {
                    ReplaceSequences(cat([ids!, Column(tokens)], 1), cat([mask!, ones(rows, 1, dtype: ScalarType.Int64, device: device)], 1));
                    newLogits = LastLogits(ids!, mask!, null);
                }
                lastLogits.Dispose();
                lastLogits = newLogits.MoveToOuterDisposeScope();
            }
        }
        finally
        {
            cache?.Dispose();
        }

        // The tokens just drawn as a [rows, 1] tensor, for the libtorch paths (the managed steps take them as they are).
        Tensor Column(long[] tokens) => tensor(tokens, device: device).unsqueeze(1);

        // The recompute path's ids and mask outlive each step's scope; the ones they replace are freed.
        void ReplaceSequences(Tensor newIds, Tensor newMask)
        {
            ids!.Dispose();
            mask!.Dispose();
            ids = newIds.MoveToOuterDisposeScope();
            mask = newMask.MoveToOuterDisposeScope();
        }

        var completions = new Completion[batch];
        for (int row = 0; row < batch; row++)
        {
            FinishReason reason = reasons[row] ?? FinishReason.Length;
            int[] tokenIds = [.. generated[row]];
            ReadOnlySpan<int> textIds = reason == FinishReason.Eos ? tokenIds.AsSpan(0, tokenIds.Length - 1) : tokenIds;
            string text = CutAtStopString(tokenizer.Decode(textIds, skipSpecialTokens: true), options.StopStrings);
            completions[row] = new Completion(text, tokenIds, [.. logProbs[row]], reason);
        }
        return completions;
    }

    /// <summary>
    /// Reads the prompts into a new KV cache and returns it with each row's next-token logits. Each
    /// distinct prompt is read once (the k samples of one item share it; on MiniWorld the prompt read
    /// was about half of sampling's time). Where rows share prompts, the cache keeps each prompt once
    /// (<see cref="SharedPrompts"/>) and only the new tokens per row, so a decoding step reads a prompt's
    /// keys once for all its rows; a model with sliding-window layers gets a copy of its prompt per row.
    /// </summary>
    (KvCache Cache, Tensor Logits) ReadPrompts(IReadOnlyList<int[]> prompts, int promptLength, int newTokens, Device device)
    {
        var (distinct, rowOf) = Distinct(prompts);
        bool share = distinct.Count < prompts.Count && SharedPrompts.Supports(model.Config);
        var (ids, mask) = LeftPad(distinct, promptLength, device);
        var cache = new KvCache(model.Config, distinct.Count, share ? promptLength : promptLength + newTokens, model.DType, device);
        Tensor logits = LastLogits(ids, mask, cache);
        if (distinct.Count == prompts.Count)
            return (cache, logits);
        using (cache)
        {
            Tensor rows = tensor(rowOf, device: device);
            KvCache perRow = share
                ? new KvCache(model.Config, prompts.Count, newTokens, model.DType, device, SharedPrompts.From(cache, rowOf, model.DType))
                : cache.SelectRows([.. rowOf.Select(r => (int)r)]);
            return (perRow, logits.index_select(0, rows));
        }
    }

    /// <summary>Reads each distinct prompt once, as <see cref="ReadPrompts"/> does, and hands the cache to managed decoding steps.</summary>
    (CpuDecodingBatch Batch, Tensor Logits) StartManaged(IReadOnlyList<int[]> prompts, int promptLength, int newTokens, Device device)
    {
        var (distinct, rowOf) = Distinct(prompts);
        var (ids, mask) = LeftPad(distinct, promptLength, device);
        using var cache = new KvCache(model.Config, distinct.Count, promptLength, model.DType, device);
        Tensor logits = LastLogits(ids, mask, cache);
        var batch = CpuDecodingBatch.Start(CpuDecoder.From(model), cache, rowOf, newTokens);
        return (batch, distinct.Count == prompts.Count ? logits : logits.index_select(0, tensor(rowOf, device: device)));
    }

    /// <summary>The distinct prompts, in order of first appearance, and the index of each row's prompt among them.</summary>
    static (List<int[]> Distinct, long[] RowOf) Distinct(IReadOnlyList<int[]> prompts)
    {
        var distinct = new List<int[]>();
        var firstIndex = new Dictionary<int[], int>(PromptComparer.Instance);
        long[] rowOf = [.. prompts.Select(p => (long)(firstIndex.TryGetValue(p, out int i) ? i : AddDistinct(p)))];
        return (distinct, rowOf);

        int AddDistinct(int[] prompt)
        {
            firstIndex[prompt] = distinct.Count;
            distinct.Add(prompt);
            return distinct.Count - 1;
        }
    }

    sealed class PromptComparer : IEqualityComparer<int[]>
    {
        public static readonly PromptComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }

    Tensor LastLogits(Tensor ids, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = model.Hidden(ids, mask, cache);
        Tensor last = hidden.narrow(1, hidden.shape[1] - 1, 1);
        return model.Logits(last).squeeze(1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<int[]> prompts, int length, Device device)
    {
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * length];
        for (int row = 0; row < prompts.Count; row++)
        {
            int offset = length - prompts[row].Length;
            for (int i = 0; i < length; i++)
            {
                bool real = i >= offset;
                ids[row * length + i] = real ? prompts[row][i - offset] : tokenizer.PadId;
                mask[row * length + i] = real ? 1 : 0;
            }
        }
        return (tensor(ids, [prompts.Count, length], device: device), tensor(mask, [prompts.Count, length], device: device));
    }

    // Decodes only the tail: a stop string of n characters spans at most n tokens (plus a few for
    // byte-level pieces of one character), so the whole continuation need not be decoded each step.
    bool EndsInStopString(List<int> ids, int maxStopLength, IReadOnlyList<string> stops)
    {
        int window = Math.Min(ids.Count, maxStopLength + 4);
        string tail = tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids)[^window..]);
        return stops.Any(s => tail.Contains(s, StringComparison.Ordinal));
    }

    static string CutAtStopString(string text, IReadOnlyList<string> stops)
    {
        int cut = text.Length;
        foreach (string stop in stops)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < cut) cut = at;
        }
        return text[..cut];
    }
}
