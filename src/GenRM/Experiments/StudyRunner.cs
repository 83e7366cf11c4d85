using System.Diagnostics;
using GenRM.Evaluation;
using GenRM.IO;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Remote;
using GenRM.Reporting;
using GenRM.Runtime;
using GenRM.Text;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Experiments;

/// <summary>What a finished study wrote, and where; <paramref name="Report"/> is what report.html shows.</summary>
public sealed record StudyResult(string Folder, RunInfo Run, IReadOnlyList<MethodOutcome> Outcomes, StudyReport Report, StudyTimings Timings)
{
    public IReadOnlyList<ResultRow> Rows => [.. Outcomes.SelectMany(o => o.Rows)];
}

/// <summary>
/// Runs a whole study (<c>genrm reproduce</c>): the data, the base model, every method trained
/// and judged on every section, then <c>results.json</c>, <c>results.csv</c>, <c>report.html</c>,
/// <c>timings.json</c> and <c>run.log</c> in the run folder. A method that finished is not redone when the folder is
/// resumed; one that was interrupted continues from its last training checkpoint.
/// </summary>
public sealed class StudyRunner(ExperimentSpec spec, string folder, IProgress<TrainingProgress>? progress = null, TextWriter? console = null)
{
    public const string SpecFile = "spec.json";

    /// <summary>The MiniWorld base model's folder, where its card (<see cref="BaseModelCard"/>) may lie; null for a study on files.</summary>
    string? baseModelFolder;

    /// <summary>Runs every method not yet finished in the folder; stops after <paramref name="stopAfterMethods"/> newly finished methods when positive.</summary>
    public StudyResult Run(int stopAfterMethods = 0, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        AtomicWrite.WriteAllText(Path.Combine(folder, SpecFile), spec.ToJson());
        using var log = new RunLog(Path.Combine(folder, "run.log"), console);
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        TorchRuntime.SetThreads(spec.Threads);
        Device device = TorchRuntime.ResolveDevice(spec.Device);
        log.WriteLine($"genrm reproduce: preset {spec.Preset}, seed {spec.Seed}, device {device.type}, {get_num_threads()} threads, {spec.Workers} worker(s), methods {string.Join(", ", spec.Methods)}");

        using var engine = ConnectSampler(log);
        var (data, baseModel, format, saveModel) = Prepare(device, log);
        double prepared = clock.Elapsed.TotalSeconds;
        log.WriteLine($"data and base model ready in {prepared:F0} s");
        Func<string, EngineSampler>? samplerFor = engine is null ? null
            : method => EngineSampler.Start(engine, method, spec.Files?.BaseModel ?? baseModelFolder!, saveModel, new RemoteSamplingConfig { MaxConcurrency = spec.Sampler!.Concurrency }, log);
        using (baseModel)
        {
            NonFiniteWeights.Warn(baseModel.Model, "base model", log);
            var outcomes = new List<MethodOutcome>();
            var pending = new List<string>();
            foreach (string method in StudyOrder.SortMethods(spec.Methods))
            {
                if (MethodOutcome.TryLoad(MethodFolder(method)) is { } done)
                {
                    log.WriteLine($"[{method}] already finished in this folder; kept.");
                    outcomes.Add(done);
                }
                else pending.Add(method);
            }
            bool stopping = stopAfterMethods > 0 && pending.Count > stopAfterMethods;
            if (stopping) pending = pending[..stopAfterMethods];
            int workers = Math.Min(spec.Workers, Math.Max(1, pending.Count));
            int threadsEach = Math.Max(1, get_num_threads() / workers);
            if (workers > 1)
                log.WriteLine($"running {workers} methods at once, {threadsEach} thread(s) each");
            outcomes.AddRange(MethodPool.Run(pending, workers, threadsEach, (method, token) =>
            {
                MethodOutcome outcome = new MethodRunner(spec, data, baseModel, format, saveModel, progress, log, samplerFor).Run(method, MethodFolder(method), token);
                outcome.Save(MethodFolder(method));
                return outcome;
            }, cancellation, longRunning: JudgeFactory.IsChainOfThought));
            if (stopping)
                log.WriteLine($"stopping after {stopAfterMethods} method(s) as asked; resume with --resume {folder}");
            outcomes.Sort((x, y) => StudyOrder.MethodRank(x.Method).CompareTo(StudyOrder.MethodRank(y.Method)));
            var run = new RunInfo(spec.Preset, spec.Seed, device.type.ToString().ToLowerInvariant(), started, clock.Elapsed.TotalSeconds);
            StudyReport report = WriteResults(run, outcomes, data, log);
            var timings = new StudyTimings(clock.Elapsed.TotalSeconds, prepared,
                outcomes.Where(o => o.Phases is not null).ToDictionary(o => o.Method, o => o.Phases!));
            timings.Write(folder);
            log.WriteLine($"time: {timings} ({StudyTimings.FileName})");
            return new StudyResult(folder, run, outcomes, report, timings);
        }
    }

