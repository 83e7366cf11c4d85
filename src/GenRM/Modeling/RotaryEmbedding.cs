using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Rotary position embeddings in Hugging Face's half-rotation layout (the first and second halves
/// of each head form the pairs), with the config's <c>rope_scaling</c>: Llama 3's frequency
/// scaling, linear (positions divided by the factor) or dynamic NTK.
/// </summary>
/// <remarks>
/// Dynamic NTK follows transformers' rule per forward pass: when the furthest position p of the pass
/// gives a length p + 1 beyond max_position_embeddings, the base grows to
/// theta * (factor * length / max - (factor - 1))^(d / (d - 2)). In cached decoding each step's keys
/// are rotated with that step's base and kept, as transformers' generate does. transformers' module
/// also remembers the longest length it has seen until a pass shorter than max_position_embeddings;
/// that memory across separate calls is not reproduced: every pass here depends only on its input.
/// </remarks>
public sealed class RotaryEmbedding
{
    readonly float[] inverseFrequencies;
    readonly int headDim;
    readonly double theta;
    readonly int maxPositions;
    readonly RopeScaling? scaling;

    public RotaryEmbedding(ModelConfig config)
    {
        (headDim, theta, maxPositions, scaling) = (config.HeadDim, config.RopeTheta, config.MaxPositionEmbeddings, config.RopeScaling);
        inverseFrequencies = Frequencies(theta, frequency => scaling?.Type switch
        {
            RopeScalingType.Llama3 => ScaleLlama3(frequency, scaling),
            RopeScalingType.Linear => frequency / scaling.Factor,
            _ => frequency,
        });
    }

    /// <summary>The inverse frequencies of every position (rope scaling applied), or null when they depend on the pass's length (dynamic NTK).</summary>
    internal IReadOnlyList<float>? FixedInverseFrequencies => scaling?.Type == RopeScalingType.Dynamic ? null : inverseFrequencies;

    float[] Frequencies(double rotaryBase, Func<double, double> scale)
    {
        int half = headDim / 2;
        var frequencies = new float[half];
        for (int i = 0; i < half; i++)
            frequencies[i] = (float)scale(1.0 / Math.Pow(rotaryBase, 2.0 * i / headDim));
        return frequencies;
    }

    float[] FrequenciesFor(Tensor positions)
    {
        if (scaling?.Type != RopeScalingType.Dynamic) return inverseFrequencies;
        long length = positions.max().item<long>() + 1;
        if (length <= maxPositions) return inverseFrequencies;
        double grown = theta * Math.Pow(scaling.Factor * length / maxPositions - (scaling.Factor - 1), headDim / (headDim - 2.0));
        return Frequencies(grown, frequency => frequency);
    }

    // Llama 3.1's rule (published with the model and in transformers' rope utilities): wavelengths
    // longer than original/low_freq_factor are divided by factor, shorter than original/high_freq_factor
    // kept, and those between interpolated smoothly.
    static double ScaleLlama3(double frequency, RopeScaling s)
    {
        double wavelength = 2 * Math.PI / frequency;
        double lowFreqWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highFreqWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        if (wavelength < highFreqWavelength) return frequency;
        if (wavelength > lowFreqWavelength) return frequency / s.Factor;
        double smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * frequency / s.Factor + smooth * frequency;
    }

    /// <summary>cos and sin tables of shape [batch, 1, time, head_dim] for integer <paramref name="positions"/> [batch, time].</summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor inverse = tensor(FrequenciesFor(positions), device: positions.device);
        Tensor angles = positions.to(ScalarType.Float32).unsqueeze(-1) * inverse;
        Tensor both = cat([angles, angles], -1).unsqueeze(1);
        return (both.cos().to(dtype).MoveToOuterDisposeScope(), both.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates queries or keys [batch, heads, time, head_dim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        Tensor rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos).add(rotated * sin, Scalars.One).MoveToOuterDisposeScope();
    }
}
