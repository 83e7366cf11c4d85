using System.CommandLine;
using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Runtime;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm eval</c>: one judge on one data set (a file, or every data file in a folder), scored by
/// RewardBench's rules, with sections and 95 % intervals, and per subset the pairs judged and those
/// skipped under <see cref="JudgeInputScreen"/>'s policy (counted, never truncated).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var judge = new Option<string>("--judge") { Description = "Method id: zero-shot, zero-shot-cot, bradley-terry, pairrm, genrm, star-sft, star-rationalizer, star-dpo.", Required = true };
        var model = new Option<string>("--model") { Description = "Model folder (Hugging Face layout, or a MiniWorld model); with --endpoint, the endpoint's model name.", Required = true };
        var data = new Option<string>("--data") { Description = "Preference data (JSON lines, JSON, Parquet): a file, or a folder whose data files are all read (each file's subset: its records', LLMBar's published folders as RewardBench's, else its path in the folder).", Required = true };
        var format = new Option<string?>("--format") { Description = "Data format (detected when omitted)." };
        var subset = new Option<string?>("--subset") { Description = "With a file: the subset of pairs whose file names none (e.g. llmbar-natural). With a folder: only these subsets (comma-separated)." };
        var output = new Option<string?>("--out") { Description = "Folder for results.json (default: print only)." };
        var votes = new Option<int>("--votes") { Description = "Sampled verdicts per item for chain-of-thought judges.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the A/B order and the sampling.", DefaultValueFactory = _ => 1 };
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var dtype = DeviceOptions.DType();
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: libtorch's default)." };
        var remote = new RemoteJudgeOptions();
        var templateArgs = TemplateArgumentOption.Create();
        var command = new Command("eval", "Score one judge on one data set and write results.json.") { judge, model, data, format, subset, output, votes, seed, device, dtype, threads, templateArgs };
        remote.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            string method = parsed.GetValue(judge)!;
            if (!Reporting.StudyOrder.Methods.Contains(method))
                throw new UsageException($"unknown judge '{method}'; known: {string.Join(", ", Reporting.StudyOrder.Methods)}.");
            TorchRuntime.SetThreads(parsed.GetValue(threads));
            var started = DateTimeOffset.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string dataPath = parsed.GetValue(data)!;
            var pairs = ReadPairs(dataPath, parsed.GetValue(format), parsed.GetValue(subset));
            string folder = parsed.GetValue(model)!;
            var deviceValue = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var dtypeValue = TorchRuntime.ResolveDType(parsed.GetValue(dtype)!, deviceValue);
            using var endpointSource = remote.CreateSource(parsed, folder);
            if (endpointSource is not null && parsed.GetValue(templateArgs) is { Length: > 0 })
                throw new UsageException("--template-arg reaches a local model's chat template; an endpoint renders its own.");
            using var loaded = endpointSource is null ? JudgeModel.Load(folder, deviceValue, dtypeValue, TemplateArgumentOption.Parse(parsed.GetValue(templateArgs))) : null;
            if (loaded is not null)
            {
                NonFiniteWeights.Warn(loaded.Loaded.Model, folder, parsed.InvocationConfiguration.Error);
                CpuBf16.Warn(deviceValue, dtypeValue, $"{folder} judges", "--dtype float32 asks for fp32", parsed.InvocationConfiguration.Error);
            }
            var progress = new ConsoleProgress(parsed.InvocationConfiguration.Error);
            var journal = endpointSource is null ? Journal(parsed.GetValue(output), folder, deviceValue, dtypeValue, method, parsed.InvocationConfiguration.Output) : null;
            var judgeInstance = endpointSource is not null
                ? remote.CreateJudge(parsed, method, endpointSource, parsed.GetValue(votes), parsed.GetValue(seed))
                : loaded!.CreateJudge(method, parsed.GetValue(votes), parsed.GetValue(seed), progress, journal);
            var screened = JudgeInputScreen.Screen(judgeInstance, pairs);
            if (screened.Judgeable.Count == 0)
                throw BadInputException.About(dataPath, $"{folder} can read none of its {pairs.Count} pairs ({CoverageSummary.SkippedCounts(screened.Skipped)}); the first, {screened.Skipped[0].Pair.Where}: {screened.Skipped[0].Refusal.Detail}");
            using var stop = new GracefulStop(progress.Above(parsed.InvocationConfiguration.Error), journal is null
                ? "nothing is kept (with --out DIR, a chain-of-thought judge keeps its sampled batches for the next run)"
                : "the same command continues from the batches kept in its --out folder", cancellation);
            var judged = JudgeEvaluation.Run(judgeInstance, screened.Judgeable, parsed.GetValue(seed), stop.Token);
            if (JudgeEvaluation.ConstantScore(judged) is double constant)
                parsed.InvocationConfiguration.Error.WriteLine($"warning: {folder} gives every response the same score ({constant:G6}); the model has collapsed, and its accuracies (ties count as wrong) measure nothing");
            var table = new ResultTable();
            table.AddRange(JudgeEvaluation.Rows(method, judged, parsed.GetValue(seed)));
            var outputWriter = parsed.InvocationConfiguration.Output;
            outputWriter.WriteLine(ResultsTable.Format(table.Rows));
            IReadOnlyList<SubsetCoverage> coverage = [.. EvaluationCoverage.BySubset(judged, screened.Skipped), EvaluationCoverage.Of("all", judged, screened.Skipped)];
            outputWriter.Write(CoverageSummary.Format(coverage));
            if (endpointSource is not null)
                outputWriter.WriteLine($"Judged by {endpointSource.Source}: {endpointSource.Usage.Requests} requests, {endpointSource.Usage.Retries} retries, {endpointSource.Usage.UnreadableVerdicts} unreadable verdicts.");
            if (parsed.GetValue(output) is { } outFolder)
            {
                EvaluationCoverage.WriteResultsJson(Path.Combine(outFolder, "results.json"),
                    new RunInfo("eval", parsed.GetValue(seed), deviceValue.type.ToString().ToLowerInvariant(), started, clock.Elapsed.TotalSeconds), table.Rows, coverage);
                outputWriter.WriteLine($"Wrote {Path.Combine(outFolder, "results.json")}");
                journal?.Discard();
                if (endpointSource is not null)
                    outputWriter.WriteLine($"Wrote {RemoteJudgeOptions.WriteUsage(endpointSource, outFolder)}");
            }
            return Task.FromResult(CommandRunner.Success);
        });
        return command;
    }

    /// <summary>
    /// With --out, a chain-of-thought judge keeps its rationales there batch by batch until results.json
    /// is written, so that the same command stopped part-way continues where it stopped. The journal is
    /// bound to the model's weight files (names, sizes, times), the device, dtype and thread count.
    /// </summary>
    static SamplingJournal? Journal(string? outFolder, string modelFolder, TorchSharp.torch.Device device, TorchSharp.torch.ScalarType dtype, string method, TextWriter output)
    {
        if (outFolder is null || !Experiments.JudgeFactory.IsChainOfThought(method))
            return null;
        string folder = Path.Combine(outFolder, "sampled");
        var files = new DirectoryInfo(modelFolder).EnumerateFiles("*.safetensors").OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"{f.Name} {f.Length} {f.LastWriteTimeUtc.Ticks}");
        string identity = $"{Path.GetFullPath(modelFolder)}: {string.Join("; ", files)}; {device.type} {dtype}, {TorchSharp.torch.get_num_threads()} threads";
        output.WriteLine(Directory.Exists(folder)
            ? $"Continuing the rationales sampled before in {folder}."
            : $"Rationales are kept in {folder} until results.json is written: stopped, the same command continues.");
        return new SamplingJournal(folder, identity);
    }

    // A file's --subset names its pairs' subset (as before folders were read); a folder's picks subsets to keep.
    static IReadOnlyList<PreferencePair> ReadPairs(string path, string? format, string? subset)
    {
        bool folder = Directory.Exists(path);
        var options = new PreferenceReadOptions { Format = format, Subset = folder ? null : subset };
        string[]? wanted = folder ? subset?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        return [.. PreferenceSources.Read(path, options, wanted).SelectMany(s => s.Pairs)];
    }
}
