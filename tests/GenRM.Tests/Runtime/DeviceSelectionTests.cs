using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.Runtime;
using GenRM.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Runtime;

public sealed class DeviceSelectionTests
{
    static void SkipWhereCudaWorks() =>
        Skip.If(TorchRuntime.CudaAvailable, "A GPU and the CUDA build are here: asking for CUDA succeeds, so there is no error to see.");

    [SkippableFact]
    public void AskingForCudaWithoutItIsOneClearErrorSayingWhatIsMissing()
    {
        SkipWhereCudaWorks();
        var error = Assert.Throws<BadInputException>(() => TorchRuntime.ResolveDevice("cuda"));
        Assert.Contains(TorchRuntime.IsCudaBuild ? "no GPU is visible" : "-p:TorchDevice=cuda", error.Message);
        Assert.Throws<BadInputException>(() => TorchRuntime.ResolveDevice("cuda:1"));
    }

    [Fact]
    public void AutoPicksCudaExactlyWhenItIsAvailable()
    {
        Assert.Equal(TorchRuntime.CudaAvailable ? DeviceType.CUDA : DeviceType.CPU, TorchRuntime.ResolveDevice("auto").type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice(" CPU ").type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void AnUnknownDeviceNameIsBadInput(string name)
    {
        Assert.False(TorchRuntime.IsDeviceName(name));
        var error = Assert.Throws<BadInputException>(() => TorchRuntime.ResolveDevice(name));
        Assert.Contains("cpu, cuda, cuda:N or auto", error.Message);
    }

    [Fact]
    public void AutoPrecisionIsBfloat16OnCudaAndFloat32OnTheCpu()
    {
        Assert.Equal(ScalarType.Float32, TorchRuntime.ResolveDType("auto", CPU));
        Assert.Equal(ScalarType.BFloat16, TorchRuntime.ResolveDType("auto", new Device(DeviceType.CUDA, 0)));
        Assert.Equal(ScalarType.BFloat16, TorchRuntime.ResolveDType("bfloat16", CPU));
        Assert.Throws<BadInputException>(() => TorchRuntime.ResolveDType("int8", CPU));
    }

    [SkippableFact]
    public void TheCliAnswersCudaWithoutItWithExitOneAndNoStackTrace()
    {
        SkipWhereCudaWorks();
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("pretrain", "--preset", "smoke", "--device", "cuda", "--out", temp.File("model"), "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("device 'cuda'", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(temp.File("model")));
    }

    [Theory]
    [InlineData("eval", "--judge", "zero-shot", "--model", "m", "--data", "d.jsonl")]
    [InlineData("reproduce", "--preset", "smoke")]
    [InlineData("pretrain", "--preset", "smoke")]
    public void AnUnknownDeviceOnTheCommandLineIsBadUsage(params string[] args)
    {
        var (code, _, error) = CliContractTests.Run([.. args, "--device", "tpu"]);
        Assert.Equal(2, code);
        Assert.Contains("unknown device 'tpu'", error);
    }

    [Fact]
    public void TheDeviceTravelsThroughTheSpecJson()
    {
        using var temp = new TempDirectory();
        string path = temp.File("spec.json");
        File.WriteAllText(path, (Presets.Smoke with { Device = "auto" }).ToJson());
        Assert.Contains("\"device\": \"auto\"", File.ReadAllText(path));
        var loaded = ExperimentSpec.Load(path);
        Assert.Equal("auto", loaded.Device);
        Assert.Equal((Presets.Smoke with { Device = "auto" }).ToJson(), loaded.ToJson());
    }

    [Fact]
    public void ASpecWithAnUnknownDeviceNamesTheFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("bad-device.json");
        var json = JsonNode.Parse(Presets.Smoke.ToJson())!.AsObject();
        json["device"] = "tpu";
        File.WriteAllText(path, json.ToJsonString());
        var (code, _, error) = CliContractTests.Run("reproduce", "--preset", path, "--out", temp.File("run"));
        Assert.Equal(1, code);
        Assert.Contains("bad-device.json", error);
        Assert.Contains("unknown device 'tpu'", error);
    }

    [SkippableFact]
    public void ReproduceWritesTheDeviceAskedForIntoTheRunSpecAndStopsClearlyWithoutCuda()
    {
        SkipWhereCudaWorks();
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("reproduce", "--preset", "smoke", "--device", "cuda", "--out", temp.Path);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("cuda", ExperimentSpec.Load(Path.Combine(temp.Path, StudyRunner.SpecFile)).Device);
    }
}
