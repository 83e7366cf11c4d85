using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRM.Modeling.Lora;

/// <summary>
/// The adapters attached to one model, by the state-dict path of the projection each adapts
/// (<c>model.layers.0.self_attn.q_proj</c>). Built by <see cref="LanguageModel.AddLora"/>; saved and
/// loaded in PEFT's layout by <see cref="LoraAdapterFiles"/>.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    internal sealed record Entry(string Path, string Projection, Linear Base, AdaptableProjections Owner, LoraLayer Adapter);

    readonly List<Entry> entries;

    internal LoraAdapters(LoraConfig config, List<Entry> entries) => (Config, this.entries) = (config, entries);

    /// <summary>The settings the adapters were built with.</summary>
    public LoraConfig Config { get; }

    internal IReadOnlyList<Entry> Entries => entries;

    /// <summary>How many projections carry an adapter.</summary>
    public int ProjectionCount => entries.Count;

    /// <summary>
    /// Attaches a fresh adapter to every projection of <paramref name="modules"/> named in the config's
    /// target modules; A is drawn from <paramref name="seed"/> in path order.
    /// </summary>
    internal static LoraAdapters Attach(IEnumerable<(string Path, AdaptableProjections Projections)> modules, LoraConfig config, long seed)
    {
        config.Validated();
        using var generator = new Generator((ulong)seed);
        var entries = new List<Entry>();
        foreach (var (path, projections) in modules)
            foreach (var (name, projection) in projections.All.Where(p => config.TargetModules.Contains(p.Name)))
            {
                var adapter = new LoraLayer(projection, config, generator);
                projections.Attach(name, adapter);
                entries.Add(new Entry($"{path}.{name}", name, projection, projections, adapter));
            }
        return new LoraAdapters(config, entries);
    }

    /// <summary>Every adapter parameter, named <c>PATH.lora_A.weight</c> and <c>PATH.lora_B.weight</c>.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        entries.SelectMany(e => new[] { ($"{e.Path}.lora_A.weight", (Parameter)e.Adapter.A.weight!), ($"{e.Path}.lora_B.weight", (Parameter)e.Adapter.B.weight!) });

    /// <summary>The count of adapter parameters.</summary>
    public long ParameterCount => NamedParameters().Sum(p => p.Parameter.numel());

    /// <summary>Switches the adapters off until the result is disposed: the model computes its base outputs.</summary>
    public IDisposable Disabled()
    {
        var wereEnabled = entries.Select(e => e.Adapter.Enabled).ToArray();
        foreach (Entry entry in entries) entry.Adapter.Enabled = false;
        return new Restore(() =>
        {
            for (int i = 0; i < entries.Count; i++) entries[i].Adapter.Enabled = wereEnabled[i];
        });
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The projection weights with the adapters folded in (W + (α / r) B A, in W's dtype), by state-dict name.</summary>
    internal Dictionary<string, Tensor> MergedWeights()
    {
        using var noGrad = no_grad();
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (Entry entry in entries)
        {
            using var scope = NewDisposeScope();
            Tensor weight = entry.Base.weight!;
            merged[$"{entry.Path}.weight"] = (weight.to(ScalarType.Float32) + entry.Adapter.WeightDelta()).to(weight.dtype).MoveToOuterDisposeScope();
        }
        return merged;
    }

    /// <summary>Takes the adapters off their projections and frees them.</summary>
    public void Dispose()
    {
        foreach (Entry entry in entries)
        {
            entry.Owner.Detach(entry.Projection);
            entry.Adapter.Dispose();
        }
        entries.Clear();
    }
}
