using GenRM.Benchmarks;
using static TorchSharp.torch;

namespace GenRM.Tests.Benchmarks;

public sealed class HardwareAndPeerTests
{
    /// <summary>The rate is only worth its name if the call multiplies: checked against libtorch on one product.</summary>
    [Fact]
    public void OpenBlasProbeComputesTheProductLibtorchComputes()
    {
        using var probe = OpenBlasProbe.TryLoad(threads: 1);
        Assert.True(probe is not null, "no OpenBLAS: tools/install-prerequisites.sh installs libopenblas0-pthread");
        const int n = 37;
        var random = new Random(3);
        float[] a = [.. Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] b = [.. Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] c = new float[n * n];
        probe.MultiplyFp32(n, a, b, c);
        using var expected = tensor(a, [n, n]).matmul(tensor(b, [n, n]));
        float[] reference = expected.data<float>().ToArray();
        for (int i = 0; i < c.Length; i++)
            Assert.Equal(reference[i], c[i], 1e-4f);
        if (probe.HasBf16)
        {
            ushort[] a16 = OpenBlasProbe.ToBf16(a), b16 = OpenBlasProbe.ToBf16(b);
            probe.MultiplyBf16(n, a16, b16, c);
            using var product = Bf16(a16, n).matmul(Bf16(b16, n));
            float[] bf16Reference = product.data<float>().ToArray();
            for (int i = 0; i < c.Length; i++)
                Assert.Equal(bf16Reference[i], c[i], 1e-3f);
        }
    }

    static Tensor Bf16(ushort[] bits, int n) => tensor([.. bits.Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16))], [n, n]);

    [Fact]
    public void RatiosToThePeerAreOursOverTheirsForRatesBothMeasure()
    {
        BenchFigure[] ours =
        [
            new("matmul_fp32_gflops", 200, "GFLOP/s", ""),
            new("train_sft_fp32_tokens_per_s", 9000, "tokens/s", ""),
            new("train_sft_fp32_ratio_to_matmul", 0.5, "x", ""),
            new("judge_direct_pairs_per_s", 70, "pairs/s", ""),
            new("sample_kv_speedup_batch32", 10.9, "x", ""),
        ];
        var peer = new Dictionary<string, double>
        {
            ["matmul_fp32_gflops"] = 400,
            ["train_sft_fp32_tokens_per_s"] = 4500,
            ["train_sft_fp32_ratio_to_matmul"] = 0.1,
            ["sample_kv_batch1_tokens_per_s"] = 480,
            ["sample_kv_speedup_batch32"] = 16.2,
        };
        var figures = PeerBench.Compare(ours, peer).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(0.5, figures["matmul_fp32_gflops_ratio_to_peer"], 12);
        Assert.Equal(2.0, figures["train_sft_fp32_tokens_per_s_ratio_to_peer"], 12);
        Assert.Equal(480, figures["peer_sample_kv_batch1_tokens_per_s"]);
        Assert.Equal(0.1, figures["peer_train_sft_fp32_ratio_to_matmul"]);
        // A ratio (a speed-up too: the peer's is larger where its recompute is slower) is not compared with a ratio, nor a figure only one side has.
        Assert.DoesNotContain("train_sft_fp32_ratio_to_matmul_ratio_to_peer", figures.Keys);
        Assert.DoesNotContain("sample_kv_speedup_batch32_ratio_to_peer", figures.Keys);
        Assert.DoesNotContain("sample_kv_batch1_tokens_per_s_ratio_to_peer", figures.Keys);
        Assert.DoesNotContain("judge_direct_pairs_per_s_ratio_to_peer", figures.Keys);
        Assert.Equal(7, figures.Count);
    }

    static readonly JudgeShapes SomeShapes = new(Batch: 4, RewardModel: [[30, 41], [25, 25], [60, 12]], Direct: [90, 120, 75], VerdictTokens: 6,
        CotPrompts: [90, 130], CotVotes: 3, CotNewTokens: 20);

    /// <summary>The peer reads the shapes the bench writes: every field the script reads is one the bench writes.</summary>
    [Fact]
    public void ThePeerScriptReadsOnlyTheJudgeShapesTheBenchWrites()
    {
        string script = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tools", "bench_reference.py"));
        var read = System.Text.RegularExpressions.Regex.Matches(script, "shapes\\[\"([a-z_]+)\"\\]").Select(m => m.Groups[1].Value).ToHashSet();
        var written = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(SomeShapes))!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Equal(written.Order(), read.Order());
    }

    /// <summary>Where a Python with torch is installed (apt-get install python3-torch), the peer judges the shapes and gives the bench's judge keys.</summary>
    [SkippableFact]
    public void ThePeerJudgesTheShapesItIsGivenUnderTheBenchsKeys()
    {
        string? python = PeerBench.FindPython(BenchConfig.PeerAuto);
        Skip.If(python is null, "No Python with torch (apt-get install python3-torch): skipping the peer's judging.");
        using var folder = new TempDirectory();
        string shapes = folder.File("shapes.json");
        File.WriteAllText(shapes, System.Text.Json.JsonSerializer.Serialize(SomeShapes));
        var start = new System.Diagnostics.ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(TestPaths.RepositoryRoot, "tools") };
        foreach (string argument in new[] { "-c", $"import json, torch, bench_reference as b; torch.set_num_threads(1); print(json.dumps(b.judging(torch.device('cpu'), b.SHAPES['smoke'], json.load(open('{shapes}')))))" })
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        var figures = System.Text.Json.Nodes.JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["judge_cot_k3_pairs_per_s", "judge_direct_pairs_per_s", "judge_reward_model_pairs_per_s"], figures.Select(f => f.Key).Order());
        Assert.All(figures, f => Assert.True(f.Value!.GetValue<double>() > 0, f.Key));
    }

    [Fact]
    public void APythonWithoutTorchIsNoPeer()
    {
        Assert.Null(PeerBench.FindPython(BenchConfig.PeerNone));
        Assert.Null(PeerBench.FindPython("/bin/false"));
        Assert.Null(PeerBench.FindPython("/no/such/python"));
    }
}
