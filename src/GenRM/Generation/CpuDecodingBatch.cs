using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Generation;

/// <summary>
/// Rows being decoded by a <see cref="CpuDecoder"/>: the keys and values of the prompts they continue
/// (each distinct prompt once, as <see cref="SharedPrompts"/> keeps them) and of each row's own
/// tokens. <see cref="Step"/> feeds one token per row and returns every row's next-token logits.
/// </summary>
/// <remarks>
/// Keys are kept in tiles of 8 positions ([kv_heads, positions / 8, head_dim, 8]), so that a query's
/// scores are runs of vector multiply-adds over contiguous memory; values as [kv_heads, positions,
/// head_dim]. Each row's computation reads only its own data and sums in a fixed order, so its
/// logits do not depend on the rest of the batch, bit for bit.
/// </remarks>
internal sealed class CpuDecodingBatch
{
    /// <summary>A prompt's cache: its padded length, where its real tokens start, and per layer its keys and values.</summary>
    sealed record Prompt(int Length, int Start, int KeyStride, float[][] Keys, float[][] Values)
    {
        public int RealLength => Length - Start;
    }

    /// <summary>A row: the prompt it continues and its own tokens' keys and values ([layers][...]).</summary>
    sealed class Row(Prompt prompt, float[][] keys, float[][] values)
    {
        public Prompt Prompt { get; } = prompt;
        public float[][] Keys { get; } = keys;
        public float[][] Values { get; } = values;
        public int Count { get; set; }
    }

    readonly CpuDecoder decoder;
    readonly ModelConfig config;
    readonly int capacity;
    Row[] rows;
    // The logits handed out, [rows, vocab], shared with the tensor Step returns (torch.tensor would
    // copy the array: a step's 2 MB for a 32k vocabulary, large-object garbage every step); a new
    // array only when rows leave.
    float[,] stepLogits = new float[0, 0];

    // Per-step buffers, sized for the first (largest) batch.
    readonly float[] hidden, normed, qkv, attended, projected, gateUp, activated, logits, cos, sin;
    // One head's scores, one array per group of rows computed in parallel.
    readonly int scoresLength;
    float[][] scores = [];

    CpuDecodingBatch(CpuDecoder decoder, Row[] rows, int capacity, int longestPrompt)
    {
        (this.decoder, config, this.rows, this.capacity) = (decoder, decoder.Config, rows, capacity);
        int n = rows.Length, h = config.HiddenSize, half = config.HeadDim / 2;
        CpuDecoder.LayerWeights first = decoder.Layers[0];
        hidden = new float[n * h];
        normed = new float[n * h];
        qkv = new float[n * first.Qkv.Stride];
        attended = new float[n * config.NumAttentionHeads * config.HeadDim];
        projected = new float[n * Math.Max(first.Output.Stride, first.Down.Stride)];
        gateUp = new float[n * first.GateUp.Stride];
        activated = new float[n * config.IntermediateSize];
        logits = new float[n * decoder.Head.Stride];
        scoresLength = Padded(longestPrompt) + capacity;
        cos = new float[n * half];
        sin = new float[n * half];
    }

    /// <summary>Rows decoded.</summary>
    public int Rows => rows.Length;

    static int Padded(int length) => (length + 7) / 8 * 8;

    // Where a key's dimension sits in a head's tiles of 8 positions.
    static int KeyIndex(int position, int dimension, int headDim) => ((position >> 3) * headDim + dimension) * 8 + (position & 7);

