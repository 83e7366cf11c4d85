namespace GenRM.Planning;

/// <summary>
/// The bytes each moment of a phase holds, counted from what this project's code allocates and what
/// libtorch's autograd keeps for the backward pass (LlamaDecoderLayer, LlamaAttention, LlamaMlp,
/// RmsNorm, LanguageModel.CompletionLogProbs and its chunked head, AdamWOptimizer, TextGenerator, KvCache). Notation in the
/// comments: s bytes per weight element, B rows, T tokens, h hidden, q = heads·head_dim,
/// kv = kv_heads·head_dim, I intermediate, V vocabulary, L layers.
/// </summary>
public static class PhaseMemory
{
    const int Int64 = 8, Fp32 = 4;

    // Bytes per [rows, vocabulary] element at TokenSampler's peak: the logits, their scaled copy, the
    // sorted copy, its softmax and cumulative sum in fp32, the sort's int64 order, and two boolean masks.
    const long TopPTemporaries = 5 * Fp32 + Int64 + 2;

    /// <summary>The moments of <paramref name="phase"/>; its peak is the largest.</summary>
    public static IReadOnlyList<PlanMoment> Moments(PhaseWorkload phase, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentNullException.ThrowIfNull(options);
        var model = new ModelBytes(options, phase);
        return phase.Kind switch
        {
            PhaseKind.Train => Train(phase, options, model),
            PhaseKind.Forward => [Forward(phase, options, model)],
            PhaseKind.Sample => Sample(phase, options, model),
            _ => throw new ArgumentOutOfRangeException(nameof(phase)),
        };
    }

    /// <summary>Activations a training micro-batch keeps for the backward pass, with or without per-layer checkpointing.</summary>
    public static long SavedActivations(PhaseWorkload phase, PlanOptions options, bool checkpointing)
    {
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentNullException.ThrowIfNull(options);
        var shape = new Shape(options, phase.Rows, phase.Length);
        long layer = SavedPerLayer(shape, options);
        long layers = checkpointing
            // Only each layer's input [B, T, h] stays; one layer at a time is recomputed with its saved tensors.
            ? options.Model.NumHiddenLayers * shape.Tokens * shape.H * shape.S + layer
            : options.Model.NumHiddenLayers * layer;
        return layers + SavedOutsideLayers(shape, options, phase);
    }

    static IReadOnlyList<PlanMoment> Train(PhaseWorkload phase, PlanOptions options, ModelBytes model)
    {
        var shape = new Shape(options, phase.Rows, phase.Length);
        long activations = SavedActivations(phase, options, options.Checkpointing);
        // Backward's largest temporaries: at the head, one chunk's recomputed logits and their gradients
        // (HeadBackward); inside a layer, the MLP's input gradients [B, T, I] beside the residual stream's,
        // then the attention's gradients of q, k and v (and, on the math path, of the probabilities and
        // the scores, B·H·T² each).
        long head = phase.ReadsLogits ? HeadBackward(shape, phase, options) : 0;
        long mlp = shape.Tokens * shape.S * (3 * shape.I + 2 * shape.H);
        long attention = shape.Tokens * shape.S * (2 * shape.H + 3 * shape.Q)
            + (options.Attention == AttentionKernel.Math ? 2 * shape.Rows * options.Model.NumAttentionHeads * shape.Length * shape.Length * shape.S : 0);
        long layer = Math.Max(mlp, attention);
        long batch = 3 * shape.Tokens * Int64;  // ids, attention mask, completion mask (packed: ids, positions, the head's indices)
        // AdamWOptimizer.Step frees each parameter's temporaries before the next: the largest parameter's
        // fp32 gradient copy, its clipped copy and its denominator.
        long stepWorkspace = model.LargestGradientElements * Fp32 * 3;
        return
        [
            new(phase.Name, "backward", new MemoryParts(model.Weights, model.Gradients, model.Optimizer, activations, 0, batch + PackedMask(shape, phase), Math.Max(head, layer))),
            new(phase.Name, "optimizer step", new MemoryParts(model.Weights, model.Gradients, model.Optimizer, 0, 0, 0, stepWorkspace)),
        ];
    }

