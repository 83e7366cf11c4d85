using GenRM.Experiments;

namespace GenRM.Benchmarks;

/// <summary>
/// The wall time of <c>genrm reproduce</c> on each of <see cref="BenchConfig.Studies"/>, broken down
/// by phase (base model, training, STaR sampling, held-out judging, evaluation) and by method. Each
/// study runs once, in a temporary folder that is deleted afterwards.
/// </summary>
internal static class StudyBench
{
    public static IEnumerable<BenchFigure> Run(BenchConfig config, TextWriter? log)
    {
        foreach (string preset in config.Studies)
        {
            var spec = Presets.Get(preset) with { Seed = config.Seed, Threads = config.Threads, Device = config.Device };
            var folder = Directory.CreateTempSubdirectory("genrm-bench-study-");
            StudyTimings timings;
            try
            {
                timings = new StudyRunner(spec, folder.FullName).Run().Timings;
            }
            finally
            {
                folder.Delete(recursive: true);
            }
            log?.WriteLine($"  reproduce {preset}: {timings}");
            string name = $"reproduce_{preset}";
            string what = $"reproduce --preset {preset}";
            MethodPhases phases = timings.Phases;
            yield return new BenchFigure(name + "_seconds", timings.Seconds, "s", $"{what}, wall time");
            yield return new BenchFigure(name + "_base_model_seconds", timings.BaseModel, "s", "data and base model (loaded, or pretrained when none is committed)");
            yield return new BenchFigure(name + "_training_seconds", phases.Training, "s", "training, every method");
            yield return new BenchFigure(name + "_star_sampling_seconds", phases.Sampling, "s", "STaR's rationale sampling, every iteration");
            yield return new BenchFigure(name + "_held_out_seconds", phases.HeldOut, "s", "STaR's held-out judging after each iteration");
            yield return new BenchFigure(name + "_evaluation_seconds", phases.Evaluation, "s", "judging every evaluation section, every method");
            foreach (var (method, methodPhases) in timings.Methods)
                yield return new BenchFigure($"{name}_{method.Replace('-', '_')}_seconds", methodPhases.Total, "s", $"{method}: {methodPhases}");
        }
    }
}
