using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Keys and values of every layer for incremental decoding, preallocated to a maximum length so a
/// decoding step writes in place instead of concatenating. Also keeps the attention mask of every
/// position written so far (0 for left padding), from which positions and masks are derived.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] keys;
    readonly Tensor[] values;
    readonly Tensor mask;

    /// <summary>Positions written so far (the same for every row: padding fills the gaps).</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    /// <summary>Decoder layers cached.</summary>
    public int Layers => keys.Length;

    /// <summary>The prompts the rows continue, read once per distinct prompt, or null when every row caches its own prompt.</summary>
    public SharedPrompts? Prompts { get; }

    KvCache(Tensor[] keys, Tensor[] values, Tensor mask, int length, int capacity, SharedPrompts? prompts)
    {
        (this.keys, this.values, this.mask, Length, Capacity, Prompts) = (keys, values, mask, length, capacity, prompts);
    }

    /// <summary>
    /// An empty cache of <paramref name="batch"/> rows and <paramref name="capacity"/> positions; with
    /// <paramref name="prompts"/> (which it then owns), the positions follow each row's shared prompt.
    /// </summary>
    public KvCache(ModelConfig config, int batch, int capacity, ScalarType dtype, Device device, SharedPrompts? prompts = null)
    {
        if (prompts is not null && prompts.Rows != batch)
            throw new ArgumentException($"the shared prompts serve {prompts.Rows} rows, not {batch}", nameof(prompts));
        Capacity = capacity;
        Prompts = prompts;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
            values[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
        }
        mask = zeros([batch, capacity], ScalarType.Int64, device);
    }

    /// <summary>Records the attention mask of the next <paramref name="newMask"/>.shape[1] positions and returns the mask so far.</summary>
    internal Tensor Extend(Tensor newMask)
    {
        int count = (int)newMask.shape[1];
        if (Length + count > Capacity)
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length + count} were asked for.");
        mask.narrow(1, Length, count).copy_(newMask);
        return mask.narrow(1, 0, Length + count);
    }

    /// <summary>Writes a layer's new keys and values after the cached ones and returns all of them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        int count = (int)newKeys.shape[2];
        keys[layer].narrow(2, Length, count).copy_(newKeys);
        values[layer].narrow(2, Length, count).copy_(newValues);
        return (keys[layer].narrow(2, 0, Length + count), values[layer].narrow(2, 0, Length + count));
    }

    /// <summary>
    /// A new cache whose row i is a copy of this cache's row <paramref name="rows"/>[i]: a prompt read
    /// once then serves every sample drawn from it, and finished rows leave the batch.
    /// </summary>
    public KvCache SelectRows(IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        Tensor index = tensor(rows.Select(r => (long)r).ToArray(), device: mask.device);
        Tensor[] Select(Tensor[] tensors) => [.. tensors.Select(t => t.index_select(0, index).DetachFromDisposeScope())];
        return new KvCache(Select(keys), Select(values), mask.index_select(0, index).DetachFromDisposeScope(), Length, Capacity, Prompts?.SelectRows(rows));
    }

    /// <summary>Layer <paramref name="layer"/>'s keys and values written so far, and the mask of those positions (views).</summary>
    internal (Tensor Keys, Tensor Values, Tensor Mask) Written(int layer) =>
        (keys[layer].narrow(2, 0, Length), values[layer].narrow(2, 0, Length), mask.narrow(1, 0, Length));

    /// <summary>Marks the positions of the last forward pass as written.</summary>
    internal void Advance(int count) => Length += count;

    public void Dispose()
    {
        Prompts?.Dispose();
        foreach (Tensor t in keys) t.Dispose();
        foreach (Tensor t in values) t.Dispose();
        mask.Dispose();
    }
}
