using TorchSharp;

namespace GenRM.Modeling;

/// <summary>
/// A safetensors dtype name (<c>F32</c>, <c>BF16</c>, ...) with its TorchSharp scalar type and its
/// size in bytes. Only the dtypes TorchSharp can hold are listed; safetensors' unsigned 16/32/64-bit
/// and 8-bit float types are not.
/// </summary>
public sealed record TensorDType(string Name, torch.ScalarType ScalarType, int Size)
{
    /// <summary>Every supported dtype.</summary>
    public static IReadOnlyList<TensorDType> All { get; } =
    [
        new("F64", torch.ScalarType.Float64, 8),
        new("F32", torch.ScalarType.Float32, 4),
        new("F16", torch.ScalarType.Float16, 2),
        new("BF16", torch.ScalarType.BFloat16, 2),
        new("I64", torch.ScalarType.Int64, 8),
        new("I32", torch.ScalarType.Int32, 4),
        new("I16", torch.ScalarType.Int16, 2),
        new("I8", torch.ScalarType.Int8, 1),
        new("U8", torch.ScalarType.Byte, 1),
        new("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>True for F64, F32, F16 and BF16: the dtypes a requested load dtype converts.</summary>
    public bool IsFloatingPoint => torch.is_floating_point(ScalarType);

    /// <summary>The dtype with this safetensors name (case-sensitive, as the format spells it), or null.</summary>
    public static TensorDType? FromName(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The dtype holding this TorchSharp scalar type, or null when safetensors has none here.</summary>
    public static TensorDType? FromScalarType(torch.ScalarType scalarType) => All.FirstOrDefault(d => d.ScalarType == scalarType);
}
