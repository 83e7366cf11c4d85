using System.Globalization;
using GenRM.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>
/// <c>genrm bench</c>'s measurements, in one process so their ratios hold on a busy machine: the
/// matmul reference, training steps, sampling, judging, memory and whole studies (see the *Bench classes).
/// </summary>
public static class BenchRunner
{
    /// <summary>Runs every measurement of <paramref name="config"/>; progress lines go to <paramref name="log"/>.</summary>
    public static BenchReport Run(BenchConfig config, TextWriter? log = null)
    {
        config.Validated();
        TorchRuntime.SetThreads(config.Threads);
        Device device = TorchRuntime.ResolveDevice(config.Device);
        string loadBefore = LoadAverage();
        var figures = new List<BenchFigure>();

        var matmul = new MatmulBench(config, device);
        matmul.Measure(ScalarType.Float32);
        matmul.Measure(ScalarType.BFloat16);
        using var setup = BenchSetup.Create(config, device);
        log?.WriteLine($"model: {config.ModelSize}, {setup.Model.ParameterCount:N0} parameters ({setup.Weights} weights)");
        log?.WriteLine("training steps");
        var training = TrainingBench.Run(setup, config, matmul, log).ToList();
        var hardware = HardwareRate.Measure(config, device, matmul, log);
        figures.Add(new BenchFigure("matmul_fp32_gflops", matmul.Median(ScalarType.Float32) / 1e9, "GFLOP/s", $"{config.MatmulSize}^2 fp32 matmul, median of the readings (the reference)"));
        figures.Add(new BenchFigure("matmul_bf16_gflops", matmul.Median(ScalarType.BFloat16) / 1e9, "GFLOP/s", $"{config.MatmulSize}^2 bf16 matmul, median of the readings (the reference)"));
        figures.AddRange(hardware.Figures);
        figures.AddRange(training);
        figures.AddRange(hardware.Ratios(training));
        log?.WriteLine("sampling");
        figures.AddRange(SamplingBench.Run(setup, config, log));
        log?.WriteLine("judging");
        var (judging, judgeShapes) = JudgeBench.Run(setup, config, log);
        figures.AddRange(judging);
        log?.WriteLine($"memory over {config.MemorySteps} steps");
        figures.AddRange(MemoryBench.Run(setup, config, log));
        if (config.Studies.Count > 0)
        {
            log?.WriteLine($"reproduce {string.Join(", ", config.Studies)}, timed by phase");
            figures.AddRange(StudyBench.Run(config, log));
        }

        var context = new Dictionary<string, string>
        {
            ["hardware_rate_source"] = hardware.Source,
            ["model_size"] = config.ModelSize,
            ["parameters"] = setup.Model.ParameterCount.ToString(CultureInfo.InvariantCulture),
            ["weights"] = setup.Weights,
            ["device"] = device.ToString(),
            ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
            ["processors"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["cpu"] = CpuInfo.Current.Describe(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = LoadAverage(),
            ["measured_at"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
        if (device.type == DeviceType.CPU)
            figures.AddRange(PeerBench.Run(config, figures, judgeShapes, context, log).ToList());
        return new BenchReport(config, context, figures);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "unknown".</summary>
    static string LoadAverage()
    {
        const string Path = "/proc/loadavg";
        return File.Exists(Path) ? string.Join(' ', File.ReadAllText(Path).Split(' ').Take(3)) : "unknown";
    }
}
