using System.Diagnostics;
using GenRM.Bootstrapping;
using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Remote;
using GenRM.Reporting;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Experiments;

/// <summary>
/// Trains (where the method trains) and evaluates one method of the paper, starting each time
/// from the same base model, with the study's shared settings (with LoRA the trained model shares the
/// base model's frozen weights, so no second copy is held). A trained judge's weights are
/// written (by <c>saveModel</c>) to <c>methods/&lt;method&gt;/model</c>, a folder <c>genrm eval</c> loads.
/// With <paramref name="samplerFor"/> (the spec's sampler), chain-of-thought methods sample their
/// STaR rationales and their judges' votes on an inference engine that follows their training.
/// </summary>
public sealed class MethodRunner(ExperimentSpec spec, StudyData data, PretrainedModel baseModel, IJudgePromptFormat format,
    Action<LanguageModel, string> saveModel, IProgress<TrainingProgress>? progress, TextWriter log, Func<string, EngineSampler>? samplerFor = null)
{
    readonly ConversationEncoder encoder = new(baseModel.Tokenizer, baseModel.Template);
    readonly Lazy<Dictionary<string, Data.PreferencePair>> trainById = new(() => data.Train.ToDictionary(p => p.Id, StringComparer.Ordinal));

    /// <summary>Runs <paramref name="method"/>, writing checkpoints and exports under <paramref name="folder"/>.</summary>
    public MethodOutcome Run(string method, string folder, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        log.WriteLine($"[{method}] starting");
        IReadOnlyList<IReadOnlyDictionary<string, double>> metrics = [];
        IReadOnlyList<StarIterationStats> star = [];
        LanguageModel? trained = null;
        using EngineSampler? sampler = samplerFor is not null && JudgeFactory.IsChainOfThought(method) ? samplerFor(method) : null;
        // Rationales sampled here are kept batch by batch until the method ends, so that a method
        // stopped part-way samples again only what it had not finished (its training resumes from its
        // checkpoints); a run resumed with other settings samples afresh.
        var journal = sampler is null && JudgeFactory.IsChainOfThought(method) ? new SamplingJournal(Path.Combine(folder, "sampled"), $"{method}: {spec.ToJson()}", replaceStale: true) : null;
        IReadOnlyList<SamplerUse> uses = [];
        try
        {
            IPreferenceJudge judge;
            switch (method)
            {
                case StudyOrder.ZeroShot or StudyOrder.ZeroShotCot:
                    judge = Judge(method, baseModel.Model, sampler, journal);
                    break;
                case StudyOrder.BradleyTerry:
                    trained = baseModel.Model.TrainingCopy(spec.FineTune.Lora, labels: 1, spec.Seed);
                    metrics = new RewardModelTrainer(trained, new RewardModelTrainerConfig { Training = MethodSettings.PairTraining(spec) }, PadId)
                        .Train(JudgeTrainingData.BradleyTerry(data.Train, encoder), Train(folder), progress, log, cancellation).Metrics;
                    judge = Judge(method, trained);
                    break;
                case StudyOrder.PairRm:
                    trained = baseModel.Model.TrainingCopy(spec.FineTune.Lora, labels: 2, spec.Seed);
                    metrics = new PairwiseClassifierTrainer(trained, new PairwiseClassifierTrainerConfig { Training = MethodSettings.PairTraining(spec) }, PadId)
                        .Train(JudgeTrainingData.PairwiseClassifier(data.Train, encoder, format), Train(folder), progress, log, cancellation).Metrics;
                    judge = Judge(method, trained);
                    break;
                case StudyOrder.GenRm:
                    trained = baseModel.Model.TrainingCopy(spec.FineTune.Lora);
                    metrics = new SftTrainer(trained, new SftTrainerConfig { Training = MethodSettings.Training(spec) }, PadId)
                        .Train(JudgeTrainingData.Verdicts(data.Train, encoder, format), Train(folder), progress, log, method, cancellation).Metrics;
                    judge = Judge(method, trained);
                    break;
                case StudyOrder.StarSft or StudyOrder.StarRationalizer or StudyOrder.StarDpo:
                    trained = baseModel.Model.TrainingCopy(spec.FineTune.Lora);
                    var iterations = new StarLoop(trained, encoder, format, MethodSettings.Star(spec, method), sampler).Run(data.Train, data.HeldOut, Path.Combine(folder, "star"), progress, log, journal, cancellation);
                    star = [.. iterations.Select(i => WithChecks(StarIterationStats.From(method, i, spec.Seed), i))];
                    metrics = [.. iterations.Where(i => i.Training is not null).SelectMany(i => i.Training!.Metrics.Select(row => WithIteration(row, i.Iteration)))];
                    uses = SamplerUse.Of(method, iterations);
                    judge = Judge(method, trained, sampler, journal);
                    break;
                default:
                    throw new ArgumentException($"Unknown method '{method}'.", nameof(method));
            }
            if (trained is not null)
                saveModel(trained, Path.Combine(folder, "model"));
            var outcome = Evaluate(judge, method, metrics, star, clock, cancellation);
            journal?.Discard();
            return sampler is null ? outcome : outcome with { Sampler = [.. uses, new SamplerUse(method, SamplerUse.Evaluation, null, sampler.Serving)] };
        }
        finally
        {
            trained?.Dispose();
        }
    }

    MethodOutcome Evaluate(IPreferenceJudge judge, string method, IReadOnlyList<IReadOnlyDictionary<string, double>> metrics,
        IReadOnlyList<StarIterationStats> star, Stopwatch clock, CancellationToken cancellation)
    {
        double beforeEvaluation = clock.Elapsed.TotalSeconds;
        var generative = JudgeFactory.IsChainOfThought(method) ? judge as GenerativeJudge : null;
        string where = judge is GenerativeJudge { Source: not "local" } remote ? $" on {remote.Source}" : "";
        log.WriteLine($"[{method}] judging {data.Evaluation.Count} evaluation pairs{where}{(generative is null ? "" : ", with a greedy rationale (temperature 0) beside the votes")}");
        IReadOnlyList<JudgedPair> judged;
        IReadOnlyList<JudgedPair>? greedy = null;
        if (generative is null)
            judged = JudgeEvaluation.Run(judge, data.Evaluation, spec.Seed, cancellation);
        else
            (judged, greedy) = JudgeEvaluation.RunWithGreedy(generative, data.Evaluation, spec.Seed, cancellation);
        var rows = JudgeEvaluation.Rows(method, judged, spec.Seed);
        var greedyRows = greedy is null ? [] : JudgeEvaluation.Rows(method, greedy, spec.Seed);
        if (JudgeEvaluation.ConstantScore(judged) is double constant)
            log.WriteLine($"[{method}] warning: the reward model gives every response the same score ({constant:G6}); it has collapsed, and its accuracies (ties count as wrong) measure nothing");
        PositionBiasReport? bias = null;
        bool pairwise = judge is not RewardModelJudge;
        if (pairwise && spec.Evaluation.PositionBiasItems > 0)
            bias = JudgeEvaluation.PositionBias(judge, [.. data.InDistributionTest.Take(spec.Evaluation.PositionBiasItems)], cancellation);
        var votes = judge is GenerativeJudge && judged.Any(j => j.Judgement.Votes is { Count: > 1 }) ? MajorityVotes(method, judged) : [];
        foreach (var row in rows)
            log.WriteLine($"[{method}] {row.Section}: {row.Accuracy:P1} [{row.Ci95.Low:P1}, {row.Ci95.High:P1}] n={row.N}");
        foreach (var row in greedyRows)
            log.WriteLine($"[{method}] {row.Section}, greedy: {row.Accuracy:P1} [{row.Ci95.Low:P1}, {row.Ci95.High:P1}] n={row.N}");
        double seconds = clock.Elapsed.TotalSeconds;
        double sampling = star.Sum(i => i.Seconds?.Sampling ?? 0), heldOut = star.Sum(i => i.Seconds?.HeldOut ?? 0);
        var phases = new MethodPhases(beforeEvaluation - sampling - heldOut, sampling, heldOut, seconds - beforeEvaluation);
        log.WriteLine($"[{method}] done in {seconds:F0} s: {phases}");
        return new MethodOutcome(method, rows, metrics, star, bias, votes, phases)
        {
            Items = ItemRecords.From(spec.Seed, judged, greedy, spec.MiniWorld is not null),
            GreedyRows = greedyRows,
        };
    }

    /// <summary>A MiniWorld STaR iteration's statistics with how many of its rationales do the world's check.</summary>
    StarIterationStats WithChecks(StarIterationStats stats, StarIteration iteration)
    {
        if (spec.MiniWorld is null) return stats;
        var (sampled, kept) = MiniWorldFacts.StarChecks(iteration.Samples, trainById.Value);
        return stats with { SampledWithCheck = sampled, KeptWithCheck = kept };
    }

    /// <summary>In-distribution accuracy with one sampled verdict against the majority of all k.</summary>
    static IReadOnlyList<MajorityVoteStats> MajorityVotes(string method, IReadOnlyList<JudgedPair> judged)
    {
        var inDistribution = judged.Where(j => j.Pair.Subset == StudyData.InDistribution).ToArray();
        return inDistribution.Length == 0 ? [] : MajorityVoting.Measure(method, inDistribution, [1, inDistribution[0].Judgement.Votes!.Count]);
    }

    /// <summary>The method's judge over <paramref name="model"/>, or over the engine <paramref name="sampler"/> when one serves it.</summary>
    IPreferenceJudge Judge(string method, LanguageModel model, EngineSampler? sampler = null, SamplingJournal? journal = null) => sampler is null
        ? JudgeFactory.Create(method, model, encoder, format, spec.Evaluation, spec.Star, spec.FineTune.MaxLength, spec.Seed, progress, journal)
        : JudgeFactory.CreateGenerative(method, sampler, format, spec.Evaluation, spec.Star, spec.FineTune.MaxLength, spec.Seed);

    int PadId => baseModel.Tokenizer.PadId;

    static string Train(string folder) => Path.Combine(folder, "train");

    static Dictionary<string, double> WithIteration(IReadOnlyDictionary<string, double> row, int iteration) =>
        new Dictionary<string, double>(row) { ["iteration"] = iteration };
}
