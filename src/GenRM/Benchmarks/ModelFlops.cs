using GenRM.Modeling;

namespace GenRM.Benchmarks;

/// <summary>
/// Model FLOPs of a training step counted as nanoGPT's <c>estimate_mfu</c> does: 6 × N per token for
/// the forward and backward through N matrix parameters, plus 12 · L · H · Q · T per token for
/// attention over a sequence of T tokens (L layers, H heads of width Q). Token embeddings are a
/// lookup and count nothing; the LM head counts only where the step uses it.
/// </summary>
public static class ModelFlops
{
    /// <summary>Parameters that multiply activations: every weight but the token embeddings, without the LM head when <paramref name="withLmHead"/> is false.</summary>
    public static long MatrixParameters(LanguageModel model, bool withLmHead)
    {
        long total = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name == "model.embed_tokens.weight" || (!withLmHead && name == "lm_head.weight")) continue;
            total += parameter.numel();
        }
        return total;
    }

    /// <summary>Training FLOPs (forward and backward) of one sequence of <paramref name="tokens"/> tokens.</summary>
    public static double TrainingFlops(ModelConfig config, long matrixParameters, int tokens) =>
        6.0 * matrixParameters * tokens + 12.0 * config.NumHiddenLayers * config.NumAttentionHeads * config.HeadDim * (double)tokens * tokens;

    /// <summary>Mean training FLOPs per real token over sequences of the given lengths.</summary>
    public static double TrainingFlopsPerToken(ModelConfig config, long matrixParameters, IEnumerable<int> sequenceLengths)
    {
        double flops = 0;
        long tokens = 0;
        foreach (int length in sequenceLengths)
        {
            flops += TrainingFlops(config, matrixParameters, length);
            tokens += length;
        }
        return tokens == 0 ? 0 : flops / tokens;
    }
}