    string MethodFolder(string method) => Path.Combine(folder, "methods", method);

    /// <summary>The spec's sampler engine, reached before anything loads so an unreachable one fails at once; null without one.</summary>
    EngineClient? ConnectSampler(RunLog log)
    {
        if (spec.Sampler is not { } sampler) return null;
        // Loading a full checkpoint of a large model can take minutes.
        var engine = EngineClient.Connect(sampler.Url, sampler.Model, sampler.ApiKeyEnv, TimeSpan.FromMinutes(10));
        log.WriteLine($"sampler: {engine.Endpoint} samples STaR's rationales and the chain-of-thought judges' votes; it is handed "
            + (spec.FineTune.Lora is null ? "a full checkpoint (update_weights_from_disk)" : "a LoRA adapter (load_lora_adapter)") + " after each STaR iteration");
        return engine;
    }

    (StudyData Data, PretrainedModel BaseModel, IJudgePromptFormat Format, Action<LanguageModel, string> SaveModel) Prepare(Device device, RunLog log)
    {
        if (spec.MiniWorld is { } world)
        {
            var preset = MiniWorldModel.Preset(world.Size);
            var data = StudyData.FromMiniWorld(preset.World, spec.Seed, spec.Evaluation.HeldOutItems);
            log.WriteLine($"MiniWorld ({world.Size}): {data.Train.Count} training pairs, {data.HeldOut.Count} held out, {data.Evaluation.Count} evaluation pairs");
            return (data, MiniWorldBase(world, preset, device, log), new MiniWorldJudgePromptFormat(), MiniWorldBaseModel.Save);
        }
        FileStudy files = spec.Files!;
        var missing = new[] { ("base_model", files.BaseModel, true), ("train", files.Train, false), ("test", files.Test, false), ("out_of_distribution", files.OutOfDistribution, false) }
            .Where(f => f.Item2 is null || (f.Item3 ? !Directory.Exists(f.Item2) : !File.Exists(f.Item2)))
            .Select(f => $"{f.Item1} ({f.Item2 ?? "not given"})").ToArray();
        if (missing.Length > 0)
            throw new BadInputException($"preset {spec.Preset}: missing {string.Join(", ", missing)}. The paper's setting needs a Llama/Qwen2/Mistral folder and the preference files on disk (see README, 'The paper's setting').");
        var fileData = StudyData.FromFiles(files, spec.Seed, spec.Evaluation.HeldOutItems);
        var model = PretrainedModel.Load(files.BaseModel!, device, files.Bfloat16 ? ScalarType.BFloat16 : ScalarType.Float32,
            folder => ChatTemplates.ForFolder(folder, files.TemplateArguments));
        log.WriteLine($"{files.BaseModel}: {model.Model.ParameterCount:N0} parameters; {fileData.Train.Count} training pairs, {fileData.Evaluation.Count} evaluation pairs");
        CpuBf16.Warn(device, model.Model.DType, "the study trains and samples", "\"bfloat16\": false under \"files\" in the spec asks for fp32", log);
        string[] tokenizerFiles = PretrainedModel.TokenizerFiles(files.BaseModel!);
        return (fileData, model, new MtBenchJudgeFormat(), (trained, target) => PretrainedModel.Save(trained, target, tokenizerFiles));
    }

