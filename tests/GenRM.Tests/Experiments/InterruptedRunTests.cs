using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Tests.Cli;
using Xunit.Abstractions;

namespace GenRM.Tests.Experiments;

/// <summary>
/// <c>genrm reproduce</c> as a child process, killed with SIGKILL at random moments and while it writes
/// a checkpoint, then resumed: it ends with the same weights, metrics and results as a run never
/// interrupted, and every checkpoint on disk is complete (a half-written one is never in place).
/// </summary>
[Trait("Category", "Slow")]
public sealed class InterruptedRunTests(ITestOutputHelper output)
{
    // One method on the smoke world, one thread (bit-identical arithmetic), a checkpoint every step.
    const string Spec = """
        {"preset": "interrupted", "seed": 3, "threads": 1, "methods": ["bradley-terry"], "mini_world": {"size": "smoke"},
         "fine_tune": {"learning_rate": 0.0002, "rationalizer_learning_rate": 0.0008, "epochs": 1, "batch_size": 8, "max_length": 512, "checkpoint_every": 1},
         "evaluation": {"votes": 1, "batch_size": 64, "position_bias_items": 0, "held_out_items": 8}}
        """;

    const string Method = "bradley-terry";

    [Fact]
    public void RunKilledAtRandomPointsResumesToTheUninterruptedResult()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("spec.json");
        File.WriteAllText(spec, Spec);
        string straight = temp.File("straight"), killed = temp.File("killed");
        using (var run = Start(spec, straight)) run.Succeeds();

