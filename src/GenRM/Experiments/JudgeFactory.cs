using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Reporting;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Experiments;

/// <summary>The judge each method id evaluates with, over given weights: the one place that maps methods to readouts.</summary>
public static class JudgeFactory
{
    /// <summary>
    /// bradley-terry reads a one-output reward head, pairrm a two-way head, zero-shot and genrm the
    /// verdict-token probabilities, zero-shot-cot and the STaR methods a majority vote of sampled rationales
    /// (which a <paramref name="journal"/> keeps as they finish). <paramref name="progress"/> hears of every judge's work.
    /// </summary>
    public static IPreferenceJudge Create(string method, LanguageModel model, ConversationEncoder encoder, IJudgePromptFormat format,
        EvaluationSettings evaluation, StarSettings sampling, int maxLength, int seed, IProgress<TrainingProgress>? progress = null, SamplingJournal? journal = null) => method switch
    {
        StudyOrder.BradleyTerry => new RewardModelJudge(method, model, encoder, evaluation.BatchSize, maxLength, progress),
        StudyOrder.PairRm => new PairwiseClassifierJudge(method, model, encoder, format, evaluation.BatchSize, maxLength, progress),
        StudyOrder.ZeroShot or StudyOrder.GenRm => new GenerativeJudge(method, model, encoder, format, Config(JudgeReadout.VerdictProbability, evaluation, sampling, maxLength, seed), progress),
        StudyOrder.ZeroShotCot or StudyOrder.StarSft or StudyOrder.StarRationalizer or StudyOrder.StarDpo =>
            new GenerativeJudge(method, model, encoder, format, Config(JudgeReadout.ChainOfThought, evaluation, sampling, maxLength, seed), progress, journal),
        _ => throw new ArgumentException($"Unknown method '{method}'; known: {string.Join(", ", StudyOrder.Methods)}.", nameof(method)),
    };

    /// <summary>Whether <paramref name="method"/> judges by a majority vote of sampled rationales.</summary>
    public static bool IsChainOfThought(string method) => method is StudyOrder.ZeroShotCot or StudyOrder.StarSft or StudyOrder.StarRationalizer or StudyOrder.StarDpo;

    /// <summary>The sampling of rationales, for judging and for STaR.</summary>
    public static GenerationOptions RationaleSampling(StarSettings sampling, long seed) => new()
    {
        Temperature = sampling.Temperature,
        TopP = sampling.TopP,
        MaxNewTokens = sampling.MaxRationaleTokens,
        Seed = seed,
    };

    /// <summary>The chain-of-thought judge's settings: k votes at the study's sampling.</summary>
    public static GenerativeJudgeConfig ChainOfThought(EvaluationSettings evaluation, StarSettings sampling, int maxLength, long seed) => new()
    {
        Readout = JudgeReadout.ChainOfThought,
        Samples = evaluation.Votes,
        Sampling = RationaleSampling(sampling, seed),
        BatchSize = evaluation.BatchSize,
        MaxLength = maxLength,
    };

    /// <summary>
    /// The judge of a generative method whose model answers through <paramref name="source"/>
    /// (e.g. an OpenAI-compatible endpoint); reward-model methods need the weights in this process.
    /// </summary>
    public static GenerativeJudge CreateGenerative(string method, ICompletionSource source, IJudgePromptFormat format,
        EvaluationSettings evaluation, StarSettings sampling, int maxLength, int seed) => method switch
    {
        StudyOrder.ZeroShot or StudyOrder.GenRm => new(method, source, format, Config(JudgeReadout.VerdictProbability, evaluation, sampling, maxLength, seed)),
        StudyOrder.ZeroShotCot or StudyOrder.StarSft or StudyOrder.StarRationalizer or StudyOrder.StarDpo =>
            new(method, source, format, Config(JudgeReadout.ChainOfThought, evaluation, sampling, maxLength, seed)),
        StudyOrder.BradleyTerry or StudyOrder.PairRm => throw new ArgumentException($"'{method}' reads a reward head and needs the model's weights in this process; only generative judges run over an endpoint.", nameof(method)),
        _ => throw new ArgumentException($"Unknown method '{method}'; known: {string.Join(", ", StudyOrder.Methods)}.", nameof(method)),
    };

    static GenerativeJudgeConfig Config(JudgeReadout readout, EvaluationSettings evaluation, StarSettings sampling, int maxLength, int seed) =>
        readout == JudgeReadout.ChainOfThought
            ? ChainOfThought(evaluation, sampling, maxLength, seed)
            : new GenerativeJudgeConfig { Readout = readout, BatchSize = evaluation.BatchSize, MaxLength = maxLength };
}
