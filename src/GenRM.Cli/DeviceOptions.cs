using System.CommandLine;
using GenRM.Runtime;

namespace GenRM.Cli;

/// <summary>The <c>--device</c> and <c>--dtype</c> options every command that runs a model shares.</summary>
internal static class DeviceOptions
{
    /// <summary><c>--device</c>; a name that is no device is a usage error (exit 2). Null default: the preset's.</summary>
    public static Option<string?> Device(string? defaultValue)
    {
        var option = new Option<string?>("--device")
        {
            Description = $"{TorchRuntime.DeviceNames} (auto: CUDA when a GPU and the CUDA build are there)." + (defaultValue is null ? " Default: the preset's." : ""),
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !TorchRuntime.IsDeviceName(name))
                result.AddError($"unknown device '{name}' for --device: use {TorchRuntime.DeviceNames}.");
        });
        return option;
    }

    /// <summary><c>--dtype</c>: the weights' precision (auto: bf16 on CUDA, fp32 on the CPU).</summary>
    public static Option<string> DType()
    {
        var option = new Option<string>("--dtype")
        {
            Description = "Weight precision: auto (bf16 on CUDA, fp32 on the CPU), float32 or bfloat16.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "float32", "bfloat16");
        return option;
    }
}
