using System.CommandLine;
using GenRM.Benchmarks;

namespace GenRM.Cli;

/// <summary><c>genrm bench</c>: throughput and memory figures, and their ratios to the machine's matmul rate, measured in one process.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "smoke (under a minute) or default.", DefaultValueFactory = _ => "default" };
        var output = new Option<string?>("--out") { Description = "Write the figures to this JSON file." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => 2 };
        var modelSize = new Option<string?>("--model-size") { Description = $"Model shape to measure: smoke, default or {BenchConfig.SizeThreeAndHalfMillion} (default: the preset's)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        var studies = new Option<string?>("--studies")
        {
            Description = $"Study presets whose reproduce is timed by phase, comma-separated ({string.Join(", ", BenchConfig.StudyNames)}), or none. Default: the preset's (smoke: smoke; default: smoke,default, about 15 minutes more).",
        };
        var peer = new Option<string>("--peer")
        {
            Description = "The PyTorch peer (tools/bench_reference.py) run in the same bench: auto (a Python with torch, if found), none, or the Python to use.",
            DefaultValueFactory = _ => BenchConfig.PeerAuto,
        };
        var command = new Command("bench", "Measure matmul, training, sampling, judging and memory figures and time whole studies; print a table and optionally write JSON.")
            { preset, output, threads, modelSize, device, studies, peer };
        command.SetAction(parsed =>
        {
            string presetName = parsed.GetValue(preset)!;
            if (presetName is not ("smoke" or "default"))
                throw new UsageException($"unknown bench preset '{presetName}'; use smoke or default.");
            if (parsed.GetValue(modelSize) is { } asked && asked is not ("smoke" or "default" or BenchConfig.SizeThreeAndHalfMillion))
                throw new UsageException($"unknown model size '{asked}'; use smoke, default or {BenchConfig.SizeThreeAndHalfMillion}.");
            var config = BenchConfig.Named(presetName) with { Threads = parsed.GetValue(threads), Device = parsed.GetValue(device)!, Peer = parsed.GetValue(peer)! };
            if (parsed.GetValue(modelSize) is { } size) config = config with { ModelSize = size };
            if (parsed.GetValue(studies) is { } names)
            {
                string[] chosen = names == "none" ? [] : names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (chosen.FirstOrDefault(n => !BenchConfig.StudyNames.Contains(n)) is { } unknown)
                    throw new UsageException($"unknown study preset '{unknown}'; use {string.Join(", ", BenchConfig.StudyNames)} or none.");
                config = config with { Studies = chosen };
            }
            TextWriter console = parsed.InvocationConfiguration.Output;
            var report = BenchRunner.Run(config, console);
            console.WriteLine();
            console.Write(report.Table());
            if (parsed.GetValue(output) is { } path)
            {
                report.Write(path);
                console.WriteLine($"Wrote {path}");
            }
            return CommandRunner.Success;
        });
        return command;
    }
}
