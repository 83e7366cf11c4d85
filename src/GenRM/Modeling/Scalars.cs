using TorchSharp;

namespace GenRM.Modeling;

/// <summary>
/// Scalars that live for the process. TorchSharp's tensor <c>+</c> passes libtorch an
/// implicitly converted alpha of 1 and keeps no reference to it during the call, so a garbage
/// collection started by another thread can finalize it while libtorch reads it (a decoding step
/// failed so in <c>ParallelMethodsTests</c>: "Expected false to be true" in <c>Scalar::toFloat</c>).
/// The forward and decoding paths add through <see cref="One"/> instead (<c>-</c> takes no alpha).
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Zero = 0.ToScalar();
}