        var random = new Random(2026);
        int midCheckpoint = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            using var child = Start(spec, killed);
            // Even attempts die while the second checkpoint they write is being staged; odd ones at a random moment.
            string how = attempt % 2 == 0
                ? child.KillWhileStaging(Path.Combine(killed, "methods", Method, "train", "checkpoints"), nth: 2)
                : child.KillAfter(TimeSpan.FromSeconds(1.5 + 6 * random.NextDouble()));
            output.WriteLine($"attempt {attempt + 1}: {how}");
            if (how.StartsWith("killed while staging", StringComparison.Ordinal)) midCheckpoint++;
            AssertEveryCheckpointInPlaceIsComplete(killed);
        }
        using (var run = Start(spec, killed)) run.Succeeds();
        output.WriteLine($"{midCheckpoint} of 4 kills landed while a checkpoint was being written");

        Assert.Equal(File.ReadAllBytes(ModelFile(straight)), File.ReadAllBytes(ModelFile(killed)));
        Assert.Equal(Metrics(straight), Metrics(killed));
        Assert.Equal(Rows(straight), Rows(killed));
        AssertEveryCheckpointInPlaceIsComplete(killed);
        Assert.Empty(Directory.GetDirectories(Path.Combine(killed, "methods", Method, "train", "checkpoints"), ".*"));
    }

    /// <summary>A chain-of-thought judge killed while it samples its votes keeps what it sampled: resumed, it samples only the rest and ends as a run never stopped.</summary>
    [Fact]
    public void AJudgeKilledWhileSamplingItsVotesResumesFromTheBatchesItKept()
    {
        using var temp = new TempDirectory();
        string spec = VotesSpec(temp);
        string straight = temp.File("straight"), killed = temp.File("killed");
        using (var run = Start(spec, straight)) run.Succeeds();

        string journal = Path.Combine(killed, "methods", "zero-shot-cot", "sampled", "call-0000.jsonl");
        using (var child = Start(spec, killed))
            output.WriteLine(child.KillWhen(() => File.Exists(journal) && File.ReadLines(journal).Count() >= 4, "three batches of votes were kept"));
        Assert.True(File.Exists(journal), "the killed run kept no batch");
        using (var run = Start(spec, killed)) run.Succeeds();

        Assert.Equal(Rows(straight), Rows(killed));
        // Item by item: each pair's majority, first vote, greedy readout and checks.
        Assert.Equal(Items(straight), Items(killed));
        Assert.False(Directory.Exists(Path.Combine(killed, "methods", "zero-shot-cot", "sampled")));
    }

    /// <summary>
    /// Ctrl+C stops the run at its next batch, says at once which command continues it, exits 130, and
    /// leaves nothing cut short; that command then finishes the run.
    /// </summary>
    [Fact]
    public void CtrlCStopsTheRunAtItsNextBatchAndNamesTheCommandThatFinishesIt()
    {
        using var temp = new TempDirectory();
        string spec = VotesSpec(temp);
        string folder = temp.File("run");
        string journal = Path.Combine(folder, "methods", "zero-shot-cot", "sampled", "call-0000.jsonl");

        int code;
        string printed;
        using (var child = Start(spec, folder))
            (code, printed) = child.InterruptWhen(() => File.Exists(journal) && File.ReadLines(journal).Count() >= 2);
        output.WriteLine(printed);

        Assert.Equal(130, code);
        string resume = $"genrm reproduce --resume {Path.GetFullPath(folder)}";
        Assert.Contains($"genrm: stopping at the next step or batch (press Ctrl+C again to end at once); `{resume}` continues from what was saved.", printed, StringComparison.Ordinal);
        Assert.Contains("genrm: stopped.", printed, StringComparison.Ordinal);
        Assert.EndsWith("\n", File.ReadAllText(journal), StringComparison.Ordinal); // stopped between batches, not in one
        Assert.False(File.Exists(Path.Combine(folder, "results.json")));

        using (var run = CliProcess.Start(resume.Split(' ')[1..])) run.Succeeds();
        Assert.True(File.Exists(Path.Combine(folder, "results.json")));
    }

    /// <summary>A smoke study of the zero-shot chain-of-thought judge alone: 160 pairs × 3 votes in batches of 16.</summary>
    static string VotesSpec(TempDirectory temp)
    {
        string spec = temp.File("spec.json");
        File.WriteAllText(spec, """
            {"preset": "interrupted-votes", "seed": 3, "threads": 1, "methods": ["zero-shot-cot"], "mini_world": {"size": "smoke"},
             "star": {"max_rationale_tokens": 96},
             "evaluation": {"votes": 3, "batch_size": 16, "position_bias_items": 0, "held_out_items": 8}}
            """);
        return spec;
    }

    static string Items(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "methods", "zero-shot-cot", "outcome.json")))!["Items"]!.ToJsonString();

    static string ModelFile(string run) => Path.Combine(run, "methods", Method, "model", ShardedCheckpoint.SingleFileName);

    /// <summary>Every metrics row without its wall-clock throughput.</summary>
    static string[] Metrics(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "methods", Method, "train", "metrics.jsonl")).Select(line =>
        {
            var row = JsonNode.Parse(line)!.AsObject();
            row.Remove("tokens_per_second");
            return row.ToJsonString();
        })];

    static string Rows(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "results.json")))!["rows"]!.ToJsonString();

    /// <summary>Atomic rename: a step-N folder that exists holds every file, each matching its checksum.</summary>
    static void AssertEveryCheckpointInPlaceIsComplete(string run)
    {
        string folder = Path.Combine(run, "methods", Method, "train", "checkpoints");
        if (!Directory.Exists(folder)) return;
        foreach (string checkpoint in Directory.GetDirectories(folder, "step-*"))
            foreach (string file in new[] { "model.safetensors", "optimizer.safetensors", "trainer_state.json" })
                Checksum.VerifySha256Sidecar(Path.Combine(checkpoint, file));
    }

    /// <summary>Starts <c>genrm reproduce</c> on the spec, or resumes the folder when it already holds a run.</summary>
    static CliProcess Start(string spec, string folder) => File.Exists(Path.Combine(folder, "spec.json"))
        ? CliProcess.Start("reproduce", "--resume", folder)
        : CliProcess.Start("reproduce", "--preset", spec, "--out", folder);
}
