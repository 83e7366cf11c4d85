using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRM.Modeling.Lora;

/// <summary>
/// A module's linear projections by state-dict name, and the adapters attached to them. The adapters
/// live here, outside the module tree, so the model's state dict stays the Hugging Face one whether or
/// not adapters are attached.
/// </summary>
internal sealed class AdaptableProjections(params (string Name, Linear Projection)[] projections)
{
    readonly Dictionary<string, LoraLayer> adapters = new(StringComparer.Ordinal);

    /// <summary>The projections, in the module's order.</summary>
    public IReadOnlyList<(string Name, Linear Projection)> All { get; } = projections;

    public void Attach(string name, LoraLayer adapter) => adapters.Add(name, adapter);

    public void Detach(string name) => adapters.Remove(name);

    /// <summary><paramref name="projection"/> applied to <paramref name="input"/>, through its adapter when one is attached.</summary>
    public Tensor Apply(string name, Linear projection, Tensor input) =>
        adapters.TryGetValue(name, out LoraLayer? adapter) ? adapter.Forward(projection, input) : projection.forward(input);
}
