using System.CommandLine;
using System.Globalization;
using GenRM.Experiments;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Runtime;
using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm pretrain [--preset smoke|default] [--out DIR] [--seed N] [--steps N] [--probe N] [--threads N] [--device D]</c>:
/// pretrains the MiniWorld base model, writes it (with its checksum) into DIR, and prints the time,
/// the final loss and a quick probe of what it learned.
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
        var probeItems = new Option<int?>("--probe") { Description = "Sums per digit count and pairs per section the quick probe asks (default: the preset's; 0 skips it)." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads to use (0: libtorch's default)." };
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var command = new Command("pretrain", "Pretrain the MiniWorld base model and write it with its checksum.") { preset, output, seed, steps, probeItems, threads, device };
        command.SetAction((parsed, cancellation) => Task.FromResult(Run(
            MiniWorldModel.Preset(parsed.GetValue(preset)!), parsed.GetValue(output), parsed.GetValue(seed), parsed.GetValue(steps), parsed.GetValue(probeItems), parsed.GetValue(threads),
            parsed.GetValue(device)!, parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    static int Run(MiniWorldModelPreset preset, string? folder, long? seed, int? steps, int? probeItems, int threads, string deviceName, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (steps is < 1) throw new UsageException($"--steps must be at least 1 (got {steps})");
        if (probeItems is < 0) throw new UsageException($"--probe must not be negative (got {probeItems})");
        if (threads < 0) throw new UsageException($"--threads must not be negative (got {threads})");
        TorchRuntime.SetThreads(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        var config = preset.Pretraining with { Seed = seed ?? preset.Pretraining.Seed, Steps = steps ?? preset.Pretraining.Steps };
        folder ??= MiniWorldBaseModel.Folder(RepositoryData.FindRoot() ?? Directory.GetCurrentDirectory(), preset.Name);

        output.WriteLine(Invariant($"pretrain  preset {preset.Name}: {Parameters(preset.Model)} parameters, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength} tokens ({config.Tokens / 1e6:F1} M), seed {config.Seed}, {device.type.ToString().ToLowerInvariant()}, {TorchSharp.torch.get_num_threads()} threads"));
        var result = new Pretrainer(preset.World, config).Run(preset.Model, new ConsoleProgress(error), device, cancellation);
        using var model = result.Model;
        MiniWorldBaseModel.Save(model, folder);
        output.WriteLine(Invariant($"time      {result.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"loss      {result.FinalLoss:F4} nats per token (mean of the last 5 % of steps)"));
        output.WriteLine($"model     {folder}");
        Probe(model, preset.World, config.Seed, probeItems ?? preset.ProbeItems, output, cancellation);
        return CommandRunner.Success;
    }

    /// <summary>Prints the base model's sum accuracy per digit count and its zero-shot judging per section and mode.</summary>
    static void Probe(LanguageModel model, MiniWorldConfig worldConfig, long seed, int items, TextWriter output, CancellationToken cancellation)
    {
        if (items == 0) return;
        var probe = new BaseModelProbe(model);
        var world = MiniWorldSplits.Generate(worldConfig, seed);
        output.WriteLine($"sums      greedy exact answer, chat format, {items} per digit count:");
        foreach (var sums in probe.Sums(worldConfig.MinDigits, worldConfig.ReasoningDigits, items, seed))
            output.WriteLine(Invariant($"          {sums.Digits} digits  {sums.Accuracy:P1}"));
        output.WriteLine($"judge     zero-shot, greedy, up to {items} pairs per section, chosen answer as A in half:");
        output.WriteLine("          section           mode            parseable  accuracy  says A");
        foreach (string section in MiniWorldSplits.EvaluationSections)
            foreach (var mode in new[] { JudgeMode.Direct, JudgeMode.ChainOfThought })
            {
                cancellation.ThrowIfCancellationRequested();
                var stats = probe.Judge(section, world.SectionPairs(section).Take(items).ToArray(), mode);
                output.WriteLine(Invariant($"          {section,-17} {mode,-15} {stats.ParseableRate,9:P1} {stats.Accuracy,9:P1} {stats.SaysARate,7:P1}"));
            }
    }

    static string Parameters(ModelConfig config)
    {
        using var model = new LanguageModel(config);
        return Invariant($"{model.ParameterCount / 1e6:F2} M");
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
