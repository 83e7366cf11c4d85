using GenRM.Experiments;
using GenRM.Reporting;

namespace GenRM.Planning;

/// <summary>
/// The phases each method of the study runs (MethodRunner, StarLoop, JudgeFactory), at their largest.
/// The base model stays loaded for the whole study; a trained method works on LanguageModel.TrainingCopy:
/// a second full copy for full fine-tuning, only adapters and a head with LoRA. STaR-DPO's reference is
/// log-probabilities computed beforehand by a gradient-free pass, not a third copy. The head reads
/// only the loss's tokens: the verdict for GenRM and the verdict judges, the rationale for STaR.
/// </summary>
public static class MethodWorkloads
{
    /// <summary>The phases of <paramref name="method"/> (an id of <see cref="StudyOrder.Methods"/>).</summary>
    public static IReadOnlyList<PhaseWorkload> For(string method, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool trains = Trains(method);
        PhaseWorkload Copies(PhaseWorkload phase) => phase with { TrainedCopy = trains };
        // A chain-of-thought judge samples k votes per pair; the prompt and its rationale fit the study's length.
        PhaseWorkload Votes() => new("judging (votes)", PhaseKind.Sample, settings.EvalBatch, settings.MaxLength)
        { NewTokens = settings.RationaleTokens, SamplesPerPrompt = settings.Votes };
        PhaseWorkload VerdictJudging() => new("judging", PhaseKind.Forward, settings.EvalBatch, settings.MaxLength) { LossTokens = settings.VerdictTokens };
        // The verdict's two replies follow one read of the prompt where they fit (ModelReadout.SharedPromptLogProbs),
        // half as many prompts per batch; a batch with a prompt too long for them is read as separate rows.
        PhaseWorkload[] VerdictReadout() =>
        [
            VerdictJudging(),
            new("judging, prompt shared", PhaseKind.Forward, Math.Max(1, settings.EvalBatch / 2), settings.MaxLength + settings.VerdictTokens)
            { LossTokens = 2 * settings.VerdictTokens, SharedPrompt = true },
        ];
        PhaseWorkload LanguageModelTraining(int rows, int lossTokens) => new("training", PhaseKind.Train, rows, settings.MaxLength) { LossTokens = lossTokens };
        PhaseWorkload StarSampling() => new("STaR sampling", PhaseKind.Sample, settings.EvalBatch, settings.MaxLength)
        { NewTokens = settings.RationaleTokens, SamplesPerPrompt = settings.SamplesPerItem };

        // The longest packed row: a prompt as long as the length allows beside one reply, then both replies.
        PhaseWorkload SharedPromptPairs(PhaseWorkload phase) =>
            phase with { Length = settings.MaxLength + settings.RationaleTokens, LossTokens = 2 * settings.RationaleTokens, SharedPrompt = true };

        IEnumerable<PhaseWorkload> phases = method switch
        {
            StudyOrder.ZeroShot => VerdictReadout(),
            StudyOrder.ZeroShotCot => [Votes()],
            // Chosen and rejected share one forward: two rows per pair.
            StudyOrder.BradleyTerry =>
            [
                new("training", PhaseKind.Train, 2 * settings.TrainBatch, settings.MaxLength) { RewardLabels = 1 },
                VerdictJudging() with { RewardLabels = 1 },
            ],
            StudyOrder.PairRm =>
            [
                new("training", PhaseKind.Train, settings.TrainBatch, settings.MaxLength) { RewardLabels = 2 },
                VerdictJudging() with { RewardLabels = 2 },
            ],
            StudyOrder.GenRm => [LanguageModelTraining(settings.TrainBatch, settings.VerdictTokens), .. VerdictReadout()],
            StudyOrder.StarSft or StudyOrder.StarRationalizer => [StarSampling(), LanguageModelTraining(settings.TrainBatch, settings.RationaleTokens), Votes()],
            // A batch of pairs that fit is read one row per pair, the prompt once (SharedPromptBatch); a
            // batch with a pair too long for both replies falls back to two trimmed rows per pair. Both can occur.
            StudyOrder.StarDpo =>
            [
                StarSampling(),
                new("reference log-probabilities", PhaseKind.Forward, 2 * settings.TrainBatch, settings.MaxLength) { LossTokens = settings.RationaleTokens },
                SharedPromptPairs(new("reference log-probabilities, prompt shared", PhaseKind.Forward, settings.TrainBatch, settings.MaxLength)),
                LanguageModelTraining(2 * settings.TrainBatch, settings.RationaleTokens),
                SharedPromptPairs(new("training, prompt shared", PhaseKind.Train, settings.TrainBatch, settings.MaxLength)),
                Votes(),
            ],
            _ => throw new BadInputException($"unknown method '{method}'; known: {string.Join(", ", StudyOrder.Methods)}."),
        };
        return [.. phases.Select(Copies)];
    }

    /// <summary>Whether the method fine-tunes the model (every method but the two zero-shot judges).</summary>
    public static bool Trains(string method) => method is not (StudyOrder.ZeroShot or StudyOrder.ZeroShotCot);
}
