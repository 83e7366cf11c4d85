using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using GenRM.Reporting;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Cli;

/// <summary><c>genrm info</c>: versions, device, threads, and whether libtorch loaded.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch threads to use (0: libtorch's default)." };
        var command = new Command("info", "Print versions, the CPU, the device, the thread count, whether libtorch loaded and how fast it multiplies bf16 on the CPU.") { threads };
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            output.WriteLine($"genrm          {Version(typeof(InfoCommand).Assembly)}");
            output.WriteLine($".NET           {SoftwareVersion.DotNet}");
            output.WriteLine($"OS             {RuntimeInformation.OSDescription}");
            output.WriteLine($"CPU            {CpuInfo.Current.Describe()}");
            output.WriteLine($"TorchSharp     {Version(typeof(torch).Assembly)}");
            if (!TorchRuntime.TryLoad(out string? error))
            {
                output.WriteLine($"libtorch       NOT LOADED: {error}");
                return CommandRunner.BadInput;
            }
            TorchRuntime.SetThreads(parsed.GetValue(threads));
            output.WriteLine($"libtorch       loaded ({torch.__version__})");
            bool cuda = TorchRuntime.CudaAvailable;
            output.WriteLine($"build          {(TorchRuntime.IsCudaBuild ? "CUDA (TorchSharp-cuda-linux)" : "CPU (libtorch-cpu; -p:TorchDevice=cuda for GPUs)")}");
            output.WriteLine($"CUDA           {(cuda ? $"available, {torch.cuda.device_count()} device(s)" : "not available")}");
            output.WriteLine($"device         {(cuda ? "cuda" : "cpu")} (auto)");
            output.WriteLine($"threads        {torch.get_num_threads()} of {Environment.ProcessorCount} cores");
            double slowdown = CpuBf16.SlowdownOverFp32;
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"bf16 on CPU    products {slowdown:F1}x the time of fp32 ones{(slowdown > CpuBf16.WarnAbove ? " (a fallback kernel: use float32 on this CPU)" : "")}"));
            return CommandRunner.Success;
        });
        return command;
    }

    /// <summary>The assembly's version without the source revision the build stamps after '+'.</summary>
    static string Version(Assembly assembly) => SoftwareVersion.Of(assembly).Split('+')[0];
}
