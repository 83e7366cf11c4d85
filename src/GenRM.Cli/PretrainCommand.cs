using System.CommandLine;
using System.Globalization;
using GenRM.Experiments;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Runtime;
using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm pretrain [--preset smoke|default] [--out DIR] [--seed N] [--steps N] [--run RUN] [--resume RUN] [--probe N] [--threads N] [--device D]</c>:
/// pretrains the MiniWorld base model, writes it (with its checksum) into DIR, and prints the time,
/// the final loss and its base-model card (also written into DIR). The metrics and a checkpoint every
/// few hundred steps go into a run folder, and <c>--resume RUN</c> continues a stopped run with its own
/// settings. <c>--measure-only</c> measures the card of the model already in DIR.
/// </summary>
internal static class PretrainCommand
{

    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Model size: smoke or default.", DefaultValueFactory = _ => MiniWorldModel.DefaultName };
        preset.AcceptOnlyFromAmong(MiniWorldModel.SmokeName, MiniWorldModel.DefaultName);
        var output = new Option<string?>("--out") { Description = "Model folder to write (default: data/miniworld/<preset>/ in the repository)." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the corpus, the initial weights and the batch order (default: the preset's)." };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps, instead of the preset's (a shorter, weaker run)." };
        var probeItems = new Option<int?>("--probe") { Description = "Items per measure of the base-model card (default: the preset's; 0 skips it)." };
        var measureOnly = new Option<bool>("--measure-only") { Description = "Measure the card of the model already in --out instead of pretraining one." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads to use (0: libtorch's default)." };
        var run = new Option<string?>("--run") { Description = "Run folder for the metrics and the checkpoints (default runs/pretrain-<preset>-<time>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the stopped pretraining in this run folder, with the settings it began with." };
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var command = new Command("pretrain", "Pretrain the MiniWorld base model and write it with its checksum.") { preset, output, seed, steps, run, resume, probeItems, measureOnly, threads, device };
        command.SetAction((parsed, cancellation) =>
        {
            int? probe = parsed.GetValue(probeItems);
            int threadCount = parsed.GetValue(threads);
            if (probe is < 0) throw new UsageException($"--probe must not be negative (got {probe})");
            if (threadCount < 0) throw new UsageException($"--threads must not be negative (got {threadCount})");
            TorchRuntime.SetThreads(threadCount);
            var target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            TextWriter console = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(measureOnly))
            {
                var measured = MiniWorldModel.Preset(parsed.GetValue(preset)!);
                string modelFolder = parsed.GetValue(output) ?? DefaultFolder(measured);
                using var existing = MiniWorldBaseModel.Load(modelFolder, target);
                Card(existing.Model, measured, modelFolder, probe ?? measured.ProbeItems, console, cancellation);
                return Task.FromResult(CommandRunner.Success);
            }
            var (settings, runFolder) = parsed.GetValue(resume) is { } resumeFolder
                ? Resumed(parsed, resumeFolder, preset, output, seed, steps, run)
                : Started(parsed, preset, output, seed, steps, run);
            Pretrain(settings, runFolder, probe, target, console, parsed.InvocationConfiguration.Error, cancellation);
            return Task.FromResult(CommandRunner.Success);
        });
        return command;
    }

    /// <summary>A new run: its settings from the options, written into a run folder no other run holds.</summary>
    static (PretrainRun Settings, string RunFolder) Started(ParseResult parsed, Option<string> preset, Option<string?> output, Option<long?> seed, Option<int?> steps, Option<string?> run)
    {
        if (parsed.GetValue(steps) is < 1 and var count) throw new UsageException($"--steps must be at least 1 (got {count})");
        var chosen = MiniWorldModel.Preset(parsed.GetValue(preset)!);
        var settings = new PretrainRun(chosen.Name, parsed.GetValue(seed) ?? chosen.Pretraining.Seed, parsed.GetValue(steps) ?? chosen.Pretraining.Steps,
            Path.GetFullPath(parsed.GetValue(output) ?? DefaultFolder(chosen)));
        string runFolder = parsed.GetValue(run) ?? Path.Combine("runs", $"pretrain-{chosen.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        if (File.Exists(Path.Combine(runFolder, PretrainRun.FileName)))
            throw new UsageException($"{runFolder} holds a pretraining run already: continue it with --resume {runFolder}, or give another --run.");
        settings.Save(runFolder);
        return (settings, runFolder);
    }

    /// <summary>A stopped run: its own settings, which the options may not change.</summary>
    static (PretrainRun Settings, string RunFolder) Resumed(ParseResult parsed, string runFolder, params Option[] settingOptions)
    {
        if (settingOptions.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } given)
            throw new UsageException($"--resume continues a run with the settings it began with; leave out {given.Name}.");
        return (PretrainRun.Load(runFolder), runFolder);
    }

    static void Pretrain(PretrainRun settings, string runFolder, int? probeItems, TorchSharp.torch.Device device, TextWriter console, TextWriter error, CancellationToken cancellation)
    {
        var progress = new ConsoleProgress(error);
        TextWriter output = progress.Above(console);
        using var stop = new GracefulStop(progress.Above(error), $"`genrm pretrain --resume {Path.GetFullPath(runFolder)}` continues from the last checkpoint", cancellation);
        var preset = MiniWorldModel.Preset(settings.Preset);
        var config = preset.Pretraining with { Seed = settings.Seed, Steps = settings.Steps };
        output.WriteLine(Invariant($"pretrain  preset {preset.Name}: {Parameters(preset.Model)} parameters, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength} tokens ({config.Tokens / 1e6:F1} M), seed {config.Seed}, {device.type.ToString().ToLowerInvariant()}, {TorchSharp.torch.get_num_threads()} threads"));
        output.WriteLine(Invariant($"run       {runFolder}: metrics and a checkpoint every {config.CheckpointEvery} steps; if stopped, `genrm pretrain --resume {runFolder}` continues"));
        var result = new Pretrainer(preset.World, preset.Corpus, config).Run(preset.Model, progress, device, runFolder, output, stop.Token);
        string folder = settings.Out;
        using var model = result.Model;
        MiniWorldBaseModel.Save(model, folder);
        output.WriteLine(Invariant($"time      {result.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"loss      {result.FinalLoss:F4} nats per token (mean of the last 5 % of steps)"));
        output.WriteLine($"model     {folder}");
        Card(model, preset, folder, probeItems ?? preset.ProbeItems, output, stop.Token);
    }

    static string DefaultFolder(MiniWorldModelPreset preset) => MiniWorldBaseModel.Folder(RepositoryData.FindRoot() ?? Directory.GetCurrentDirectory(), preset.Name);

    /// <summary>Measures the base-model card, prints it, and writes it beside the weights.</summary>
    static void Card(LanguageModel model, MiniWorldModelPreset preset, string folder, int items, TextWriter output, CancellationToken cancellation)
    {
        if (items == 0) return;
        var card = new BaseModelProbe(model).Card(preset.Name, preset.World, items, BaseModelProbe.CardSeed, cancellation);
        card.Save(folder);
        output.WriteLine(Invariant($"card      {items} items per measure, world seed {BaseModelProbe.CardSeed} ({BaseModelCard.FileName} beside the weights):"));
        foreach (var m in card.Measures)
        {
            string gate = m.Passes is null ? "" : Invariant($"  gate {(m.Min is { } lo ? lo.ToString("P0", CultureInfo.InvariantCulture) : "")}-{(m.Max is { } hi ? hi.ToString("P0", CultureInfo.InvariantCulture) : "")}: {(m.Passes == true ? "pass" : "FAIL")}");
            output.WriteLine(Invariant($"          {m.Value,7:P1}  n={m.Count,-4} {m.Name}{gate}"));
        }
        output.WriteLine(card.PassesGates ? "          every gate passes" : "          some gates fail: the model is not the zero-shot judge the study needs");
    }

    static string Parameters(ModelConfig config)
    {
        using var model = new LanguageModel(config);
        return Invariant($"{model.ParameterCount / 1e6:F2} M");
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
