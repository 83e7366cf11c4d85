using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// State a training run keeps beside its model and optimizer (a weight average), written into every
/// checkpoint of <see cref="TrainingLoop"/> and restored with it, so a resumed run continues it exactly.
/// </summary>
public interface ICheckpointedState
{
    /// <summary>The safetensors file it is saved as in a checkpoint folder.</summary>
    string FileName { get; }

    /// <summary>Its tensors by name, as they are now.</summary>
    IReadOnlyDictionary<string, Tensor> StateTensors();

    /// <summary>Restores tensors written by <see cref="StateTensors"/>; <paramref name="source"/> names the file in errors.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> tensors, string source);
}
