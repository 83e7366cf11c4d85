using System.CommandLine;
using System.Globalization;
using GenRM.Experiments;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm sweep [--preset smoke|default] [--learning-rates 1e-4,2e-4] [--betas 0.1,1] [--out DIR] [--seed N] [--threads N]</c>:
/// chooses the shared learning rate and DPO's β on the held-out slice (<see cref="HyperparameterSweep"/>);
/// a folder given again resumes.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "smoke, default, or a MiniWorld .json spec file.", DefaultValueFactory = _ => "default" };
        var rates = new Option<string?>("--learning-rates") { Description = "Shared learning rates to try (default 1e-4,2e-4,4e-4)." };
        var betas = new Option<string?>("--betas") { Description = "DPO β values to try at the chosen rate (default 0.1,0.3,1)." };
        var output = new Option<string?>("--out") { Description = "Sweep folder (default runs/sweep-<preset>-<time>); an existing one resumes." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the world and the held-out slice (default: the preset's)." };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (0: libtorch's default)." };
        var command = new Command("sweep", "Choose the shared learning rate and DPO's β once, on the held-out slice, and write sweep.json and sweep.md.") { preset, rates, betas, output, seed, threads };
        command.SetAction((parsed, cancellation) =>
        {
            var spec = Presets.Get(parsed.GetValue(preset)!);
            spec = (spec with { Seed = parsed.GetValue(seed) ?? spec.Seed, Threads = parsed.GetValue(threads) ?? spec.Threads }).Validated("command line");
            var grid = new SweepGrid(
                parsed.GetValue(rates) is { } r ? Numbers(r, "--learning-rates") : SweepGrid.Default.LearningRates,
                parsed.GetValue(betas) is { } b ? Numbers(b, "--betas") : SweepGrid.Default.DpoBetas).Validated();
            string folder = parsed.GetValue(output) ?? Path.Combine("runs", $"sweep-{spec.Preset}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var progress = new ConsoleProgress(parsed.InvocationConfiguration.Error);
            TextWriter console = progress.Above(parsed.InvocationConfiguration.Output);
            using var stop = new GracefulStop(progress.Above(parsed.InvocationConfiguration.Error),
                $"the same command with `--out {Path.GetFullPath(folder)}` continues from the points it finished", cancellation);
            var result = new HyperparameterSweep(spec, grid, folder, progress, console).Run(stop.Token);
            console.WriteLine();
            console.WriteLine(result.Markdown());
            console.WriteLine($"Sweep folder: {Path.GetFullPath(folder)} ({SweepResult.JsonFile}, {SweepResult.MarkdownFile}, run.log)");
            return Task.FromResult(CommandRunner.Success);
        });
        return command;
    }

    static double[] Numbers(string text, string option) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw new BadInputException($"{option}: '{part}' is not a number"))];
}