    /// <summary>
    /// A batch whose row i continues prompt <paramref name="promptOfRow"/>[i] of <paramref name="prompts"/>
    /// (a cache holding each distinct prompt once, left-padded), with room for <paramref name="newTokens"/> tokens per row.
    /// </summary>
    public static CpuDecodingBatch Start(CpuDecoder decoder, KvCache prompts, IReadOnlyList<long> promptOfRow, int newTokens)
    {
        ModelConfig c = decoder.Config;
        int kvHeads = c.NumKeyValueHeads, headDim = c.HeadDim;
        // The views of libtorch's cache die here: held by the caller's scope, they would keep the
        // whole cache alive through decoding.
        using var scope = NewDisposeScope();
        var first = prompts.Written(0);
        int count = (int)first.Keys.shape[0], length = (int)first.Keys.shape[2], keyStride = Padded(length), layers = prompts.Layers;
        long[] real = PackedLinear.Floats(first.Mask.sum(1).to(ScalarType.Float32)).Select(v => (long)v).ToArray();
        var built = Enumerable.Range(0, count).Select(p => new Prompt(length, length - (int)real[p], keyStride, new float[layers][], new float[layers][])).ToArray();
        // Copied out of libtorch's cache in place, one (prompt, kv head) slab at a time.
        for (int layer = 0; layer < layers; layer++)
        {
            using var layerScope = NewDisposeScope();
            var written = prompts.Written(layer);
            var keys = PackedLinear.Readable(written.Keys);
            var values = PackedLinear.Readable(written.Values);
            foreach (var (prompt, p) in built.Select((prompt, p) => (prompt, p)))
            {
                float[] promptKeys = prompt.Keys[layer] = new float[kvHeads * headDim * keyStride];
                float[] promptValues = prompt.Values[layer] = new float[kvHeads * length * headDim];
                for (int g = 0; g < kvHeads; g++)
                {
                    int source = (p * kvHeads + g) * length * headDim;
                    var slab = keys.Slice(source, length * headDim);
                    for (int j = 0; j < length; j++)
                        for (int d = 0; d < headDim; d++)
                            promptKeys[g * headDim * keyStride + KeyIndex(j, d, headDim)] = slab[j * headDim + d];
                    values.Slice(source, length * headDim).CopyTo(promptValues.AsSpan(g * length * headDim, length * headDim));
                }
            }
        }
        int capacity = Padded(Math.Max(1, newTokens));
        var rows = promptOfRow.Select(p => new Row(built[p],
            [.. Enumerable.Range(0, layers).Select(_ => new float[kvHeads * headDim * capacity])],
            [.. Enumerable.Range(0, layers).Select(_ => new float[kvHeads * capacity * headDim])])).ToArray();
        return new CpuDecodingBatch(decoder, rows, capacity, length);
    }

    /// <summary>Keeps the rows <paramref name="keep"/> (indices into this batch, in order); the others leave.</summary>
    public void KeepRows(IReadOnlyList<int> keep) => rows = [.. keep.Select(i => rows[i])];

