using System.Diagnostics;
using GenRM.Modeling;
using GenRM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.MiniWorld;

/// <summary>A pretraining run's outcome: the averaged model (the caller owns it), the loop's metrics, and the wall time.</summary>
public sealed record PretrainingResult(LanguageModel Model, TrainingResult Training, TimeSpan Elapsed)
{
    /// <summary>Mean training loss (of the raw weights) over the last 5 % of the steps, per token in nats.</summary>
    public double FinalLoss
    {
        get
        {
            int tail = Math.Max(1, Training.Metrics.Count / 20);
            return Training.Metrics.TakeLast(tail).Average(row => row["loss"]);
        }
    }
}

/// <summary>
/// Pretrains a MiniWorld base model from scratch on <see cref="PretrainingCorpus"/>: the document
/// stream is tokenized, concatenated and cut into sequences of equal length (no padding, so every
/// token of every step is learned), trained with <see cref="TrainingLoop"/>, and an
/// <see cref="ExponentialMovingAverage"/> of the weights is the result. The same seed, machine and
/// thread count give the same weights, whether the run went straight through or was stopped and
/// resumed from its run folder.
/// </summary>
public sealed class Pretrainer(MiniWorldConfig world, CorpusMix corpus, PretrainingConfig config)
{
    readonly PretrainingConfig _config = config.Validated();
    readonly MiniWorldTokenizer _tokenizer = new();

    /// <summary>
    /// Trains a fresh model of shape <paramref name="modelConfig"/> on <paramref name="device"/> (CPU when
    /// null; the initial weights are drawn on the CPU either way, so the seed means the same start).
    /// With <paramref name="runDirectory"/>, the metrics and a checkpoint every
    /// <see cref="PretrainingConfig.CheckpointEvery"/> steps go there, and a run stopped earlier in the
    /// same folder (with the same settings: the caller's to keep) continues from its checkpoint.
    /// </summary>
    public PretrainingResult Run(ModelConfig modelConfig, IProgress<TrainingProgress>? progress = null, Device? device = null, string? runDirectory = null, TextWriter? log = null,
        CancellationToken cancellation = default)
    {
        if (_config.SequenceLength > modelConfig.MaxPositionEmbeddings)
            throw new BadInputException($"pretraining config: SequenceLength {_config.SequenceLength} exceeds the model's {modelConfig.MaxPositionEmbeddings} positions");
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SftExample> sequences = Sequences();
        using var model = new LanguageModel(modelConfig, _config.Seed);
        if (device is not null) model.to(device);
        using var average = new ExponentialMovingAverage(model, _config.EmaDecay);
        var loop = new TrainingLoop(model, _config.Training(), runDirectory, progress, log, afterOptimizerStep: _ => average.Update(), checkpointed: average);
        TrainingResult training = loop.Run("pretrain", sequences, batch => Step(batch, model), cancellation: cancellation);
        return new PretrainingResult(average.Detach(), training, clock.Elapsed);
    }

    /// <summary>
    /// The corpus cut into <see cref="PretrainingConfig.Steps"/> × batch sequences. Each is one
    /// example whose "prompt" is its first token, so the loss covers every token after it.
    /// </summary>
    List<SftExample> Sequences()
    {
        int length = _config.SequenceLength;
        long count = (long)_config.Steps * _config.BatchSize;
        var sequences = new List<SftExample>((int)count);
        var buffer = new List<int>(2 * length);
        using var documents = new PretrainingCorpus(world, corpus).Documents(_config.Seed).GetEnumerator();
        while (sequences.Count < count && documents.MoveNext())
        {
            buffer.AddRange(_tokenizer.Encode(documents.Current.Text));
            while (buffer.Count >= length && sequences.Count < count)
            {
                sequences.Add(new SftExample([buffer[0]], [.. buffer.GetRange(1, length - 1)]));
                buffer.RemoveRange(0, length);
            }
        }
        return sequences;
    }

    StepOutput Step(IReadOnlyList<SftExample> batch, LanguageModel model)
    {
        using var sequences = SequenceBatch.Create(batch.Select(e => (e.Prompt, e.Completion)).ToArray(), _tokenizer.PadId, _config.SequenceLength, model.Device);
        Tensor logits = model.Forward(sequences.Ids, sequences.AttentionMask);
        Tensor loss = PreferenceLosses.Sft(LanguageModel.TokenLogProbs(logits, sequences.Ids), sequences.CompletionMask);
        return new StepOutput(loss, new Dictionary<string, Tensor>(), sequences.TokenCount);
    }
}
