using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// The losses of the paper, as batch means over per-example terms, each in fp32. Inputs are 1-D
/// tensors with one value per example.
/// </summary>
public static class PreferenceLosses
{
    /// <summary>
    /// Bradley-Terry: −log σ(r(x, y_w) − r(x, y_l) − m). With a margin m the chosen reward must lead
    /// by at least m before the loss flattens (Llama 2's margin loss).
    /// </summary>
    public static Tensor BradleyTerry(Tensor chosenRewards, Tensor rejectedRewards, Tensor? margins = null)
    {
        using var scope = NewDisposeScope();
        Tensor difference = chosenRewards.to(ScalarType.Float32) - rejectedRewards.to(ScalarType.Float32);
        if (margins is not null) difference = difference - margins.to(ScalarType.Float32);
        return (-nn.functional.logsigmoid(difference)).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// DPO (sigmoid): −log σ(β[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]) on
    /// summed sequence log-probabilities (Rafailov et al. 2023).
    /// </summary>
    public static Tensor Dpo(PreferenceLogProbs logProbs, double beta)
    {
        using var scope = NewDisposeScope();
        using Scalar betaScalar = beta.ToScalar();  // explicit and alive for the call (implicit ones can be finalized too early)
        return (-nn.functional.logsigmoid(logProbs.LogRatioDifference() * betaScalar)).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// IPO: ((log-ratio difference) − 1/(2β))², the squared loss of Azar et al. 2023 that regresses the
    /// gap to a fixed target instead of pushing it to infinity. Uses summed log-probabilities, as the
    /// paper's formulation does.
    /// </summary>
    public static Tensor Ipo(PreferenceLogProbs logProbs, double beta)
    {
        using var scope = NewDisposeScope();
        using Scalar target = (1.0 / (2.0 * beta)).ToScalar(), two = 2.ToScalar();
        return (logProbs.LogRatioDifference() - target).pow(two).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Supervised fine-tuning: mean negative log-likelihood over completion tokens (the prompt and
    /// padding carry no loss). <paramref name="tokenLogProbs"/> [batch, time−1] come from
    /// <see cref="Modeling.LanguageModel.TokenLogProbs"/>; <paramref name="completionMask"/> [batch, time] marks the completion.
    /// </summary>
    public static Tensor Sft(Tensor tokenLogProbs, Tensor completionMask)
    {
        using var scope = NewDisposeScope();
        Tensor mask = completionMask.narrow(1, 1, completionMask.shape[1] - 1).to(ScalarType.Float32);
        using Scalar one = 1.ToScalar();
        return (-(tokenLogProbs * mask).sum() / mask.sum().clamp_min(one)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same mean negative log-likelihood from the completion tokens' log-probabilities alone [n]
    /// (<see cref="Modeling.LanguageModel.CompletionLogProbs"/>); 0 when there are none.
    /// </summary>
    public static Tensor Sft(Tensor completionLogProbs)
    {
        using var scope = NewDisposeScope();
        using Scalar count = Math.Max(1, completionLogProbs.shape[0]).ToScalar();
        return (-completionLogProbs.sum() / count).MoveToOuterDisposeScope();
    }
}

/// <summary>Summed sequence log-probabilities of the chosen and rejected completions under the policy and the reference.</summary>
public sealed record PreferenceLogProbs(Tensor PolicyChosen, Tensor PolicyRejected, Tensor ReferenceChosen, Tensor ReferenceRejected)
{
    /// <summary>(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)), per example, fp32.</summary>
    public Tensor LogRatioDifference() =>
        (PolicyChosen.to(ScalarType.Float32) - ReferenceChosen.to(ScalarType.Float32))
        - (PolicyRejected.to(ScalarType.Float32) - ReferenceRejected.to(ScalarType.Float32));
}
