using GenRM.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// An exponential moving average of a model's weights, kept in a copy of the model:
/// after each optimizer step, average ← d·average + (1 − d)·weights. The decay is warmed up as
/// d = min(<see cref="Decay"/>, (1 + t) / (10 + t)) after t earlier updates (TensorFlow's
/// <c>num_updates</c> rule), so a short run's average does not remember the random initialisation.
/// At MiniWorld's scale the average solved more sums than the raw weights (RECIPES.md).
/// </summary>
public sealed class ExponentialMovingAverage : ICheckpointedState, IDisposable
{
    const string UpdatesName = "updates";

    readonly (Tensor Average, Tensor Weights)[] _pairs;

    /// <summary>Starts the average at <paramref name="model"/>'s current weights.</summary>
    public ExponentialMovingAverage(LanguageModel model, double decay)
    {
        if (decay is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(decay), "EMA decay must be in [0, 1).");
        Decay = decay;
        Average = model.Clone();
        Average.eval();
        var averages = Average.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _pairs = [.. model.named_parameters().Select(p => (averages[p.name], p.parameter))];
    }

    /// <summary>The decay the warm-up rises to.</summary>
    public double Decay { get; }

    /// <summary>The averaged model (owned by this object until <see cref="Detach"/>).</summary>
    public LanguageModel Average { get; private set; }

    /// <summary>Updates applied so far.</summary>
    public int Updates { get; private set; }

    /// <summary>The decay the next update uses.</summary>
    public double CurrentDecay => Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));

    /// <summary>Folds the model's current weights into the average.</summary>
    public void Update()
    {
        double decay = CurrentDecay;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Scalar keep = decay.ToScalar(), blend = (1 - decay).ToScalar();  // explicit and alive for the loop
        foreach (var (average, weights) in _pairs)
            average.mul_(keep).add_(weights.detach(), alpha: blend);
        Updates++;
    }

    /// <inheritdoc/>
    public string FileName => "weight_average.safetensors";

    /// <summary>The averaged weights by parameter name and the count of updates (its warm-up position).</summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        var state = Average.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach(), StringComparer.Ordinal);
        state[UpdatesName] = tensor((long)Updates);
        return state;
    }

    /// <summary>Restores the averaged weights and the update count written by <see cref="StateTensors"/>.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        SavedTensors.CopyInto(Average.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), tensors, source, "weight average");
        if (!tensors.TryGetValue(UpdatesName, out Tensor? updates) || updates.numel() != 1)
            throw BadInputException.About(source, "the weight average lacks its update count.", UpdatesName);
        Updates = (int)updates.item<long>();
    }

    /// <summary>Hands the averaged model to the caller, who then owns (and disposes) it.</summary>
    public LanguageModel Detach()
    {
        var model = Average;
        Average = null!;
        return model;
    }

    public void Dispose() => Average?.Dispose();
}
