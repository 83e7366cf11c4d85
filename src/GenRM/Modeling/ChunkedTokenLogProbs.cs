using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Log-probabilities of chosen tokens through the language-model head, a chunk of positions at a
/// time, so that only one chunk's logits [chunk, vocab] exist at once: with a 128k vocabulary the
/// logits of a whole batch (batch × time × vocab in fp32, plus their log-softmax and gradient) would
/// outweigh the model. The forward keeps only the hidden states it was given; the backward runs the
/// head again on each chunk with autograd and back-propagates through it, which accumulates the
/// head's weight gradient (when it trains) and returns the states' gradient.
/// </summary>
internal sealed class ChunkedTokenLogProbs : autograd.SingleTensorFunction<ChunkedTokenLogProbs>
{
    const string HeadKey = "head", ChunkKey = "chunk";

    public override string Name => nameof(ChunkedTokenLogProbs);

    /// <summary>
    /// log p(<paramref name="targets"/>[i] | <paramref name="states"/>[i]) [n] in fp32, for states [n, hidden]
    /// and targets [n]; <paramref name="head"/> maps states to logits, <paramref name="headTrains"/> says
    /// whether its weight wants a gradient.
    /// </summary>
    public static Tensor Run(Func<Tensor, Tensor> head, Tensor states, Tensor targets, long chunk, bool headTrains)
    {
        if (states.shape[0] == 0) return zeros(0, ScalarType.Float32, states.device);
        bool needsBackward = is_grad_enabled() && (states.requires_grad || headTrains);
        if (!needsBackward) return Chunked(head, states, targets, chunk);
        // A frozen trunk under a training head: the backward only runs when the input wants a gradient.
        if (!states.requires_grad) states = states.detach().requires_grad_(true);
        return apply(states, targets, head, chunk);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (states, targets, head, chunk) = ((Tensor)vars[0], (Tensor)vars[1], (Func<Tensor, Tensor>)vars[2], (long)vars[3]);
        ctx.save_for_backward([states, targets]);
        ctx.save_data(HeadKey, head);
        ctx.save_data(ChunkKey, chunk);
        using var noGrad = no_grad();
        return Chunked(head, states, targets, chunk);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var head = (Func<Tensor, Tensor>)ctx.get_data(HeadKey);
        long chunk = (long)ctx.get_data(ChunkKey);
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor states = saved[0], targets = saved[1];
        var gradients = new List<Tensor>();
        using var grad = enable_grad();
        for (long start = 0; start < states.shape[0]; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            long length = Math.Min(chunk, states.shape[0] - start);
            Tensor input = states.narrow(0, start, length).detach().requires_grad_(true);
            Tensor logProbs = LogProbs(head, input, targets.narrow(0, start, length));
            autograd.backward([logProbs], [gradOutput.narrow(0, start, length)]);
            gradients.Add(input.grad!.MoveToOuterDisposeScope());
        }
        // One gradient per argument of apply: the targets, the head and the chunk size have none.
        return [cat(gradients, 0).MoveToOuterDisposeScope(), null!, null!, null!];
    }

    static Tensor Chunked(Func<Tensor, Tensor> head, Tensor states, Tensor targets, long chunk)
    {
        using var scope = NewDisposeScope();
        var pieces = new List<Tensor>();
        for (long start = 0; start < states.shape[0]; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            long length = Math.Min(chunk, states.shape[0] - start);
            pieces.Add(LogProbs(head, states.narrow(0, start, length), targets.narrow(0, start, length)).MoveToOuterDisposeScope());
        }
        return (pieces.Count == 1 ? pieces[0] : cat(pieces, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>gather − logsumexp in fp32: no second vocabulary-sized tensor, as log_softmax would make.</summary>
    static Tensor LogProbs(Func<Tensor, Tensor> head, Tensor states, Tensor targets)
    {
        using var scope = NewDisposeScope();
        Tensor logits = head(states).to(ScalarType.Float32);
        return (logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)).MoveToOuterDisposeScope();
    }
}
