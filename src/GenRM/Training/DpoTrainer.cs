using GenRM.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>Which preference-optimisation loss to use.</summary>
public enum PreferenceLoss
{
    /// <summary>DPO's logistic loss.</summary>
    Sigmoid,
    /// <summary>IPO's squared loss.</summary>
    Ipo,
}

/// <summary>Settings of DPO / IPO training. β 1.0 is the paper's for STaR-DPO; 0.4 its rationalizer-IPO variant.</summary>
public sealed record DpoTrainerConfig
{
    public TrainingConfig Training { get; init; } = new();
    public double Beta { get; init; } = 1.0;
    public PreferenceLoss Loss { get; init; } = PreferenceLoss.Sigmoid;
    /// <summary>
    /// Weight of a negative log-likelihood term on the chosen completions, per token (Pang et al. 2024,
    /// "Iterative Reasoning Preference Optimization"). 0, the paper's STaR-DPO, is pure DPO; a positive
    /// weight keeps DPO from lowering the chosen completions' likelihood along with the rejected ones.
    /// </summary>
    public double ChosenNllWeight { get; init; }
}

/// <summary>
/// Direct preference optimisation against a frozen reference whose log-probabilities are computed
/// once for the data set (<see cref="ComputeReference"/>), so the reference model need not stay in
/// memory during training. Logs rewards/chosen = β(log π − log π_ref) of the chosen completions,
/// rewards/rejected, accuracies and margins, as TRL does.
/// </summary>
public sealed class DpoTrainer(LanguageModel model, DpoTrainerConfig config, int padId)
{
    public TrainingResult Train(IReadOnlyList<DpoExample> examples, string? runDirectory = null, IProgress<TrainingProgress>? progress = null,
        TextWriter? log = null, string phase = "dpo", CancellationToken cancellation = default) =>
        new TrainingLoop(model, config.Training, runDirectory, progress, log).Run(phase, examples, Step, e => e.Pair.Length, cancellation);

    /// <summary>The reference model's summed log-probabilities of every chosen and rejected completion.</summary>
    public static IReadOnlyList<DpoExample> ComputeReference(LanguageModel reference, IReadOnlyList<PreferenceExample> examples, int batchSize, int maxLength, int padId)
    {
        var result = new List<DpoExample>(examples.Count);
        using var noGrad = no_grad();
        reference.eval();
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = examples.Skip(start).Take(batchSize).ToArray();
            float[] logProbs = SequenceLogProbs(reference, batch, maxLength, padId, out _).cpu().data<float>().ToArray();
            for (int i = 0; i < batch.Length; i++)
                result.Add(new DpoExample(batch[i], logProbs[i], logProbs[batch.Length + i]));
        }
        return result;
    }

    /// <summary>Summed completion log-probabilities [2 × batch]: every chosen, then every rejected.</summary>
    static Tensor SequenceLogProbs(LanguageModel model, IReadOnlyList<PreferenceExample> batch, int maxLength, int padId, out long tokens) =>
        SequenceLogProbs(model, batch, maxLength, padId, out tokens, out _);

    /// <remarks>
    /// Where the pairs fit unshortened, each pair is one <see cref="SharedPromptBatch"/> row, its prompt
    /// read once for both replies (a third fewer tokens for STaR-DPO's judge prompts): the same sums as
    /// two separate sequences, up to rounding.
    /// </remarks>
    static Tensor SequenceLogProbs(LanguageModel model, IReadOnlyList<PreferenceExample> batch, int maxLength, int padId, out long tokens, out Tensor completionTokens) =>
        SharedPromptBatch.SequenceLogProbs(model, [.. batch.Select(e => (e.Prompt, new[] { e.Chosen, e.Rejected }))], padId, maxLength, out tokens, out completionTokens);

    StepOutput Step(IReadOnlyList<DpoExample> batch)
    {
        Tensor policy = SequenceLogProbs(model, batch.Select(e => e.Pair).ToArray(), config.Training.MaxLength, padId, out long tokens, out Tensor lengths);
        int n = batch.Count;
        var logProbs = new PreferenceLogProbs(
            policy.narrow(0, 0, n),
            policy.narrow(0, n, n),
            tensor(batch.Select(e => e.ReferenceChosen).ToArray(), device: model.Device),
            tensor(batch.Select(e => e.ReferenceRejected).ToArray(), device: model.Device));
        Tensor loss = config.Loss == PreferenceLoss.Ipo ? PreferenceLosses.Ipo(logProbs, config.Beta) : PreferenceLosses.Dpo(logProbs, config.Beta);
        using Scalar beta = config.Beta.ToScalar(), nllWeight = config.ChosenNllWeight.ToScalar(), one = 1.ToScalar();
        if (config.ChosenNllWeight > 0)
            loss = loss.add((-logProbs.PolicyChosen.to(ScalarType.Float32) / lengths.narrow(0, 0, n).clamp_min(one)).mean() * nllWeight, one);
        Tensor chosenRewards = (logProbs.PolicyChosen.detach() - logProbs.ReferenceChosen) * beta;
        Tensor rejectedRewards = (logProbs.PolicyRejected.detach() - logProbs.ReferenceRejected) * beta;
        return new StepOutput(loss, PreferenceMetrics.Of(chosenRewards, rejectedRewards), tokens);
    }
}