    static PlanMoment Forward(PhaseWorkload phase, PlanOptions options, ModelBytes model)
    {
        var shape = new Shape(options, phase.Rows, phase.Length);
        var (positions, chunk) = HeadReads(shape, phase);
        long readout = phase.ReadsLogits
            // The read positions' states [n, h] and indices; one chunk's logits [c, V] in s, their fp32
            // copy when s < 4, and logsumexp's exp(x - max) temporary.
            ? positions * (shape.H * shape.S + 3 * Int64) + chunk * shape.V * (shape.S + (options.DType.IsLowPrecision ? Fp32 : 0) + Fp32)
            : 0;
        long workspace = ForwardTransient(shape, options, maskKeys: 0) + readout;
        return new PlanMoment(phase.Name, "forward", new MemoryParts(model.Weights, 0, 0, 0, 0, 3 * shape.Tokens * Int64 + PackedMask(shape, phase), workspace));
    }

    /// <summary>
    /// A packed batch's masks, alive through the whole pass (attention keeps its mask for the backward):
    /// the boolean [B, T, T] the batch builds and the additive [B, 1, T, T] in s made from it.
    /// </summary>
    static long PackedMask(Shape x, PhaseWorkload phase) => phase.SharedPrompt ? x.Rows * x.Length * x.Length * (1 + x.S) : 0;

    static List<PlanMoment> Sample(PhaseWorkload phase, PlanOptions options, ModelBytes model)
    {
        int rows = phase.Rows, capacity = phase.Length, prompt = Math.Max(1, phase.Length - phase.NewTokens);
        // Rows sorted by prompt length are cut into batches; a batch of R rows covers at most
        // ceil(R / k) + 1 distinct prompts, each read once (TextGenerator.ReadPrompts).
        int distinct = phase.SamplesPerPrompt <= 1 ? rows : Math.Min(rows, (rows + phase.SamplesPerPrompt - 1) / phase.SamplesPerPrompt + 1);
        var read = new Shape(options, distinct, prompt);
        long V = options.Model.VocabSize, s = options.DType.Bytes;
        // Reading the prompts: left-padded, so an additive mask [n, 1, T, T] in s and its boolean temporaries.
        long readWorkspace = ForwardTransient(read, options, maskKeys: prompt) + distinct * V * Fp32;
        // Rows that share prompts keep each prompt once (Modeling.SharedPrompts) and only their own new
        // tokens; a model with sliding-window layers copies each prompt's cache rows to its samples.
        bool shared = distinct < rows && Modeling.SharedPrompts.Supports(options.Model);
        var moments = new List<PlanMoment>
        {
            new(phase.Name, "prompt read", new MemoryParts(model.Weights, 0, 0, 0, KvCacheBytes(options, distinct, shared || options.ManagedDecoding ? prompt : capacity), 2 * read.Tokens * Int64, readWorkspace)),
        };
        if (options.ManagedDecoding)
        {
            moments.AddRange(ManagedSample(phase, options, model, distinct, prompt));
            return moments;
        }
        long heads = options.Model.NumAttentionHeads;
        if (shared)
        {
            // A decoding step: the scores over prompt and own tokens [rows, heads, capacity] in s, with
            // their concatenation, softmax and the prompt part laid out by prompt; the mask over the same
            // keys; the logits and top-p's temporaries (TopPTemporaries).
            long sharedWorkspace = 4 * rows * heads * capacity * s + (long)rows * capacity * (s + 3) + rows * V * TopPTemporaries;
            long cache = KvCacheBytes(options, distinct, prompt) + KvCacheBytes(options, rows, phase.NewTokens);
            moments.Add(new(phase.Name, "decoding", new MemoryParts(model.Weights, 0, 0, 0, cache, 0, sharedWorkspace)));
            return moments;
        }
        if (distinct < rows)
            moments.Add(new(phase.Name, "cache rows copied", new MemoryParts(model.Weights, 0, 0, 0, KvCacheBytes(options, distinct, capacity) + KvCacheBytes(options, rows, capacity), 0, rows * V * Fp32)));
        // A decoding step: grouped-query keys and values repeated to every head over the whole cache
        // (one layer at a time), the mask over the cache, the logits and top-p's temporaries (TopPTemporaries).
        int groups = options.Model.NumAttentionHeads / options.Model.NumKeyValueHeads;
        long repeated = groups > 1 ? 2L * rows * heads * capacity * options.Model.HeadDim * s : 0;
        long decodeWorkspace = repeated + (long)rows * capacity * (s + 3) + rows * V * TopPTemporaries;
        moments.Add(new(phase.Name, "decoding", new MemoryParts(model.Weights, 0, 0, 0, KvCacheBytes(options, rows, capacity), 0, decodeWorkspace)));
        return moments;
    }

