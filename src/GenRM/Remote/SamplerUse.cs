using GenRM.Bootstrapping;

namespace GenRM.Remote;

/// <summary>
/// One phase of a method that an inference engine served, for results.json and outcome.json:
/// <see cref="Phase"/> is <see cref="Sampling"/> or <see cref="HeldOut"/> of STaR iteration
/// <see cref="Iteration"/>, or the final <see cref="Evaluation"/>; <see cref="Weights"/> names the
/// engine, the model requests named, and the adapter or checkpoint folder behind it.
/// </summary>
public sealed record SamplerUse(string Method, string Phase, int? Iteration, EngineWeights Weights)
{
    public const string Sampling = "sampling", HeldOut = "held-out", Evaluation = "evaluation";

    /// <summary>The phases of <paramref name="iterations"/> that ran on an engine, in order.</summary>
    public static IReadOnlyList<SamplerUse> Of(string method, IReadOnlyList<StarIteration> iterations) =>
        [.. iterations.SelectMany(i => new[] { (Sampling, i.SampledOn), (HeldOut, i.JudgedOn) }
            .Where(p => p.Item2 is not null)
            .Select(p => new SamplerUse(method, p.Item1, i.Iteration, p.Item2!)))];
}
