using System.Text.Json.Nodes;

namespace GenRM.Tests.Cli;

public sealed class BenchCommandTests
{
    static readonly string[] ExpectedFigures =
    [
        "matmul_fp32_gflops", "matmul_bf16_gflops", "hardware_fp32_gflops", "hardware_bf16_gflops",
        .. new[] { "bt", "sft", "dpo" }.SelectMany(kind => new[] { "fp32", "bf16" }.SelectMany(dtype => new[]
        {
            $"train_{kind}_{dtype}_tokens_per_s", $"train_{kind}_{dtype}_gflops", $"train_{kind}_{dtype}_ratio_to_matmul", $"train_{kind}_{dtype}_ratio_to_hardware",
        })),
        "train_bt_padding_ratio_real_to_padded", "train_sft_padding_ratio_real_to_padded", "train_dpo_padding_ratio_real_to_padded",
        "train_bt_grouped_padding_ratio_real_to_padded", "train_sft_grouped_padding_ratio_real_to_padded", "train_dpo_grouped_padding_ratio_real_to_padded",
        "sample_kv_batch1_tokens_per_s", "sample_kv_batch32_tokens_per_s", "sample_kv_batch128_tokens_per_s",
        "sample_kv_libtorch_steps_batch1_tokens_per_s", "sample_kv_libtorch_steps_batch32_tokens_per_s", "sample_kv_libtorch_steps_batch128_tokens_per_s",
        "sample_managed_speedup_batch1", "sample_managed_speedup_batch32", "sample_managed_speedup_batch128",
        "sample_recompute_batch1_tokens_per_s", "sample_kv_speedup_batch1", "sample_recompute_batch32_tokens_per_s", "sample_kv_speedup_batch32",
        "star_rationales_per_s", "star_tokens_per_s",
        "judge_reward_model_pairs_per_s", "judge_direct_pairs_per_s", "judge_cot_k8_pairs_per_s",
        "memory_live_tensors_step20", "memory_live_tensors_step200", "memory_live_tensors_ratio_late_to_early",
        "memory_resident_mb_step20", "memory_resident_mb_step200", "memory_resident_ratio_late_to_early",
        .. new[] { "", "_base_model", "_training", "_star_sampling", "_held_out", "_evaluation" }.Select(phase => $"reproduce_smoke{phase}_seconds"),
        .. GenRM.Reporting.StudyOrder.Methods.Select(method => $"reproduce_smoke_{method.Replace('-', '_')}_seconds"),
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public void SmokeBenchWritesEveryFigurePositiveWithRatiosBetweenZeroAndTen()
    {
        using var folder = new TempDirectory();
        string path = folder.File("bench.json");
        var (code, output, error) = CliContractTests.Run("bench", "--preset", "smoke", "--threads", "2", "--peer", "none", "--out", path);
        Assert.True(code == 0, error);
        Assert.Contains("train_sft_fp32_ratio_to_matmul", output);

        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var figures = json["figures"]!.AsObject();
        // OpenBLAS's own rates appear where it is installed (tools/install-prerequisites.sh installs it).
        Assert.Equal(ExpectedFigures.Order(StringComparer.Ordinal), figures.Select(f => f.Key).Where(k => !k.StartsWith("openblas_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("openblas_fp32_gflops", figures.Select(f => f.Key));
        foreach (var (key, node) in figures)
        {
            double value = node!.GetValue<double>();
            Assert.True(double.IsFinite(value) && value > 0, $"{key} = {value}");
            // A unit mistake is orders of magnitude off; load from other work moves a rate and its reference apart by 2-3x.
            if (key.Contains("_ratio_", StringComparison.Ordinal))
                Assert.True(value < 10, $"{key} = {value} is not in (0, 10)");
        }
        // Flat memory: the live tensors after step 200 are those after step 20.
        Assert.Equal(figures["memory_live_tensors_step20"]!.GetValue<double>(), figures["memory_live_tensors_step200"]!.GetValue<double>());
        // The smoke study's phases add up to its methods' times, and account for its wall time but writing the
        // reports (methods side by side each count their own time).
        double Figure(string key) => figures[key]!.GetValue<double>();
        double phases = new[] { "training", "star_sampling", "held_out", "evaluation" }.Sum(phase => Figure($"reproduce_smoke_{phase}_seconds"));
        Assert.Equal(phases, GenRM.Reporting.StudyOrder.Methods.Sum(method => Figure($"reproduce_smoke_{method.Replace('-', '_')}_seconds")), 1e-6);
        Assert.InRange(phases + Figure("reproduce_smoke_base_model_seconds"), 0.8 * Figure("reproduce_smoke_seconds"),
            GenRM.Experiments.Presets.Smoke.Workers * Figure("reproduce_smoke_seconds"));
        Assert.Equal("smoke", json["context"]!["model_size"]!.GetValue<string>());
        Assert.Equal("2", json["context"]!["threads"]!.GetValue<string>());
        Assert.Equal("not run (--peer none)", json["context"]!["peer"]!.GetValue<string>());
        // The hardware's rate is the better of libtorch's matmul and OpenBLAS, measured in the same run,
        // and in bf16 at least the fp32 rate (bf16 widens exactly to fp32).
        double OpenBlas(string dtype) => figures[$"openblas_{dtype}_gflops"]?.GetValue<double>() ?? 0;
        double hardwareFp32 = Math.Max(Figure("matmul_fp32_gflops"), OpenBlas("fp32"));
        Assert.Equal(hardwareFp32, Figure("hardware_fp32_gflops"), 6);
        Assert.Equal(Math.Max(hardwareFp32, Math.Max(Figure("matmul_bf16_gflops"), OpenBlas("bf16"))), Figure("hardware_bf16_gflops"), 6);
    }

    [Fact]
    public void UnknownStudyIsBadUsage()
    {
        var (code, _, error) = CliContractTests.Run("bench", "--preset", "smoke", "--studies", "smoke,paper");
        Assert.Equal(2, code);
        Assert.Contains("paper", error);
    }

    [Fact]
    public void UnknownPresetIsBadUsage()
    {
        var (code, _, error) = CliContractTests.Run("bench", "--preset", "huge");
        Assert.Equal(2, code);
        Assert.Contains("huge", error);
    }
}