    /// <summary>
    /// Sampling through Generation.CpuDecoder: its fp32 copies of the weights (packed, outputs padded
    /// to 16) and of each distinct prompt's keys (positions padded to 8) and values, and each row's own
    /// keys and values; while the prompts are copied out of libtorch's cache, that cache is held too.
    /// Weights and caches are read out of libtorch through buffers of one panel or one slab, so no
    /// copy the size of a model or a cache is left as garbage.
    /// </summary>
    static IEnumerable<PlanMoment> ManagedSample(PhaseWorkload phase, PlanOptions options, ModelBytes model, long distinct, long prompt)
    {
        var c = options.Model;
        long rows = phase.Rows, L = c.NumHiddenLayers, h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        long I = c.IntermediateSize, V = c.VocabSize, own = Padded(phase.NewTokens, 8);
        long packed = Fp32 * (L * (2 * h + Packed(h, q + 2 * kv) + Packed(q, h) + Packed(h, 2 * I) + Packed(I, h)) + V * h + h + Packed(h, V));
        long prompts = Fp32 * L * distinct * kv * (Padded(prompt, 8) + prompt);
        long rowCaches = Fp32 * 2 * L * rows * kv * own;
        // Per step: the buffers [rows, ...] for the residual stream, its norm, q/k/v, attention, a
        // projection, gate/up, the activation and the logits; the scores of one head; the logits copied
        // out and handed to TokenSampler, with top-p's temporaries.
        long buffers = Fp32 * (rows * (2 * h + Padded(q + 2 * kv, 16) + q + Padded(h, 16) + Padded(2 * I, 16) + I + Padded(V, 16) + c.HeadDim) + Padded(prompt, 8) + own);
        long logits = rows * V * (2 * Fp32 + TopPTemporaries);
        yield return new(phase.Name, "prompts copied to managed decoding", new MemoryParts(model.Weights, 0, 0, 0,
            KvCacheBytes(options, distinct, prompt) + prompts + rowCaches, 0, packed + (distinct + rows) * V * Fp32));
        yield return new(phase.Name, "decoding", new MemoryParts(model.Weights, 0, 0, 0, prompts + rowCaches, 0, packed + buffers + logits));
    }

    static long Padded(long count, long multiple) => (count + multiple - 1) / multiple * multiple;

    // PackedLinear's floats: [in, out rounded up to 16] and a bias of the same width.
    static long Packed(long inFeatures, long outFeatures) => (inFeatures + 1) * Padded(outFeatures, 16);

    /// <summary>The KV cache of <paramref name="rows"/> rows and <paramref name="capacity"/> positions: 2·L·kv_heads·head_dim·capacity·rows·s, plus its int64 mask [rows, capacity].</summary>
    public static long KvCacheBytes(PlanOptions options, long rows, long capacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = options.Model;
        return 2L * c.NumHiddenLayers * c.NumKeyValueHeads * c.HeadDim * capacity * rows * options.DType.Bytes + rows * capacity * Int64;
    }

    /// <summary>
    /// Tensors one decoder layer keeps for the backward pass. A linear keeps its input only when its
    /// weight trains (fully or through an adapter's A); a frozen RMSNorm scale keeps nothing.
    /// </summary>
    static long SavedPerLayer(Shape x, PlanOptions options)
    {
        var c = options.Model;
        bool full = options.Lora is null;
        bool Trains(string module) => full || options.Lora!.Targets(module);
        long bt = x.Tokens, s = x.S, q = x.Q, kv = x.Kv;
        int groups = c.NumAttentionHeads / c.NumKeyValueHeads;
        // RmsNorm: pow and the scaling keep the fp32 input (the residual itself in fp32, a copy in bf16);
        // weight * x keeps the normalised x when the weight trains; the linears after it keep its output.
        long Norm(bool outputKept) => bt * x.H * (Fp32 + (full ? s : 0) + (outputKept ? s : 0));
        long attention = Norm(Trains("q_proj") || Trains("k_proj") || Trains("v_proj"));
        if (c.QueryKeyNorm) attention += bt * (q + kv) * (Fp32 + (full ? s : 0));
        // Rotary x·cos + rotate(x)·sin keeps nothing per layer: autograd saves a product's factor only
        // when the other factor needs a gradient, and only cos and sin (shared by every layer) are kept.
        // SDPA keeps its inputs: rotated queries, keys and values (or their copies repeated to every head).
        attention += bt * s * (q + (groups == 1 ? 2 * kv : 2 * q));
        // Fused kernels keep the output and a fp32 log-sum-exp per row; the math path the probabilities.
        attention += bt * q * s + (long)x.Rows * c.NumAttentionHeads * x.Length * Fp32;
        if (options.Attention == AttentionKernel.Math)
            attention += (long)x.Rows * c.NumAttentionHeads * x.Length * x.Length * s + bt * q * s;
        if (Trains("o_proj")) attention += bt * q * s;  // the heads merged [B, T, q], o_proj's input
        long mlp = Norm(Trains("gate_proj") || Trains("up_proj"));
        // silu keeps gate(x); the product keeps silu(gate(x)) and up(x); down_proj its input.
        mlp += bt * x.I * s * (3 + (Trains("down_proj") ? 1 : 0));
        long adapters = options.Lora is { } lora ? PlanLora.Projections.Count(lora.Targets) * bt * lora.Rank * s : 0;
        return attention + mlp + adapters;
    }

