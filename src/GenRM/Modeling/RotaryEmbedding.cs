using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Rotary position embeddings in Hugging Face's half-rotation layout (the first and second halves
/// of each head form the pairs), with Llama 3's frequency scaling when the config asks for it.
/// </summary>
public sealed class RotaryEmbedding
{
    readonly float[] inverseFrequencies;

    public RotaryEmbedding(ModelConfig config)
    {
        int half = config.HeadDim / 2;
        inverseFrequencies = new float[half];
        for (int i = 0; i < half; i++)
        {
            double frequency = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim);
            inverseFrequencies[i] = (float)(config.RopeScaling is { } s ? ScaleLlama3(frequency, s) : frequency);
        }
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
        Tensor inverse = tensor(inverseFrequencies, device: positions.device);
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
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
