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

    KvCache(Tensor[] keys, Tensor[] values, Tensor mask, int length, int capacity)
    {
        (this.keys, this.values, this.mask, Length, Capacity) = (keys, values, mask, length, capacity);
    }

    public KvCache(ModelConfig config, int batch, int capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
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
    /// A new cache whose row i is a copy of this cache's row <paramref name="rows"/>[i] (int64 indices):
    /// a prompt read once then serves every sample drawn from it.
    /// </summary>
    public KvCache SelectRows(Tensor rows)
    {
        Tensor[] Select(Tensor[] tensors) => [.. tensors.Select(t => t.index_select(0, rows).DetachFromDisposeScope())];
        return new KvCache(Select(keys), Select(values), mask.index_select(0, rows).DetachFromDisposeScope(), Length, Capacity);
    }

    /// <summary>Marks the positions of the last forward pass as written.</summary>
    internal void Advance(int count) => Length += count;

    public void Dispose()
    {
        foreach (Tensor t in keys) t.Dispose();
        foreach (Tensor t in values) t.Dispose();
        mask.Dispose();
    }
}
