using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// What every layer of one forward pass shares: rotary tables for the tokens' positions, the
/// attention mask, and the KV cache when decoding incrementally.
/// </summary>
/// <param name="Cos">Rotary cos table [batch, 1, time, head_dim].</param>
/// <param name="Sin">Rotary sin table [batch, 1, time, head_dim].</param>
/// <param name="Mask">Additive mask [batch, 1, time, keys] (0 or a large negative), or null for plain causal attention.</param>
/// <param name="WindowMask">The mask of sliding-window layers: <paramref name="Mask"/> with keys beyond the window masked too, or <paramref name="Mask"/> itself when no key is that far back.</param>
/// <param name="Cache">The cache to read from and append to, or null.</param>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor? Mask, Tensor? WindowMask, KvCache? Cache)
{
    /// <summary>The mask a layer uses: the window's when it slides.</summary>
    public Tensor? MaskFor(bool slidingWindow) => slidingWindow ? WindowMask : Mask;
}
