using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Activation checkpointing of one decoder layer (torch.utils.checkpoint's reentrant form, which
/// TorchSharp lacks): the forward runs without autograd and keeps only the layer's input; the
/// backward runs the layer again with autograd, from that input and the CPU random state the forward
/// saw (so a LoRA dropout mask repeats), and back-propagates through it, which accumulates the layer's
/// parameter gradients and returns the input's. Only one layer's activations are alive at a time.
/// </summary>
internal sealed class CheckpointedLayer : autograd.SingleTensorFunction<CheckpointedLayer>
{
    const string LayerKey = "layer", MasksKey = "masks", RandomStateKey = "rng";

    public override string Name => nameof(CheckpointedLayer);

    /// <summary>The layer's output for <paramref name="hidden"/>, its activations recomputed in the backward pass.</summary>
    public static Tensor Run(LlamaDecoderLayer layer, Tensor hidden, AttentionContext context)
    {
        // The backward pass only runs when the output needs a gradient; with frozen embeddings (LoRA)
        // the first layer's input has none, so it is given one (a throwaway, the size of one activation).
        if (!hidden.requires_grad) hidden = hidden.detach().requires_grad_(true);
        return apply(hidden, layer, context);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (hidden, layer, context) = ((Tensor)vars[0], (LlamaDecoderLayer)vars[1], (AttentionContext)vars[2]);
        // The context's tensors belong to the forward pass's dispose scope, gone by the backward pass;
        // saved here, autograd keeps them alive. Which masks exist is saved beside them.
        Tensor?[] masks = [context.Mask, context.WindowMask];
        ctx.save_for_backward([hidden, context.Cos, context.Sin, .. masks.OfType<Tensor>()]);
        ctx.save_data(LayerKey, layer);
        ctx.save_data(MasksKey, masks.Select(m => m is not null).ToArray());
        // Kept as bytes: the context's data may not hold tensors.
        using (Tensor state = get_rng_state()) ctx.save_data(RandomStateKey, state.data<byte>().ToArray());
        using var noGrad = no_grad();
        return layer.Forward(hidden, context);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var layer = (LlamaDecoderLayer)ctx.get_data(LayerKey);
        var hasMask = (bool[])ctx.get_data(MasksKey);
        var savedState = (byte[])ctx.get_data(RandomStateKey);
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor input = saved[0];
        Tensor? mask = hasMask[0] ? saved[3] : null;
        Tensor? windowMask = hasMask[1] ? saved[hasMask[0] ? 4 : 3] : null;
        var context = new AttentionContext(saved[1], saved[2], mask, windowMask, Cache: null);
        using var grad = enable_grad();
        Tensor currentState = get_rng_state();
        set_rng_state(tensor(savedState));
        Tensor replayInput = input.detach().requires_grad_(true);
        Tensor output = layer.Forward(replayInput, context);
        set_rng_state(currentState);
        autograd.backward([output], [gradOutput]);
        // One gradient per argument of apply: the layer and its context have none.
        return [replayInput.grad!.MoveToOuterDisposeScope(), null!, null!];
    }
}