    static long SavedOutsideLayers(Shape x, PlanOptions options, PhaseWorkload phase)
    {
        bool full = options.Lora is null;
        long bt = x.Tokens, s = x.S;
        long rotary = 2 * bt * options.Model.HeadDim * s;  // cos and sin [B, 1, T, head_dim], shared by every layer
        long finalNorm = bt * x.H * (Fp32 + (full ? s : 0));
        long readout = phase.ReadsLogits
            // The chunked head keeps only the read positions' states [n, h] and their indices and targets;
            // their logits are recomputed chunk by chunk in the backward pass.
            ? HeadReads(x, phase).Positions * (x.H * s + 3 * Int64)
            : (long)x.Rows * x.H * s;  // the last token's hidden state, the reward head's input
        return rotary + finalNorm + readout;
    }

    /// <summary>
    /// Positions the head reads (LanguageModel.CompletionLogProbs: the loss's tokens only), and the
    /// chunk of them it sends through at once (LanguageModel.HeadChunkPositions: 2^26 logits).
    /// </summary>
    static (long Positions, long Chunk) HeadReads(Shape x, PhaseWorkload phase)
    {
        long positions = x.Rows * phase.HeadPositions;
        return (positions, Math.Min(positions, Math.Max(1, Modeling.LanguageModel.HeadChunkElements / x.V)));
    }

    /// <summary>
    /// The head's backward (ChunkedTokenLogProbs): one chunk's logits [c, V] recomputed in s, their
    /// fp32 copy when s &lt; 4, and logsumexp's and gather's gradients and their sum [c, V] in fp32; the
    /// states' gradient [n, h] gathered from the chunks and scattered back over [B·T, h]; with full
    /// fine-tuning, each chunk's head-weight gradient [V, h] before it is added to the last.
    /// </summary>
    static long HeadBackward(Shape x, PhaseWorkload phase, PlanOptions options)
    {
        var (positions, chunk) = HeadReads(x, phase);
        long logits = chunk * x.V * (x.S + (options.DType.IsLowPrecision ? Fp32 : 0) + 3 * Fp32);
        long states = 2 * positions * x.H * x.S + x.Tokens * x.H * x.S;
        return logits + states + (options.Lora is null ? x.V * x.H * x.S : 0);
    }

    /// <summary>
    /// The largest temporaries of a gradient-free forward: each module's dispose scope holds its
    /// intermediates until it returns, so the peak is inside the attention or the MLP of one layer,
    /// with the layer's residual stream and norm outputs around it.
    /// </summary>
    static long ForwardTransient(Shape x, PlanOptions options, long maskKeys)
    {
        var c = options.Model;
        long bt = x.Tokens, s = x.S;
        int groups = c.NumAttentionHeads / c.NumKeyValueHeads;
        long attention = bt * s * (4 * x.Q + 3 * x.Kv + (groups > 1 ? 2 * x.Q : 0) + x.H);
        if (options.Attention == AttentionKernel.Math)
            attention += 2L * x.Rows * c.NumAttentionHeads * x.Length * Math.Max(x.Length, maskKeys) * s;
        long mlp = bt * s * (4 * x.I + x.H);
        long layer = bt * x.H * (5 * s + Fp32);
        long rotary = 2 * bt * c.HeadDim * s;
        long mask = maskKeys > 0 ? bt * maskKeys * (s + 3) : 0;
        return layer + Math.Max(attention, mlp) + rotary + mask;
    }

    readonly record struct Shape(long Rows, long Length, long S, long H, long Q, long Kv, long I, long V)
    {
        public Shape(PlanOptions options, long rows, long length) : this(rows, length, options.DType.Bytes, options.Model.HiddenSize,
            (long)options.Model.NumAttentionHeads * options.Model.HeadDim, (long)options.Model.NumKeyValueHeads * options.Model.HeadDim,
            options.Model.IntermediateSize, options.Model.VocabSize)
        {
        }

        public long Tokens => Rows * Length;
    }
}
