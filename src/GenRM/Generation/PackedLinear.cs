using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace GenRM.Generation;

/// <summary>
/// One or more fp32 linear layers that read the same input (q/k/v, gate/up), side by side, for
/// <see cref="CpuDecoder"/>'s products of a few dozen rows. libtorch's BLAS packs the weights again on
/// every call, which at these sizes costs as much as the product; here they are laid out once per
/// model, in panels of 16 outputs, [stride / 16, in, 16], each panel one contiguous run of memory.
/// </summary>
/// <remarks>
/// Every output sums its bias, then the inputs in order, one fused multiply-add at a time, whichever
/// kernel (four rows or one) computes it: a row's outputs do not depend on the other rows of the batch.
/// </remarks>
internal sealed class PackedLinear
{
    const int Block = 16;
    readonly float[] weights;
    readonly float[] bias;

    /// <summary>Input features.</summary>
    public int In { get; }

    /// <summary>Output features of all the layers together.</summary>
    public int Out { get; }

    /// <summary>Floats per output row: <see cref="Out"/> rounded up to a multiple of 16 (the tail stays 0).</summary>
    public int Stride { get; }

    PackedLinear(float[] weights, float[] bias, int inFeatures, int outFeatures, int stride) =>
        (this.weights, this.bias, In, Out, Stride) = (weights, bias, inFeatures, outFeatures, stride);

    /// <summary>The layers (torch's [out, in] weights, optional biases), outputs in the order given.</summary>
    public static PackedLinear From(params (Tensor Weight, Tensor? Bias)[] layers)
    {
        int inFeatures = (int)layers[0].Weight.shape[1];
        int outFeatures = layers.Sum(l => (int)l.Weight.shape[0]);
        int stride = (outFeatures + Block - 1) / Block * Block;
        var weights = new float[inFeatures * stride];
        var bias = new float[stride];
        int column = 0;
        foreach (var (weight, layerBias) in layers)
        {
            if (weight.shape[1] != inFeatures)
                throw new ArgumentException($"layers read {inFeatures} and {weight.shape[1]} features; they must read the same input.", nameof(layers));
            int rows = (int)weight.shape[0];
            using var scope = NewDisposeScope();
            // Read in place: an unpacked copy of every weight would be garbage as large as the model
            // until the next collection.
            var source = Readable(weight);
            for (int row = 0; row < rows; row++)
            {
                int output = column + row;
                for (int i = 0; i < inFeatures; i++)
                    weights[(output / Block * inFeatures + i) * Block + output % Block] = source[row * inFeatures + i];
            }
            if (layerBias is not null)
                Floats(layerBias).CopyTo(bias, column);
            column += rows;
        }
        return new PackedLinear(weights, bias, inFeatures, outFeatures, stride);
    }

    /// <summary>A copy of <paramref name="t"/>'s elements as fp32, in row-major order.</summary>
    internal static float[] Floats(Tensor t)
    {
        using var scope = NewDisposeScope();
        return Readable(t).ToArray();
    }

    /// <summary>
    /// <paramref name="t"/>'s elements as fp32 on the CPU in row-major order, read in place where they
    /// already are. The span is libtorch's memory, not a copy (TorchSharp's element accessor walks an
    /// index iterator per element, which made copying a prompt cache a sixth of reading the prompt):
    /// the tensors made on the way belong to the caller's dispose scope, which must stay open while the span is read.
    /// </summary>
    internal static ReadOnlySpan<float> Readable(Tensor t) => MemoryMarshal.Cast<byte, float>(t.detach().to(ScalarType.Float32).cpu().contiguous().bytes);

