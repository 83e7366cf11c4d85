using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>An input sequence and the class its head should pick (PairRM: 0 when response A is better, 1 when B).</summary>
public sealed record ClassificationExample(int[] Input, int Label);

/// <summary>Settings of pairwise-classifier (PairRM) training.</summary>
public sealed record PairwiseClassifierTrainerConfig
{
    public TrainingConfig Training { get; init; } = new();
}

/// <summary>Cross-entropy on a multi-way head read at each input's last token (PairRM's "which is better" classifier).</summary>
public sealed class PairwiseClassifierTrainer
{
    readonly LanguageModel model;
    readonly PairwiseClassifierTrainerConfig config;
    readonly int padId;

    public PairwiseClassifierTrainer(LanguageModel model, PairwiseClassifierTrainerConfig config, int padId)
    {
        if (model.Config.NumLabels < 2)
            throw new ArgumentException("A pairwise classifier needs a head of two or more outputs (LanguageModel.WithRewardHead(2, seed)).", nameof(model));
        (this.model, this.config, this.padId) = (model, config, padId);
    }

    public TrainingResult Train(IReadOnlyList<ClassificationExample> examples, string? runDirectory = null, IProgress<TrainingProgress>? progress = null,
        TextWriter? log = null, CancellationToken cancellation = default) =>
        new TrainingLoop(model, config.Training, runDirectory, progress, log).Run("pairrm", examples, Step, e => e.Input.Length, cancellation);

    StepOutput Step(IReadOnlyList<ClassificationExample> batch)
    {
        using var sequences = SequenceBatch.Create([.. batch.Select(e => SequenceBatch.WholeInput(e.Input))], padId, config.Training.MaxLength, model.Device);
        Tensor logits = model.Scores(sequences.Ids, sequences.AttentionMask).to(ScalarType.Float32);
        Tensor labels = tensor(batch.Select(e => (long)e.Label).ToArray(), device: model.Device);
        Tensor loss = nn.functional.cross_entropy(logits, labels);
        Tensor accuracy = (logits.argmax(1) == labels).to(ScalarType.Float32).mean();
        return new StepOutput(loss, new Dictionary<string, Tensor> { ["accuracy"] = accuracy }, sequences.TokenCount);
    }
}
