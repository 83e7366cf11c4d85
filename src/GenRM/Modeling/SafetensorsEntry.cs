namespace GenRM.Modeling;

/// <summary>
/// One tensor as a safetensors header describes it: dtype, shape and its byte range
/// [<see cref="Begin"/>, <see cref="End"/>) relative to the start of the file's data block.
/// </summary>
public sealed record SafetensorsEntry(string Name, TensorDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>The number of bytes the tensor occupies in the data block.</summary>
    public long ByteCount => End - Begin;

    /// <summary>The shape as an array, as TorchSharp factory methods take it.</summary>
    public long[] ShapeArray() => [.. Shape];

    /// <summary>The shape written as <c>[a, b]</c>, for messages.</summary>
    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
