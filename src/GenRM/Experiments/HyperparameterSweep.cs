using System.Globalization;
using GenRM.IO;
using GenRM.MiniWorld;
using GenRM.Reporting;
using GenRM.Runtime;
using GenRM.Training;

namespace GenRM.Experiments;

/// <summary>
/// The values a sweep tries: learning rates shared by every trained method (the rationalizer's
/// keeps its preset ratio to the shared one) and DPO's β.
/// </summary>
public sealed record SweepGrid(IReadOnlyList<double> LearningRates, IReadOnlyList<double> DpoBetas)
{
    /// <summary>Half, one and two times the first MiniWorld's 2e-4; β from the DPO paper's 0.1 to GenRM's 1.0.</summary>
    public static SweepGrid Default { get; } = new([1e-4, 2e-4, 4e-4], [0.1, 0.3, 1.0]);

    public SweepGrid Validated()
    {
        if (LearningRates.Count == 0 || LearningRates.Any(r => !(r > 0) || !double.IsFinite(r)))
            throw new BadInputException("sweep: give at least one learning rate, each positive");
        if (DpoBetas.Count == 0 || DpoBetas.Any(b => !(b > 0) || !double.IsFinite(b)))
            throw new BadInputException("sweep: give at least one DPO β, each positive");
        if (LearningRates.Distinct().Count() != LearningRates.Count || DpoBetas.Distinct().Count() != DpoBetas.Count)
            throw new BadInputException("sweep: a value is listed twice");
        return this;
    }
}

/// <summary>
/// Chooses the MiniWorld study's shared learning rate and DPO's β once, on the held-out slice of
/// the training distribution (never a test section), so that no method gets a setting of its own:
/// every trained method runs at every learning rate (β at the paper's 1.0) and the rate with
/// the best mean held-out accuracy over the methods wins (the smaller on a tie); then STaR-DPO runs
/// at that rate with every β, and the best β wins. Each point is a whole method run (training, STaR
/// sampling, judging the held-out pairs), kept in its own folder, so a stopped sweep resumes.
/// </summary>
public sealed class HyperparameterSweep(ExperimentSpec spec, SweepGrid grid, string folder, IProgress<TrainingProgress>? progress = null, TextWriter? console = null)
{
    /// <summary>The methods whose training a learning rate steers.</summary>
    public static IReadOnlyList<string> TrainedMethods { get; } =
        [StudyOrder.BradleyTerry, StudyOrder.PairRm, StudyOrder.GenRm, StudyOrder.StarSft, StudyOrder.StarRationalizer, StudyOrder.StarDpo];

    public SweepResult Run(CancellationToken cancellation = default)
    {
        grid.Validated();
        var world = spec.MiniWorld ?? throw new BadInputException($"preset {spec.Preset}: the sweep runs on MiniWorld; the paper's setting keeps the paper's values");
        Directory.CreateDirectory(folder);
        using var log = new RunLog(Path.Combine(folder, "run.log"), console);
        TorchRuntime.SetThreads(spec.Threads);
        var device = TorchRuntime.ResolveDevice(spec.Device);
        var preset = MiniWorldModel.Preset(world.Size);
        var data = StudyData.FromMiniWorld(preset.World, spec.Seed, spec.Evaluation.HeldOutItems);
        // The held-out slice is the only pairs judged: they are training-distribution pairs no method trains on.
        var heldOutStudy = data with { Evaluation = [.. data.HeldOut.Select(p => p with { Subset = StudyData.InDistribution })] };
        log.WriteLine($"sweep: preset {spec.Preset}, seed {spec.Seed}, {data.Train.Count} training pairs, {data.HeldOut.Count} held-out pairs judged; learning rates {List(grid.LearningRates)}, β {List(grid.DpoBetas)}");
        using var baseModel = RepositoryData.LoadMiniWorldModel(world.Size, device);

        var points = new List<SweepPoint>();
        SweepPoint Point(string method, double rate, double beta)
        {
            var pointSpec = spec with
            {
                FineTune = spec.FineTune with { LearningRate = rate, RationalizerLearningRate = rate * spec.FineTune.RationalizerLearningRate / spec.FineTune.LearningRate },
                Star = spec.Star with { DpoBeta = beta },
                Evaluation = spec.Evaluation with { PositionBiasItems = 0 },
            };
            string pointFolder = Path.Combine(folder, "points", $"{method}-lr{SweepResult.Number(rate)}-beta{SweepResult.Number(beta)}");
            var outcome = MethodOutcome.TryLoad(pointFolder);
            if (outcome is null)
            {
                Directory.CreateDirectory(pointFolder);
                outcome = new MethodRunner(pointSpec, heldOutStudy, baseModel, new MiniWorldJudgePromptFormat(), (_, _) => { }, progress, log).Run(method, pointFolder, cancellation);
                outcome.Save(pointFolder);
                // Checkpoints are only for resuming this point's training; the outcome is what the sweep keeps.
                DeleteIfPresent(Path.Combine(pointFolder, "train"));
                DeleteIfPresent(Path.Combine(pointFolder, "star"));
            }
            var row = outcome.Rows.Single(r => r.Section == StudyData.InDistribution);
            var point = new SweepPoint(method, rate, beta, row.Accuracy, row.N, outcome.Phases?.Total ?? 0);
            log.WriteLine(Invariant($"sweep: {method} at learning rate {rate:G3}, β {beta:G3}: held-out accuracy {point.HeldOutAccuracy:P1} (n={point.Items})"));
            return point;
        }

        // Rates are compared at the paper's β, not the preset's: the presets take their β from this
        // sweep, and a sweep run again on them must ask the same question.
        double rateStageBeta = Presets.Paper.Star.DpoBeta;
        foreach (double rate in grid.LearningRates)
            foreach (string method in TrainedMethods)
            {
                cancellation.ThrowIfCancellationRequested();
                points.Add(Point(method, rate, rateStageBeta));
            }
        double chosenRate = SweepResult.BestRate(points, grid.LearningRates);
        foreach (double beta in grid.DpoBetas.Where(b => b != rateStageBeta))
        {
            cancellation.ThrowIfCancellationRequested();
            points.Add(Point(StudyOrder.StarDpo, chosenRate, beta));
        }
        var result = new SweepResult(spec.Preset, spec.Seed, data.HeldOut.Count, points, chosenRate, SweepResult.BestBeta(points, chosenRate, grid.DpoBetas));
        result.Save(folder);
        log.WriteLine(Invariant($"sweep: learning rate {result.LearningRate:G3}, DPO β {result.DpoBeta:G3} (sweep.json, sweep.md)"));
        return result;
    }

    static void DeleteIfPresent(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    static string List(IEnumerable<double> values) => string.Join(", ", values.Select(SweepResult.Number));

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
