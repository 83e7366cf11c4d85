using GenRM.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Runtime;

public sealed class CpuBf16Tests
{
    static string Warned(Device device, ScalarType dtype)
    {
        var log = new StringWriter();
        CpuBf16.Warn(device, dtype, "the study trains and samples", "ask for fp32", log);
        return log.ToString();
    }

    /// <summary>bf16 on the CPU is warned about exactly where its products are slow here; fp32, and bf16 on a GPU, never.</summary>
    [Fact]
    public void OnlyBf16OnACpuWhoseBf16ProductsAreSlowIsWarnedAbout()
    {
        string bf16 = Warned(CPU, ScalarType.BFloat16);
        Assert.Equal(CpuBf16.SlowdownOverFp32 > CpuBf16.WarnAbove, bf16.Length > 0);
        if (bf16.Length > 0)
        {
            Assert.StartsWith("warning: the study trains and samples in bf16", bf16, StringComparison.Ordinal);
            Assert.EndsWith("; ask for fp32" + Environment.NewLine, bf16, StringComparison.Ordinal);
        }
        Assert.Equal("", Warned(CPU, ScalarType.Float32));
        Assert.Equal("", Warned(new Device(DeviceType.CUDA, 0), ScalarType.BFloat16));
    }
}
