using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>Settings of supervised fine-tuning (STaR-SFT, the rationalizer, GenRM on the verdict token, pretraining).</summary>
public sealed record SftTrainerConfig
{
    public TrainingConfig Training { get; init; } = new();
}

/// <summary>Supervised fine-tuning: the completion's tokens are learned, the prompt's carry no loss.</summary>
public sealed class SftTrainer(LanguageModel model, SftTrainerConfig config, int padId)
{
    public TrainingResult Train(IReadOnlyList<SftExample> examples, string? runDirectory = null, IProgress<TrainingProgress>? progress = null,
        TextWriter? log = null, string phase = "sft", CancellationToken cancellation = default) =>
        new TrainingLoop(model, config.Training, runDirectory, progress, log).Run(phase, examples, Step, e => e.Length, cancellation);

    StepOutput Step(IReadOnlyList<SftExample> batch)
    {
        using var sequences = SequenceBatch.Create(batch.Select(e => (e.Prompt, e.Completion)).ToArray(), padId, config.Training.MaxLength, model.Device);
        // Only the completion's positions go through the head, in chunks (never the batch's full logits).
        var (logProbs, _) = model.CompletionLogProbs(sequences.Ids, sequences.AttentionMask, sequences.CompletionMask);
        Tensor loss = PreferenceLosses.Sft(logProbs);
        return new StepOutput(loss, new Dictionary<string, Tensor>(), sequences.TokenCount);
    }
}
