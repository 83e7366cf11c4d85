using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenRM.Benchmarks;

/// <summary>
/// The peer: PyTorch eager on the same model shapes (<c>tools/bench_reference.py</c>), run by
/// <c>genrm bench</c> in the same run with the same threads, so that every figure both measure
/// gets a ratio to the peer taken under the same load. Skipped, with the reason in the report's
/// context, when no Python with torch is found.
/// </summary>
internal static class PeerBench
{
    /// <summary>Where the script lies in the repository.</summary>
    public const string ScriptPath = "tools/bench_reference.py";

    /// <summary>Below this fp32 rate (GFLOP/s) the peer's torch is on the reference BLAS, not an optimised one.</summary>
    const double ReferenceBlasRate = 20;

    /// <summary>The Python to run: <paramref name="asked"/> ("auto": the first of Debian's and the PATH's pythons that imports torch).</summary>
    public static string? FindPython(string asked)
    {
        if (asked == BenchConfig.PeerNone) return null;
        string[] candidates = asked == BenchConfig.PeerAuto ? ["/usr/bin/python3", "python3"] : [asked];
        return candidates.FirstOrDefault(python => Run(python, ["-c", "import torch"], TimeSpan.FromMinutes(1), new Dictionary<string, string>()).ExitCode == 0);
    }

    /// <summary>
    /// Runs the peer and returns its figures as <c>peer_KEY</c>, and for every key both measured
    /// (rates, not ratios) <c>KEY_ratio_to_peer</c>: ours over the peer's. <paramref name="context"/>
    /// gets the peer's torch version and threads, or why it did not run.
    /// </summary>
    public static IEnumerable<BenchFigure> Run(BenchConfig config, IReadOnlyList<BenchFigure> ours, JudgeShapes judged, IDictionary<string, string> context, TextWriter? log)
    {
        string? root = Experiments.RepositoryData.FindRoot();
        string? python = FindPython(config.Peer);
        if (root is null || python is null)
        {
            context["peer"] = root is null ? "not run: no repository checkout holds tools/bench_reference.py"
                : config.Peer == BenchConfig.PeerNone ? "not run (--peer none)" : "not run: no Python with torch found (see README, 'Benchmarks')";
            return [];
        }
        string output = Path.Combine(Path.GetTempPath(), $"genrm-peer-{Environment.ProcessId}.json");
        string shapes = Path.Combine(Path.GetTempPath(), $"genrm-peer-judged-{Environment.ProcessId}.json");
        try
        {
            log?.WriteLine($"peer: {python} {ScriptPath} (PyTorch, {config.Threads} threads)");
            // The peer's torch runs on the system BLAS: give it the kernels the probe gives OpenBLAS.
            var environment = new Dictionary<string, string> { ["OPENBLAS_CORETYPE"] = OpenBlasProbe.KernelsForThisCpu() };
            // The judges' work as token shapes, so the peer judges the same sequences.
            File.WriteAllText(shapes, JsonSerializer.Serialize(judged));
            var result = Run(python, [Path.Combine(root, ScriptPath), "--device", "cpu", "--model-size", config.ModelSize,
                "--threads", config.Threads.ToString(CultureInfo.InvariantCulture), "--judge-shapes", shapes, "--out", output], TimeSpan.FromMinutes(30), environment);
            if (result.ExitCode != 0 || !File.Exists(output))
            {
                context["peer"] = $"failed (exit {result.ExitCode}): {LastLine(result.Error)}";
                return [];
            }
            var report = JsonNode.Parse(File.ReadAllText(output))!;
            context["peer"] = $"PyTorch {report["context"]?["torch"]} eager, {report["context"]?["threads"]} threads ({python})";
            var figures = Compare(ours, report["figures"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>()));
            if (figures.FirstOrDefault(f => f.Key == "peer_matmul_fp32_gflops")?.Value < ReferenceBlasRate)
                context["peer_warning"] = "the peer's fp32 matmul is under 20 GFLOP/s: its torch runs on the reference BLAS (install libopenblas0-pthread)";
            return figures;
        }
        finally
        {
            File.Delete(output);
            File.Delete(shapes);
        }
    }

    /// <summary>The peer's figures (<c>peer_KEY</c>) and, for rates both report, ours over theirs.</summary>
    public static IReadOnlyList<BenchFigure> Compare(IReadOnlyList<BenchFigure> ours, IReadOnlyDictionary<string, double> peer)
    {
        var figures = new List<BenchFigure>();
        foreach (var (key, value) in peer)
        {
            BenchFigure? mine = ours.FirstOrDefault(f => f.Key == key);
            figures.Add(new BenchFigure($"peer_{key}", value, mine?.Unit ?? "", $"the peer's {key} (PyTorch eager, same shapes and threads)"));
            // A figure in x (a ratio to a matmul, a speed-up over recomputing) is not a rate: its ratio to the peer's says nothing of speed.
            if (mine is not null && mine.Unit != "x" && value > 0)
                figures.Add(new BenchFigure($"{key}_ratio_to_peer", mine.Value / value, "x", $"ours over the peer's {key}"));
        }
        return figures;
    }

    static (int ExitCode, string Error) Run(string file, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            if (value != "auto" && Environment.GetEnvironmentVariable(name) is null) start.Environment[name] = value;
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout.TotalMinutes:F0} minutes");
            }
            output.Wait();
            return (process.ExitCode, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
}
