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
/// the final loss and its base-model card (also written into DIR). <c>--measure-only</c> measures
/// the card of the model already in DIR.
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
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var command = new Command("pretrain", "Pretrain the MiniWorld base model and write it with its checksum.") { preset, output, seed, steps, probeItems, measureOnly, threads, device };
        command.SetAction((parsed, cancellation) => Task.FromResult(Run(
            MiniWorldModel.Preset(parsed.GetValue(preset)!), parsed.GetValue(output), parsed.GetValue(seed), parsed.GetValue(steps), parsed.GetValue(probeItems), parsed.GetValue(measureOnly), parsed.GetValue(threads),
            parsed.GetValue(device)!, parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    static int Run(MiniWorldModelPreset preset, string? folder, long? seed, int? steps, int? probeItems, bool measureOnly, int threads, string deviceName, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (steps is < 1) throw new UsageException($"--steps must be at least 1 (got {steps})");
        if (probeItems is < 0) throw new UsageException($"--probe must not be negative (got {probeItems})");
        if (threads < 0) throw new UsageException($"--threads must not be negative (got {threads})");
        TorchRuntime.SetThreads(threads);
        var device = TorchRuntime.ResolveDevice(deviceName);
        var config = preset.Pretraining with { Seed = seed ?? preset.Pretraining.Seed, Steps = steps ?? preset.Pretraining.Steps };
        folder ??= MiniWorldBaseModel.Folder(RepositoryData.FindRoot() ?? Directory.GetCurrentDirectory(), preset.Name);

        if (measureOnly)
        {
            using var existing = MiniWorldBaseModel.Load(folder, device);
            Card(existing.Model, preset, folder, probeItems ?? preset.ProbeItems, output, cancellation);
            return CommandRunner.Success;
        }
        output.WriteLine(Invariant($"pretrain  preset {preset.Name}: {Parameters(preset.Model)} parameters, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength} tokens ({config.Tokens / 1e6:F1} M), seed {config.Seed}, {device.type.ToString().ToLowerInvariant()}, {TorchSharp.torch.get_num_threads()} threads"));
        var result = new Pretrainer(preset.World, preset.Corpus, config).Run(preset.Model, new ConsoleProgress(error), device, cancellation);
        using var model = result.Model;
        MiniWorldBaseModel.Save(model, folder);
        output.WriteLine(Invariant($"time      {result.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"loss      {result.FinalLoss:F4} nats per token (mean of the last 5 % of steps)"));
        output.WriteLine($"model     {folder}");
        Card(model, preset, folder, probeItems ?? preset.ProbeItems, output, cancellation);
        return CommandRunner.Success;
    }

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