    /// <summary>y[r, 0..Stride) = bias + x[r, 0..In) · W for <paramref name="rows"/> rows; x's rows are <paramref name="xStride"/> apart.</summary>
    public void Apply(ReadOnlySpan<float> x, int xStride, int rows, Span<float> y)
    {
        if (x.Length < (rows - 1) * xStride + In || y.Length < rows * Stride)
            throw new ArgumentException("the buffers are smaller than the batch.");
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bias);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        // One panel of 16 outputs (a few KiB of weights) over every row before the next: the weights
        // are read once per call, and the inputs stay in the L1/L2 caches.
        for (int c = 0; c < Stride; c += Block)
        {
            ref float panel = ref Unsafe.Add(ref w, c * In);
            int row = 0;
            for (; row + 4 <= rows; row += 4)
                FourRows(ref Unsafe.Add(ref x0, row * xStride), xStride, ref panel, ref Unsafe.Add(ref b, c), ref Unsafe.Add(ref y0, row * Stride + c));
            for (; row < rows; row++)
                OneRow(ref Unsafe.Add(ref x0, row * xStride), ref panel, ref Unsafe.Add(ref b, c), ref Unsafe.Add(ref y0, row * Stride + c));
        }
    }

    // 4 rows x 16 outputs in 8 registers; each step of k reads two vectors of weights for four rows.
    void FourRows(ref float x, int xStride, ref float w, ref float b, ref float y)
    {
        var bias0 = Vector256.LoadUnsafe(ref b);
        var bias1 = Vector256.LoadUnsafe(ref b, 8);
        Vector256<float> a0 = bias0, a1 = bias1, c0 = bias0, c1 = bias1, d0 = bias0, d1 = bias1, e0 = bias0, e1 = bias1;
        ref float x1 = ref Unsafe.Add(ref x, xStride);
        ref float x2 = ref Unsafe.Add(ref x, 2 * xStride);
        ref float x3 = ref Unsafe.Add(ref x, 3 * xStride);
        for (int k = 0; k < In; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Block);
            var w0 = Vector256.LoadUnsafe(ref wk);
            var w1 = Vector256.LoadUnsafe(ref wk, 8);
            var v = Vector256.Create(Unsafe.Add(ref x, k));
            a0 = Vector256.FusedMultiplyAdd(v, w0, a0);
            a1 = Vector256.FusedMultiplyAdd(v, w1, a1);
            v = Vector256.Create(Unsafe.Add(ref x1, k));
            c0 = Vector256.FusedMultiplyAdd(v, w0, c0);
            c1 = Vector256.FusedMultiplyAdd(v, w1, c1);
            v = Vector256.Create(Unsafe.Add(ref x2, k));
            d0 = Vector256.FusedMultiplyAdd(v, w0, d0);
            d1 = Vector256.FusedMultiplyAdd(v, w1, d1);
            v = Vector256.Create(Unsafe.Add(ref x3, k));
            e0 = Vector256.FusedMultiplyAdd(v, w0, e0);
            e1 = Vector256.FusedMultiplyAdd(v, w1, e1);
        }
        a0.StoreUnsafe(ref y);
        a1.StoreUnsafe(ref y, 8);
        c0.StoreUnsafe(ref y, (nuint)Stride);
        c1.StoreUnsafe(ref y, (nuint)Stride + 8);
        d0.StoreUnsafe(ref y, (nuint)(2 * Stride));
        d1.StoreUnsafe(ref y, (nuint)(2 * Stride) + 8);
        e0.StoreUnsafe(ref y, (nuint)(3 * Stride));
        e1.StoreUnsafe(ref y, (nuint)(3 * Stride) + 8);
    }

    void OneRow(ref float x, ref float w, ref float b, ref float y)
    {
        var a0 = Vector256.LoadUnsafe(ref b);
        var a1 = Vector256.LoadUnsafe(ref b, 8);
        for (int k = 0; k < In; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Block);
            var v = Vector256.Create(Unsafe.Add(ref x, k));
            a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref wk), a0);
            a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref wk, 8), a1);
        }
        a0.StoreUnsafe(ref y);
        a1.StoreUnsafe(ref y, 8);
    }
}