    PretrainedModel MiniWorldBase(MiniWorldStudy world, MiniWorldModelPreset preset, Device device, RunLog log)
    {
        string? committed = RepositoryData.MiniWorldModelFolder(world.Size);
        if (!world.Repretrain && committed is not null)
        {
            log.WriteLine($"base model: {committed} (checksum verified)");
            baseModelFolder = committed;
            return MiniWorldBaseModel.Load(committed, device);
        }
        string target = Path.Combine(folder, "base-model");
        baseModelFolder = target;
        // This run's own model: a resumed run keeps it, and a resumed pretraining continues from its checkpoint.
        if (File.Exists(Path.Combine(target, ShardedCheckpoint.SingleFileName)))
            return MiniWorldBaseModel.Load(target, device);
        log.WriteLine(world.Repretrain ? "base model: pretraining again as asked" : "base model: no committed model found; pretraining");
        var result = new Pretrainer(preset.World, preset.Corpus, preset.Pretraining).Run(preset.Model, progress, device, Path.Combine(folder, "base-model-pretraining"), log);
        using (result.Model)
            MiniWorldBaseModel.Save(result.Model, target);
        log.WriteLine($"base model: pretrained in {result.Elapsed.TotalSeconds:F0} s, final loss {result.FinalLoss:F3}, saved to {target}");
        return MiniWorldBaseModel.Load(target, device);
    }

    StudyReport WriteResults(RunInfo run, IReadOnlyList<MethodOutcome> outcomes, StudyData data, RunLog log)
    {
        var table = new ResultTable();
        foreach (var outcome in outcomes) table.AddRange(outcome.Rows);
        var chosenIsRight = spec.MiniWorld is null ? null : MiniWorldFacts.ChosenIsRight(data.Evaluation);
        var report = new StudyReport(run, table.Rows)
        {
            TrainingCurves = outcomes.Where(o => o.Metrics.Count > 0).ToDictionary(o => o.Method, o => o.Metrics),
            StarIterations = [.. outcomes.SelectMany(o => o.StarIterations)],
            MajorityVotes = [.. outcomes.SelectMany(o => o.MajorityVotes)],
            PositionBias = outcomes.Where(o => o.PositionBias is not null).ToDictionary(o => o.Method, o => o.PositionBias!),
            WorldDescription = data.Description,
            Items = outcomes.Where(o => o.Items.Count > 0).ToDictionary(o => o.Method, o => chosenIsRight is null ? o.Items : MiniWorldFacts.WithTruth(o.Items, chosenIsRight)),
            GreedyResults = [.. outcomes.SelectMany(o => o.GreedyRows)],
            Budgets = [.. outcomes.Select(o => BudgetCard.From(o.Method, o.Metrics, o.Phases?.Training ?? 0, (o.Phases?.Sampling ?? 0) + (o.Phases?.HeldOut ?? 0)))],
            Ceilings = data.Ceilings,
            BaseModelCard = baseModelFolder is null ? null : BaseModelCard.TryLoad(baseModelFolder),
            Sampler = [.. outcomes.SelectMany(o => o.Sampler)],
            Settings = spec.ToJson(),
            Versions = SoftwareVersion.Current(),
            Machine = CpuInfo.Current.Describe(),
            Seeds = [spec.Seed],
        };
        ResultsJson.Write(Path.Combine(folder, "results.json"), report);
        table.WriteCsv(Path.Combine(folder, "results.csv"));
        try
        {
            ReportWriter.Write(Path.Combine(folder, "report.html"), report);
            log.WriteLine($"wrote results.json, results.csv and report.html to {folder} ({run.Seconds:F0} s)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The study is done and its numbers are on disk: a report that cannot be made must not lose them.
            log.WriteLine($"wrote results.json and results.csv to {folder} ({run.Seconds:F0} s); report.html was NOT written: {e.GetType().Name}: {e.Message}");
        }
        return report;
    }
}
