using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>Restoring a checkpoint's tensors into live ones (weights, optimizer moments, a weight average).</summary>
internal static class SavedTensors
{
    /// <summary>
    /// Copies <paramref name="saved"/>[name] into each target, requiring every name with the target's
    /// shape; <paramref name="holder"/> says whose tensors they are in the error, which names
    /// <paramref name="source"/> and the tensor.
    /// </summary>
    public static void CopyInto(IEnumerable<(string Name, Tensor Target)> targets, IReadOnlyDictionary<string, Tensor> saved, string source, string holder)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!saved.TryGetValue(name, out Tensor? value))
                throw BadInputException.About(source, $"the {holder} lacks this tensor.", name);
            if (!value.shape.SequenceEqual(target.shape))
                throw BadInputException.About(source, $"shape [{string.Join(", ", value.shape)}] differs from the model's [{string.Join(", ", target.shape)}].", name);
            target.copy_(value);
        }
    }
}
