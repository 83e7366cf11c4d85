using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Generation;

/// <summary>Picks the next token from logits: greedy, or temperature with top-k and top-p filtering, from a seeded generator.</summary>
internal sealed class TokenSampler(GenerationOptions options, Generator generator)
{
    /// <summary>
    /// Next token ids [batch] from last-position logits [batch, vocab] (fp32). With <paramref name="sampled"/>,
    /// only those rows are drawn (the others take the most likely token), as one batch of their own: they
    /// take the generator's draws they would take without the other rows.
    /// </summary>
    public Tensor Next(Tensor logits, long[]? sampled = null)
    {
        using var scope = NewDisposeScope();
        if (options.Temperature == 0 || sampled is { Length: 0 })
            return logits.argmax(-1).MoveToOuterDisposeScope();
        if (sampled is null || sampled.Length == logits.shape[0])
            return Draw(logits).MoveToOuterDisposeScope();
        Tensor rows = tensor(sampled, device: logits.device);
        return logits.argmax(-1).index_copy_(0, rows, Draw(logits.index_select(0, rows))).MoveToOuterDisposeScope();
    }

    Tensor Draw(Tensor logits)
    {
        // Explicit Scalars kept alive for the call, and -inf as a 0-dim tensor (as LlamaModel's mask):
        // implicitly converted Scalars can be finalized while libtorch still reads them.
        using Scalar temperature = options.Temperature.ToScalar(), topP = options.TopP.ToScalar();
        Tensor negativeInfinity = tensor(float.NegativeInfinity, device: logits.device).to(logits.dtype);
        Tensor scaled = logits / temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            Tensor kth = scaled.topk(options.TopK, -1).values.narrow(-1, options.TopK - 1, 1);
            scaled = where(scaled < kth, negativeInfinity, scaled);
        }
        if (options.TopP < 1)
        {
            // Its own scope, and in place where the values allow: the sort's [rows, vocabulary]
            // temporaries are gone before the final softmax.
            using var topPScope = NewDisposeScope();
            var (sorted, order) = scaled.sort(-1, descending: true);
            Tensor probabilities = sorted.softmax(-1);
            // Drop a token when the tokens before it already reach top_p; the first one always stays.
            Tensor drop = probabilities.cumsum(-1).sub_(probabilities).ge(topP);
            using Scalar dropped = float.NegativeInfinity.ToScalar();
            scaled.masked_fill_(zeros_like(drop).scatter_(-1, order, drop), dropped);
        }
        return multinomial(scaled.softmax(-1), 1, generator: generator).squeeze(-1);
    }
}
