using System.CommandLine;
using System.Globalization;
using GenRM.Experiments;

namespace GenRM.Cli;

/// <summary><c>genrm reproduce</c>: the whole study of the paper from one command, with results and a report in a run folder.</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "smoke, default, paper, or a .json spec file.", DefaultValueFactory = _ => "default" };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/<preset>-<time>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder with its own spec; finished methods are kept." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the world, the orders and the sampling." };
        var seeds = new Option<string?>("--seeds")
        {
            Description = "Run the study once per seed (e.g. 1,2,3), each in <out>/seed-N, and pool them: verdicts from paired tests across seeds.",
        };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (0: libtorch's default)." };
        var workers = new Option<int?>("--workers") { Description = "Methods run at once, sharing the threads out (default: the preset's, 2 for MiniWorld and 1 otherwise; 1 runs them one after another)." };
        var device = DeviceOptions.Device(defaultValue: null);
        var methods = new Option<string[]>("--methods") { Description = "Run only these methods (comma-separated ids).", AllowMultipleArgumentsPerToken = true };
        var model = new Option<string?>("--model") { Description = "paper: the base model folder (Llama-3.1-8B-Instruct or another Llama/Qwen2/Mistral)." };
        var train = new Option<string?>("--train") { Description = "paper: training pairs (UltraFeedback binarized train_prefs)." };
        var test = new Option<string?>("--test") { Description = "paper: in-distribution test pairs (UltraFeedback test_prefs)." };
        var outOfDistribution = new Option<string?>("--ood") { Description = "paper: out-of-distribution pairs with RewardBench subsets." };
        var templateArgs = TemplateArgumentOption.Create();
        var plan = new Option<bool>("--plan") { Description = "Print each method's memory plan (genrm plan) for this run and exit without loading anything." };
        var memory = new Option<string?>("--memory") { Description = "Memory the run has (e.g. 80GiB); default: the device's. A method that will not fit stops the run before it loads." };
        var sampler = new Option<string?>("--sampler")
        {
            Description = "OpenAI-compatible base URL of an inference engine (vLLM, SGLang, genrm serve; e.g. http://127.0.0.1:8000/v1) that samples STaR's rationales and the chain-of-thought votes; it is handed the trained weights after each STaR iteration.",
        };
        var samplerModel = new Option<string?>("--sampler-model") { Description = "The base model's name on the --sampler engine (default: the one base model it lists)." };
        var samplerKey = new Option<string?>("--sampler-api-key-env") { Description = "Environment variable holding the --sampler engine's API key (never logged)." };
        var command = new Command("reproduce", "Run every method of the paper on a preset and write results.json, results.csv, report.html and run.log.")
        {
            preset, output, resume, seed, seeds, threads, workers, device, methods, model, train, test, outOfDistribution, templateArgs, plan, memory, sampler, samplerModel, samplerKey,
        };
        command.SetAction((parsed, cancellation) =>
        {
            string? resumeFolder = parsed.GetValue(resume);
            ExperimentSpec spec;
            string folder;
            IReadOnlyList<int>? seedList = parsed.GetValue(seeds) is { } text ? MultiSeedRunner.ParseSeeds(text) : null;
            if (seedList is not null && parsed.GetValue(seed) is not null)
                throw new BadInputException("give --seed or --seeds, not both.");
            if (resumeFolder is not null)
            {
                spec = ExperimentSpec.Load(Path.Combine(resumeFolder, StudyRunner.SpecFile));
                // Finished methods are kept as they are, so a resumed run may choose again how many run at once,
                // and where the engine that samples now listens.
                spec = (spec with { Workers = parsed.GetValue(workers) ?? spec.Workers, Sampler = Sampler(parsed, sampler, samplerModel, samplerKey) ?? spec.Sampler })
                    .Validated(Path.Combine(resumeFolder, StudyRunner.SpecFile));
                folder = resumeFolder;
                seedList = MultiSeedRunner.TryLoadSeeds(resumeFolder);
            }
            else
            {
                spec = Presets.Get(parsed.GetValue(preset)!);
                var templateArguments = TemplateArgumentOption.Parse(parsed.GetValue(templateArgs));
                if (templateArguments is not null && spec.Files is null)
                    throw new UsageException("--template-arg reaches a Hugging Face base model's chat template (preset paper, or a spec with files); MiniWorld's template takes none.");
                spec = spec with
                {
                    Seed = parsed.GetValue(seed) ?? spec.Seed,
                    Threads = parsed.GetValue(threads) ?? spec.Threads,
                    Workers = parsed.GetValue(workers) ?? spec.Workers,
                    Device = parsed.GetValue(device) ?? spec.Device,
                    Methods = parsed.GetValue(methods) is { Length: > 0 } chosen ? [.. chosen.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries))] : spec.Methods,
                    Files = spec.Files is null ? null : spec.Files with
                    {
                        BaseModel = FullPath(parsed.GetValue(model)) ?? spec.Files.BaseModel,
                        Train = FullPath(parsed.GetValue(train)) ?? spec.Files.Train,
                        Test = FullPath(parsed.GetValue(test)) ?? spec.Files.Test,
                        OutOfDistribution = FullPath(parsed.GetValue(outOfDistribution)) ?? spec.Files.OutOfDistribution,
                        TemplateArguments = TemplateArgumentOption.Over(spec.Files.TemplateArguments, templateArguments),
                    },
                    Sampler = Sampler(parsed, sampler, samplerModel, samplerKey) ?? spec.Sampler,
                };
                spec = spec.Validated("command line");
                string seedsName = seedList is null ? "" : $"-seeds{string.Join('-', seedList)}";
                folder = parsed.GetValue(output) ?? Path.Combine("runs", $"{spec.Preset}{seedsName}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            }
            var progress = new ConsoleProgress(parsed.InvocationConfiguration.Error);
            TextWriter console = progress.Above(parsed.InvocationConfiguration.Output);
            using var stop = new GracefulStop(progress.Above(parsed.InvocationConfiguration.Error), $"`genrm reproduce --resume {Path.GetFullPath(folder)}` continues from what was saved", cancellation);
            if (PlanCommand.Gate(spec, parsed.GetValue(memory), parsed.GetValue(plan), console) is int planned)
                return Task.FromResult(planned);
            var report = seedList is null
                ? new StudyRunner(spec, folder, progress, console).Run(cancellation: stop.Token).Report
                : new MultiSeedRunner(spec, seedList, folder, progress, console).Run(stop.Token).Report;
            console.WriteLine();
            console.WriteLine(ResultsTable.Format(report.Results));
            if (report.IsSmoke)
                console.WriteLine($"Smoke run: {Reporting.ReportWriter.SmokeWarning}");
            console.WriteLine($"Run folder: {Path.GetFullPath(folder)} (report.html, results.json, results.csv, run.log)");
            return Task.FromResult(CommandRunner.Success);
        });
        return command;
    }

    /// <summary>The engine <c>--sampler</c> names, or null when not given (the spec's own then holds).</summary>
    static SamplerSettings? Sampler(ParseResult parsed, Option<string?> url, Option<string?> model, Option<string?> apiKeyVariable)
    {
        if (parsed.GetValue(url) is not { } address)
            return parsed.GetValue(model) is not null || parsed.GetValue(apiKeyVariable) is not null
                ? throw new UsageException("--sampler-model and --sampler-api-key-env go with --sampler URL.")
                : null;
        return new SamplerSettings { Url = address, Model = parsed.GetValue(model), ApiKeyEnv = parsed.GetValue(apiKeyVariable) };
    }

    /// <summary>Command-line paths become absolute, so the run folder's spec.json (whose relative paths are read against its own folder) resumes from anywhere.</summary>
    static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);
}