    /// <summary>
    /// Feeds <paramref name="tokens"/> (one per row) and returns the next-token logits [rows, vocab]:
    /// a view of this batch's own array, valid until the next step.
    /// </summary>
    public Tensor Step(IReadOnlyList<long> tokens)
    {
        int n = rows.Length, h = config.HiddenSize;
        if (tokens.Count != n) throw new ArgumentException($"{tokens.Count} tokens for {n} rows.", nameof(tokens));
        foreach (Row row in rows)
            if (row.Count == capacity) throw new InvalidOperationException($"a row already holds its {capacity} new tokens.");
        for (int r = 0; r < n; r++)
            decoder.Embeddings.AsSpan((int)tokens[r] * h, h).CopyTo(hidden.AsSpan(r * h, h));
        RotaryTables(n);
        // Rows are independent: with libtorch's threads (more than one outside a study's workers),
        // groups of at least 4 rows run on separate threads, each with the same sums as alone.
        int groups = Math.Clamp(Math.Min(get_num_threads(), n / 4), 1, n);
        if (scores.Length < groups)
            scores = [.. Enumerable.Range(0, groups).Select(_ => new float[scoresLength])];
        if (groups == 1)
            StepRows(0, n, scores[0]);
        else
            Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = groups }, g => StepRows(g * n / groups, (g + 1) * n / groups, scores[g]));
        foreach (Row row in rows) row.Count++;

        int vocab = config.VocabSize, stride = decoder.Head.Stride;
        if (stepLogits.GetLength(0) != n) stepLogits = new float[n, vocab];
        Span<float> handedOut = MemoryMarshal.CreateSpan(ref stepLogits[0, 0], n * vocab);
        for (int r = 0; r < n; r++)
            logits.AsSpan(r * stride, vocab).CopyTo(handedOut[(r * vocab)..]);
        return from_array(stepLogits);
    }

    // cos and sin of each row's position (its prompt's real tokens, then its own) times each frequency.
    void RotaryTables(int n)
    {
        float[] frequencies = decoder.InverseFrequencies;
        int half = frequencies.Length;
        for (int r = 0; r < n; r++)
        {
            float position = rows[r].Prompt.RealLength + rows[r].Count;
            for (int i = 0; i < half; i++)
            {
                float angle = position * frequencies[i];
                cos[r * half + i] = MathF.Cos(angle);
                sin[r * half + i] = MathF.Sin(angle);
            }
        }
    }

    // Rows [from, to) through every layer, the final norm and the head.
    void StepRows(int from, int to, float[] headScores)
    {
        for (int layer = 0; layer < decoder.Layers.Length; layer++)
            Layer(layer, from, to, headScores);
        RmsNorm(decoder.FinalNorm, from, to);
        Apply(decoder.Head, normed, config.HiddenSize, from, to, logits);
    }

    // A packed product over rows [from, to) of the per-step buffers.
    static void Apply(PackedLinear linear, float[] x, int xStride, int from, int to, float[] y) =>
        linear.Apply(x.AsSpan(from * xStride), xStride, to - from, y.AsSpan(from * linear.Stride));

    void Layer(int layer, int from, int to, float[] headScores)
    {
        CpuDecoder.LayerWeights w = decoder.Layers[layer];
        int h = config.HiddenSize, heads = config.NumAttentionHeads, kvHeads = config.NumKeyValueHeads, headDim = config.HeadDim;
        RmsNorm(w.InputNorm, from, to);
        Apply(w.Qkv, normed, h, from, to, qkv);
        int qkvStride = w.Qkv.Stride, width = heads * headDim;
        for (int r = from; r < to; r++)
        {
            Span<float> row = qkv.AsSpan(r * qkvStride, qkvStride);
            for (int head = 0; head < heads + kvHeads; head++)
                Rotate(row.Slice(head * headDim, headDim), r);
            Append(rows[r], layer, row.Slice(width, kvHeads * headDim), row.Slice(width + kvHeads * headDim, kvHeads * headDim));
            for (int head = 0; head < heads; head++)
                Attend(rows[r], layer, head / (heads / kvHeads), row.Slice(head * headDim, headDim), attended.AsSpan((r * heads + head) * headDim, headDim), headScores);
        }
        Apply(w.Output, attended, width, from, to, projected);
        AddResidual(from, to, w.Output.Stride);

        RmsNorm(w.PostNorm, from, to);
        Apply(w.GateUp, normed, h, from, to, gateUp);
        int inner = config.IntermediateSize;
        for (int r = from; r < to; r++)
            SwiGlu(gateUp.AsSpan(r * w.GateUp.Stride, 2 * inner), activated.AsSpan(r * inner, inner));
        Apply(w.Down, activated, inner, from, to, projected);
        AddResidual(from, to, w.Down.Stride);
    }

    // Hugging Face's half rotation: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin), products rounded before the sum as libtorch does.
    void Rotate(Span<float> x, int r)
    {
        int half = x.Length / 2;
        ReadOnlySpan<float> c = cos.AsSpan(r * half, half), s = sin.AsSpan(r * half, half);
        for (int i = 0; i < half; i++)
        {
            float x1 = x[i], x2 = x[i + half];
            float a = x1 * c[i], b = x2 * s[i], d = x2 * c[i], e = x1 * s[i];
            x[i] = a - b;
            x[i + half] = d + e;
        }
    }

    void Append(Row row, int layer, ReadOnlySpan<float> newKeys, ReadOnlySpan<float> newValues)
    {
        int headDim = config.HeadDim;
        float[] keys = row.Keys[layer], values = row.Values[layer];
        for (int g = 0; g < config.NumKeyValueHeads; g++)
        {
            for (int d = 0; d < headDim; d++)
                keys[g * headDim * capacity + KeyIndex(row.Count, d, headDim)] = newKeys[g * headDim + d];
            newValues.Slice(g * headDim, headDim).CopyTo(values.AsSpan((g * capacity + row.Count) * headDim));
        }
    }

    // One query head over its row's prompt (less padding) and own tokens so far, the new one included.
    void Attend(Row row, int layer, int kvHead, ReadOnlySpan<float> query, Span<float> output, float[] scratch)
    {
        int headDim = config.HeadDim;
        Prompt prompt = row.Prompt;
        int promptSpan = prompt.KeyStride, own = row.Count + 1, ownSpan = Padded(own);
        // The scale goes on the query (libtorch scales the scores): the same up to rounding.
        Span<float> q = stackalloc float[headDim];
        float scale = 1f / MathF.Sqrt(headDim);
        for (int d = 0; d < headDim; d++) q[d] = query[d] * scale;
        Span<float> s = scratch.AsSpan(0, promptSpan + ownSpan);
        Scores(q, prompt.Keys[layer].AsSpan(kvHead * headDim * promptSpan, headDim * promptSpan), s[..promptSpan]);
        Scores(q, row.Keys[layer].AsSpan(kvHead * headDim * capacity, headDim * capacity), s[promptSpan..]);
        s[..prompt.Start].Fill(float.NegativeInfinity);
        s[prompt.Length..promptSpan].Fill(float.NegativeInfinity);
        s[(promptSpan + own)..].Fill(float.NegativeInfinity);
        float total = ExpShifted(s);

        // Normalised once at the end (libtorch normalises the weights first: the same up to rounding).
        output.Clear();
        WeightedSum(s[prompt.Start..prompt.Length], prompt.Values[layer].AsSpan((kvHead * prompt.Length + prompt.Start) * headDim, prompt.RealLength * headDim), output);
        WeightedSum(s.Slice(promptSpan, own), row.Values[layer].AsSpan(kvHead * capacity * headDim, own * headDim), output);
        float inverse = 1f / total;
        for (int d = 0; d < headDim; d++) output[d] *= inverse;
    }

    // scores[j] = query · keys[j] for keys in tiles of 8 positions; eight tiles at a time, so that
    // eight independent sums hide the multiply-add's latency.
    static void Scores(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, Span<float> scores)
    {
        ref float q0 = ref MemoryMarshal.GetReference(query);
        ref float k0 = ref MemoryMarshal.GetReference(keys);
        ref float s0 = ref MemoryMarshal.GetReference(scores);
        int headDim = query.Length, tile = 8 * headDim, j = 0;
        for (; j + 64 <= scores.Length; j += 64)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            ref float k = ref Unsafe.Add(ref k0, j * headDim);
            for (int d = 0; d < headDim; d++)
            {
                var qd = Vector256.Create(Unsafe.Add(ref q0, d));
                ref float kd = ref Unsafe.Add(ref k, 8 * d);
                a0 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd), a0);
                a1 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)tile), a1);
                a2 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(2 * tile)), a2);
                a3 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(3 * tile)), a3);
                a4 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(4 * tile)), a4);
                a5 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(5 * tile)), a5);
                a6 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(6 * tile)), a6);
                a7 = Vector256.FusedMultiplyAdd(qd, Vector256.LoadUnsafe(ref kd, (nuint)(7 * tile)), a7);
            }
            ref float out0 = ref Unsafe.Add(ref s0, j);
            a0.StoreUnsafe(ref out0);
            a1.StoreUnsafe(ref out0, 8);
            a2.StoreUnsafe(ref out0, 16);
            a3.StoreUnsafe(ref out0, 24);
            a4.StoreUnsafe(ref out0, 32);
            a5.StoreUnsafe(ref out0, 40);
            a6.StoreUnsafe(ref out0, 48);
            a7.StoreUnsafe(ref out0, 56);
        }
        for (; j + 8 <= scores.Length; j += 8)
        {
            Vector256<float> a = default;
            ref float k = ref Unsafe.Add(ref k0, j * headDim);
            for (int d = 0; d < headDim; d++)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref q0, d)), Vector256.LoadUnsafe(ref k, (nuint)(8 * d)), a);
            a.StoreUnsafe(ref s0, (nuint)j);
        }
    }

    // x becomes exp(x - max x), unnormalised; returns the sum (the caller divides once, after the weighted sum).
    static float ExpShifted(Span<float> x)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        var max0 = Vector256.Create(float.NegativeInfinity);
        var max1 = max0;
        int j = 0;
        for (; j + 16 <= x.Length; j += 16)
        {
            max0 = Vector256.Max(max0, Vector256.LoadUnsafe(ref x0, (nuint)j));
            max1 = Vector256.Max(max1, Vector256.LoadUnsafe(ref x0, (nuint)(j + 8)));
        }
        if (j < x.Length) max0 = Vector256.Max(max0, Vector256.LoadUnsafe(ref x0, (nuint)j));
        max0 = Vector256.Max(max0, max1);
        float largest = float.NegativeInfinity;
        for (int i = 0; i < Vector256<float>.Count; i++) largest = MathF.Max(largest, max0[i]);
        var top = Vector256.Create(largest);
        var total0 = Vector256<float>.Zero;
        var total1 = total0;
        for (j = 0; j + 16 <= x.Length; j += 16)
        {
            var e0 = Exp(Vector256.LoadUnsafe(ref x0, (nuint)j) - top);
            var e1 = Exp(Vector256.LoadUnsafe(ref x0, (nuint)(j + 8)) - top);
            e0.StoreUnsafe(ref x0, (nuint)j);
            e1.StoreUnsafe(ref x0, (nuint)(j + 8));
            total0 += e0;
            total1 += e1;
        }
        if (j < x.Length)
        {
            var e = Exp(Vector256.LoadUnsafe(ref x0, (nuint)j) - top);
            e.StoreUnsafe(ref x0, (nuint)j);
            total0 += e;
        }
        return Vector256.Sum(total0 + total1);
    }

    // output += Σ_j weights[j] · values[j, :] for values laid out [positions, head_dim], up to 32
    // dimensions at once over even and odd positions: up to eight independent sums hide the
    // multiply-add's latency.
    static void WeightedSum(ReadOnlySpan<float> weights, ReadOnlySpan<float> values, Span<float> output)
    {
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float v0 = ref MemoryMarshal.GetReference(values);
        ref float o0 = ref MemoryMarshal.GetReference(output);
        int headDim = output.Length, count = weights.Length;
        for (int c = 0; c < headDim; c += 32)
        {
            int width = Math.Min(32, headDim - c);
            Vector256<float> e0 = default, e1 = default, e2 = default, e3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            int j = 0;
            for (; j + 2 <= count; j += 2)
            {
                ref float v = ref Unsafe.Add(ref v0, j * headDim + c);
                ref float u = ref Unsafe.Add(ref v, headDim);
                var wj = Vector256.Create(Unsafe.Add(ref w0, j));
                var wk = Vector256.Create(Unsafe.Add(ref w0, j + 1));
                e0 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v), e0);
                d0 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref u), d0);
                if (width > 8)
                {
                    e1 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 8), e1);
                    d1 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref u, 8), d1);
                }
                if (width > 16)
                {
                    e2 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 16), e2);
                    d2 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref u, 16), d2);
                }
                if (width > 24)
                {
                    e3 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 24), e3);
                    d3 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref u, 24), d3);
                }
            }
            if (j < count)
            {
                ref float v = ref Unsafe.Add(ref v0, j * headDim + c);
                var wj = Vector256.Create(Unsafe.Add(ref w0, j));
                e0 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v), e0);
                if (width > 8) e1 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 8), e1);
                if (width > 16) e2 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 16), e2);
                if (width > 24) e3 = Vector256.FusedMultiplyAdd(wj, Vector256.LoadUnsafe(ref v, 24), e3);
            }
            ref float o = ref Unsafe.Add(ref o0, c);
            (Vector256.LoadUnsafe(ref o) + e0 + d0).StoreUnsafe(ref o);
            if (width > 8) (Vector256.LoadUnsafe(ref o, 8) + e1 + d1).StoreUnsafe(ref o, 8);
            if (width > 16) (Vector256.LoadUnsafe(ref o, 16) + e2 + d2).StoreUnsafe(ref o, 16);
            if (width > 24) (Vector256.LoadUnsafe(ref o, 24) + e3 + d3).StoreUnsafe(ref o, 24);
        }
    }

    // e^x in single precision, within a few ulp (inputs below -87.3, masked scores included, give about
    // 1e-38): x = n ln 2 + r with |r| ≤ ln 2 / 2, e^r by Cephes' minimax polynomial, 2^n put into the
    // exponent bits. Inlined: as a call, it made the softmax four times slower.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(Vector256.Min(x, Vector256.Create(88.37626f)), Vector256.Create(-87.33654f));
        var n = Vector256.Round(x * Vector256.Create(1.44269504f));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    // Llama's RMSNorm of `hidden` into `normed`: x / sqrt(mean(x²) + eps), then times the weight.
    void RmsNorm(float[] weight, int from, int to)
    {
        int h = config.HiddenSize;
        float eps = (float)config.RmsNormEps;
        for (int r = from; r < to; r++)
        {
            ReadOnlySpan<float> row = hidden.AsSpan(r * h, h);
            Span<float> output = normed.AsSpan(r * h, h);
            float squares = 0;
            foreach (float v in row) squares += v * v;
            float inverse = 1f / MathF.Sqrt(squares / h + eps);
            for (int i = 0; i < h; i++) output[i] = weight[i] * (row[i] * inverse);
        }
    }

    void AddResidual(int from, int to, int stride)
    {
        int h = config.HiddenSize;
        for (int r = from; r < to; r++)
        {
            Span<float> target = hidden.AsSpan(r * h, h);
            ReadOnlySpan<float> add = projected.AsSpan(r * stride, h);
            for (int i = 0; i < h; i++) target[i] += add[i];
        }
    }

    // silu(gate) * up = gate / (1 + exp(-gate)) * up, gate and up side by side in `gateUp`.
    static void SwiGlu(ReadOnlySpan<float> gateUp, Span<float> output)
    {
        int inner = output.Length, i = 0;
        ref float g0 = ref MemoryMarshal.GetReference(gateUp);
        ref float o0 = ref MemoryMarshal.GetReference(output);
        for (; i + 8 <= inner; i += 8)
        {
            var gate = Vector256.LoadUnsafe(ref g0, (nuint)i);
            (gate / (Vector256<float>.One + Exp(-gate)) * Vector256.LoadUnsafe(ref g0, (nuint)(inner + i))).StoreUnsafe(ref o0, (nuint)i);
        }
        for (; i < inner; i++)
            output[i] = gateUp[i] / (1f + MathF.Exp(-gateUp[i])) * gateUp[inner + i];
    }
}
