using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Cli;

/// <summary><c>genrm info</c>: versions, device, threads, and whether libtorch loaded.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch threads to use (0: libtorch's default)." };
        var command = new Command("info", "Print versions, the device, the thread count and whether libtorch loaded.") { threads };
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            output.WriteLine($"genrm          {Version(typeof(InfoCommand).Assembly)}");
            output.WriteLine($".NET           {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
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
            return CommandRunner.Success;
        });
        return command;
    }

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
