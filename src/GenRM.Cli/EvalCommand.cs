using System.CommandLine;
using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Runtime;

namespace GenRM.Cli;

/// <summary><c>genrm eval</c>: one judge on one data set, scored by RewardBench's rules, with sections and 95 % intervals.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var judge = new Option<string>("--judge") { Description = "Method id: zero-shot, zero-shot-cot, bradley-terry, pairrm, genrm, star-sft, star-rationalizer, star-dpo.", Required = true };
        var model = new Option<string>("--model") { Description = "Model folder (Hugging Face layout, or a MiniWorld model); with --endpoint, the endpoint's model name.", Required = true };
        var data = new Option<string>("--data") { Description = "Preference data (JSON lines, JSON, Parquet).", Required = true };
        var format = new Option<string?>("--format") { Description = "Data format (detected when omitted)." };
        var subset = new Option<string?>("--subset") { Description = "Subset name for pairs whose file names none (e.g. llmbar-natural)." };
        var output = new Option<string?>("--out") { Description = "Folder for results.json (default: print only)." };
        var votes = new Option<int>("--votes") { Description = "Sampled verdicts per item for chain-of-thought judges.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the A/B order and the sampling.", DefaultValueFactory = _ => 1 };
        var device = DeviceOptions.Device(defaultValue: "cpu");
        var dtype = DeviceOptions.DType();
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: libtorch's default)." };
        var remote = new RemoteJudgeOptions();
        var command = new Command("eval", "Score one judge on one data set and write results.json.") { judge, model, data, format, subset, output, votes, seed, device, dtype, threads };
        remote.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            string method = parsed.GetValue(judge)!;
            if (!Reporting.StudyOrder.Methods.Contains(method))
                throw new UsageException($"unknown judge '{method}'; known: {string.Join(", ", Reporting.StudyOrder.Methods)}.");
            TorchRuntime.SetThreads(parsed.GetValue(threads));
            var started = DateTimeOffset.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var pairs = PreferenceReader.Read(parsed.GetValue(data)!, new PreferenceReadOptions { Format = parsed.GetValue(format), Subset = parsed.GetValue(subset) }).Pairs;
            string folder = parsed.GetValue(model)!;
            var deviceValue = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var dtypeValue = TorchRuntime.ResolveDType(parsed.GetValue(dtype)!, deviceValue);
            using var endpointSource = remote.CreateSource(parsed, folder);
            using var loaded = endpointSource is null ? JudgeModel.Load(folder, deviceValue, dtypeValue) : null;
            if (loaded is not null)
                NonFiniteWeights.Warn(loaded.Loaded.Model, folder, parsed.InvocationConfiguration.Error);
            var judgeInstance = endpointSource is not null
                ? remote.CreateJudge(parsed, method, endpointSource, parsed.GetValue(votes), parsed.GetValue(seed))
                : loaded!.CreateJudge(method, parsed.GetValue(votes), parsed.GetValue(seed));
            var judged = JudgeEvaluation.Run(judgeInstance, pairs, parsed.GetValue(seed), cancellation);
            if (JudgeEvaluation.ConstantScore(judged) is double constant)
                parsed.InvocationConfiguration.Error.WriteLine($"warning: {folder} gives every response the same score ({constant:G6}); the model has collapsed, and its accuracies (ties count as wrong) measure nothing");
            var table = new ResultTable();
            table.AddRange(JudgeEvaluation.Rows(method, judged, parsed.GetValue(seed)));
            var outputWriter = parsed.InvocationConfiguration.Output;
            outputWriter.WriteLine(ResultsTable.Format(table.Rows));
            if (endpointSource is not null)
                outputWriter.WriteLine($"Judged by {endpointSource.Source}: {endpointSource.Usage.Requests} requests, {endpointSource.Usage.Retries} retries, {endpointSource.Usage.UnreadableVerdicts} unreadable verdicts.");
            if (parsed.GetValue(output) is { } outFolder)
            {
                table.WriteResultsJson(Path.Combine(outFolder, "results.json"), new RunInfo("eval", parsed.GetValue(seed), deviceValue.type.ToString().ToLowerInvariant(), started, clock.Elapsed.TotalSeconds));
                outputWriter.WriteLine($"Wrote {Path.Combine(outFolder, "results.json")}");
                if (endpointSource is not null)
                    outputWriter.WriteLine($"Wrote {RemoteJudgeOptions.WriteUsage(endpointSource, outFolder)}");
            }
            return Task.FromResult(CommandRunner.Success);
        });
        return command;
    }
}
