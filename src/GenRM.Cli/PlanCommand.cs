using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.Planning;

namespace GenRM.Cli;

/// <summary><c>genrm plan</c>: each method's peak memory by part, from a model's config.json and a preset, before anything loads.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "smoke, default, paper, or a .json spec file.", DefaultValueFactory = _ => "default" };
        var model = new Option<string?>("--model") { Description = "A model folder with config.json (only the config is read); default: the preset's model." };
        var device = DeviceOptions.Device(defaultValue: null);
        var memory = new Option<string?>("--memory") { Description = "Memory to plan against (e.g. 80GiB, 24GB); default: the device's (RAM for cpu, nvidia-smi for cuda)." };
        var dtype = new Option<string?>("--dtype") { Description = "Weight precision, float32 or bfloat16 (default: the preset's)." };
        var methods = new Option<string[]>("--methods") { Description = "Plan only these methods (comma-separated ids).", AllowMultipleArgumentsPerToken = true };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Plan LoRA adapters of this rank (default: the preset's fine_tune.lora, if any)." };
        var loraTargets = new Option<string?>("--lora-targets") { Description = "Projections with adapters (comma-separated, or all-linear; default q_proj,v_proj)." };
        var checkpointing = new Option<bool>("--checkpointing") { Description = "Plan with activation checkpointing per decoder layer (on when the preset's fine_tune has it)." };
        var attention = new Option<string>("--attention") { Description = "fused (SDPA's flash or memory-efficient kernels, on the CPU as on CUDA; the default) or math (B·H·T² probabilities kept).", DefaultValueFactory = _ => "fused" };
        attention.AcceptOnlyFromAmong("fused", "math");
        var measure = new Option<bool>("--measure") { Description = "Measure the estimate against the real peak (VmHWM) on several model sizes, one fresh process per case (several minutes)." };
        var measureOne = new Option<string?>("--measure-one") { Hidden = true, Description = "size/scenario: measure one case in this process (what --measure starts)." };
        var command = new Command("plan", "Print each method's peak memory by part (weights, gradients, optimizer, activations, KV cache) and the largest batch and length that fit, from config.json alone.")
        {
            preset, model, device, memory, dtype, methods, loraRank, loraTargets, checkpointing, attention, measure, measureOne,
        };
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(measureOne) is { } one) return MeasureOne(one, output);
            if (parsed.GetValue(measure)) return MeasureAll(output, parsed.InvocationConfiguration.Error);
            var spec = Presets.Get(parsed.GetValue(preset)!);
            if (parsed.GetValue(methods) is { Length: > 0 } chosen)
                spec = (spec with { Methods = [.. chosen.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries))] }).Validated("--methods");
            string deviceName = parsed.GetValue(device) ?? spec.Device;
            var options = Options(spec, parsed.GetValue(model), "--model");
            options = options with
            {
                OnCpu = DeviceMemory.IsCpu(deviceName),
                Lora = parsed.GetValue(loraRank) is int rank ? PlanLora.Parse(rank, parsed.GetValue(loraTargets)) : options.Lora,
                Checkpointing = parsed.GetValue(checkpointing) || options.Checkpointing,
            };
            options = options with { Attention = Enum.Parse<AttentionKernel>(parsed.GetValue(attention)!, ignoreCase: true) };
            if (parsed.GetValue(dtype) is { } name) options = options with { DType = PlanDType.Parse(name) };
            var (bytes, source) = DeviceMemory.TryTotal(deviceName, parsed.GetValue(memory), out string? reason) ?? throw new BadInputException($"--device {deviceName}: {reason}.");
            output.Write(MemoryPlanTable.Format(MemoryPlanner.Plan(options, PlanSettings.From(spec), bytes, source)));
            return CommandRunner.Success;
        });
        return command;
    }

    /// <summary>The plan's model and precision for a spec; <paramref name="folder"/> overrides the spec's model.</summary>
    static PlanOptions Options(ExperimentSpec spec, string? folder, string option)
    {
        var (config, _) = PlanModel.For(spec, folder) ?? throw new BadInputException($"{option}: the '{spec.Preset}' preset names no base model; give a model folder with config.json.");
        return new PlanOptions
        {
            Model = config,
            DType = PlanModel.DType(spec),
            Lora = spec.FineTune.Lora is { } lora ? new PlanLora(lora.Rank, lora.TargetModules) : null,
            Checkpointing = spec.FineTune.GradientCheckpointing,
        };
    }

    /// <summary>
    /// <c>reproduce</c>'s check before anything loads: with <paramref name="planOnly"/>, prints the plan and returns 0; else, when a
    /// method will not fit, prints the plan and refuses (exit 1). Null: go on (everything fits, or the memory or the model is unknown).
    /// </summary>
    public static int? Gate(ExperimentSpec spec, string? memory, bool planOnly, TextWriter output)
    {
        // A files study whose model is not on disk: the runner names every missing file at once.
        if (!planOnly && spec.Files is { } files && (files.BaseModel is null || !File.Exists(Path.Combine(files.BaseModel, "config.json"))))
            return null;
        if (PlanModel.For(spec, null) is null)
            throw new BadInputException("--plan: the spec names no base model; give --model.");
        var options = Options(spec, null, "--model") with { OnCpu = DeviceMemory.IsCpu(spec.Device) };
        if (DeviceMemory.TryTotal(spec.Device, memory, out string? reason) is not var (bytes, source))
            return planOnly ? throw new BadInputException($"--plan: {reason}.") : null;
        if (spec.Workers > 1)
        {
            // Methods side by side each hold their own copy and state: each gets an equal share
            // (the base weights they share are counted in each, so the check errs on the safe side).
            (bytes, source) = (bytes / spec.Workers, $"{source}, a 1/{spec.Workers} share: {spec.Workers} methods run at once");
        }
        var plan = MemoryPlanner.Plan(options, PlanSettings.From(spec), bytes, source);
        if (planOnly)
        {
            output.Write(MemoryPlanTable.Format(plan));
            return CommandRunner.Success;
        }
        if (plan.NotFitting.FirstOrDefault() is not { } first) return null;
        output.Write(MemoryPlanTable.Format(plan));
        throw new BadInputException(
            $"{first.Method} needs {ByteSize.Format(first.Peak.Parts.Total)} at its {first.Peak.Name}, more than the {ByteSize.Format(bytes)} of memory ({source}); " +
            $"nothing was loaded. Lower the batch or max length (the table shows what fits), or give --memory if the device has more.");
    }

    /// <summary>Every size and scenario, each in a fresh process of this program; prints estimate against measured peak.</summary>
    static int MeasureAll(TextWriter output, TextWriter error)
    {
        output.WriteLine("size               parameters  scenario        fused est.  error  math est.  error   measured  peak moment");
        string allocator = "";
        foreach (var size in PeakMemoryProbe.Sizes)
            foreach (string scenario in PeakMemoryProbe.Scenarios)
            {
                var fused = PeakMemoryProbe.Estimate(size, scenario, AttentionKernel.Fused);
                var math = PeakMemoryProbe.Estimate(size, scenario, AttentionKernel.Math);
                (long measured, allocator) = RunChild($"{size.Name}/{scenario}", error);
                long parameters = ParameterInventory.Of(size.Config).Sum(p => p.Count);
                double Error(PlanMoment estimate) => (double)estimate.Parts.Total / measured - 1;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size.Name,-18} {parameters,10:N0}  {scenario,-14} {ByteSize.Format(fused.Parts.Total),10}  {Error(fused),5:+0%;-0%}  {ByteSize.Format(math.Parts.Total),9}  {Error(math),5:+0%;-0%}  {ByteSize.Format(measured),9}  {fused.Moment}"));
                output.Flush();
            }
        output.WriteLine("measured: VmHWM minus VmRSS before the model was built (after the same code ran once on a tiny model), in a fresh process under " +
            (allocator == "jemalloc"
                ? "jemalloc with freed pages returned at once, so the peak is the bytes live at once."
                : "glibc's malloc with its mmap threshold fixed at 128 KiB, which still keeps freed memory: install libjemalloc2 for the live peak."));
        return CommandRunner.Success;
    }

    static (long Peak, string Allocator) RunChild(string name, TextWriter error)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The program's path is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Run as `dotnet GenRM.Cli.dll`, the process is dotnet itself and the program its first argument.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(PlanCommand).Assembly.Location);
        foreach (string arg in new[] { "plan", "--measure-one", name }) start.ArgumentList.Add(arg);
        MeasurementEnvironment.Apply(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}.");
        string text = process.StandardOutput.ReadToEnd();
        string problems = process.StandardError.ReadToEnd();
        process.WaitForExit();
        string? line = text.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            error.WriteLine(problems);
            throw new InvalidOperationException($"the measurement of {name} failed (exit code {process.ExitCode}).");
        }
        var result = JsonNode.Parse(line)!;
        return (result["peak_bytes"]!.GetValue<long>(), result["allocator"]!.GetValue<string>());
    }

    static int MeasureOne(string name, TextWriter output)
    {
        string[] parts = name.Split('/');
        var size = parts.Length == 2 ? PeakMemoryProbe.Sizes.FirstOrDefault(s => s.Name == parts[0]) : null;
        if (size is null) throw new BadInputException($"--measure-one: '{name}' is not size/scenario (sizes: {string.Join(", ", PeakMemoryProbe.Sizes.Select(s => s.Name))}).");
        var (baseline, peak) = PeakMemoryProbe.Measure(size, parts[1]);
        output.WriteLine(new JsonObject { ["case"] = name, ["baseline_bytes"] = baseline, ["peak_bytes"] = peak, ["allocator"] = MeasurementEnvironment.InThisProcess() }.ToJsonString());
        return CommandRunner.Success;
    }
}
