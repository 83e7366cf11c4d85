using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>Settings of Bradley-Terry reward-model training.</summary>
public sealed record RewardModelTrainerConfig
{
    public TrainingConfig Training { get; init; } = new();
    /// <summary>Use each example's margin in the loss (Llama 2's margin variant).</summary>
    public bool UseMargin { get; init; }
}

/// <summary>
/// Bradley-Terry reward model: the whole model plus its one-output head learns r(x, y_w) > r(x, y_l).
/// Chosen and rejected sequences share one forward pass. Logs TRL's rewards/chosen,
/// rewards/rejected, accuracies and margins.
/// </summary>
public sealed class RewardModelTrainer
{
    readonly LanguageModel model;
    readonly RewardModelTrainerConfig config;
    readonly int padId;

    public RewardModelTrainer(LanguageModel model, RewardModelTrainerConfig config, int padId)
    {
        if (model.Config.NumLabels != 1)
            throw new ArgumentException("A Bradley-Terry reward model needs a one-output reward head (LanguageModel.WithRewardHead(1, seed)).", nameof(model));
        (this.model, this.config, this.padId) = (model, config, padId);
    }

    public TrainingResult Train(IReadOnlyList<PreferenceExample> examples, string? runDirectory = null, IProgress<TrainingProgress>? progress = null,
        TextWriter? log = null, CancellationToken cancellation = default) =>
        new TrainingLoop(model, config.Training, runDirectory, progress, log).Run("bradley-terry", examples, Step, e => e.Length, cancellation);

    StepOutput Step(IReadOnlyList<PreferenceExample> batch)
    {
        var rows = batch.Select(e => (e.Prompt, e.Chosen)).Concat(batch.Select(e => (e.Prompt, e.Rejected))).ToArray();
        using var sequences = SequenceBatch.Create(rows, padId, config.Training.MaxLength, model.Device);
        Tensor rewards = model.Rewards(sequences.Ids, sequences.AttentionMask).to(ScalarType.Float32);
        Tensor chosen = rewards.narrow(0, 0, batch.Count), rejected = rewards.narrow(0, batch.Count, batch.Count);
        Tensor? margins = config.UseMargin ? tensor(batch.Select(e => e.Margin).ToArray(), device: model.Device) : null;
        Tensor loss = PreferenceLosses.BradleyTerry(chosen, rejected, margins);
        return new StepOutput(loss, PreferenceMetrics.Of(chosen.detach(), rejected.detach()), sequences.TokenCount);
    }
}

/// <summary>The metrics TRL logs for preference training, from per-example implicit or explicit rewards.</summary>
public static class PreferenceMetrics
{
    public static Dictionary<string, Tensor> Of(Tensor chosenRewards, Tensor rejectedRewards) => new(StringComparer.Ordinal)
    {
        ["rewards/chosen"] = chosenRewards.mean(),
        ["rewards/rejected"] = rejectedRewards.mean(),
        ["rewards/accuracies"] = (chosenRewards > rejectedRewards).to(ScalarType.Float32).mean(),
        ["rewards/margins"] = (chosenRewards - rejectedRewards).mean(),
    };
}
